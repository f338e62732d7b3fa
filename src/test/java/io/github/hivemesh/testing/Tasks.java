package io.github.hivemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskFailedException;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.task.TaskStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Helpers for tests that drive a swarm through the public API. */
public final class Tasks {

    private Tasks() {
    }

    /**
     * Submits a priority-10 task with payload {@code "gate"} — which the test's session blocks
     * on — and returns once it runs.
     */
    public static CompletableFuture<TaskResult> runGate(ICoordinator swarm, String id,
            String capability) {
        CompletableFuture<TaskResult> future = swarm.submitTask(Task.builder().id(id).type("t")
                .requiredCapabilities(capability).priority(10).payload("gate").build());
        await().atMost(Duration.ofSeconds(30)).until(() -> swarm.taskStatus(id)
                .map(TaskStatus::state).orElseThrow() == TaskState.RUNNING);
        return future;
    }

    /**
     * Waits (up to 30 s) for the future to complete, checks it failed with a
     * {@link TaskFailedException}, and returns that exception's cause: why the task failed.
     */
    public static Throwable reason(CompletableFuture<?> future) {
        await().atMost(Duration.ofSeconds(30)).until(future::isDone);
        assertThat(future).isCompletedExceptionally();
        Throwable failure = future.handle((value, error) -> error).join();
        if (failure instanceof CompletionException wrapped) {
            failure = wrapped.getCause();
        }
        assertThat(failure).isInstanceOf(TaskFailedException.class);
        return failure.getCause();
    }
}
