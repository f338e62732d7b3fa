package io.github.hivemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.task.TaskFailedException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Reads why a task failed, for assertions on a task's future. */
public final class TaskFailures {

    private TaskFailures() {
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
