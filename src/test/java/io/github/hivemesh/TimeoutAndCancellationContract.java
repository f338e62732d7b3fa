package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.task.TaskTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Part of the coordinator contract: task timeouts and cancellation, with completion still
 * detected exactly. Run against every coordinator by {@link CoordinatorConformanceTest}.
 */
interface TimeoutAndCancellationContract {

    /** The topology under test. */
    Topology topology();

    /** An initialized swarm of the topology under test, closed after the test. */
    ICoordinator swarm(SwarmConfig.Builder config);

    private ICoordinator swarm(Topology topology, SwarmConfig.Builder config) {
        return swarm(config.maxAgents(topology == Topology.MESH ? 4 : 8));
    }

    @Test
    default void timedOutTask_failsWithTheReason_itsSessionIsInterrupted_andCompletionFollows() {
        ICoordinator swarm = swarm(topology(), SwarmConfig.builder()
                .defaultTaskTimeout(Duration.ofMillis(100)));
        AtomicBoolean interrupted = new AtomicBoolean();
        swarm.spawnAgent(AgentDefinition.builder().id("slow").capabilities("t").session(ctx -> {
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return null;
        }).build()).join();
        swarm.spawnAgent(AgentDefinition.builder().id("quick").capabilities("q")
                .session(ctx -> "fast").build()).join();

        CompletableFuture<TaskResult> slow = swarm.submitTask(Task.builder().id("slow-task")
                .type("t").requiredCapabilities("t").build());
        CompletableFuture<TaskResult> ownLimit = swarm.submitTask(Task.builder().type("q")
                .requiredCapabilities("q").timeout(Duration.ofSeconds(30)).build());

        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        assertThatThrownBy(slow::join).cause().cause().isInstanceOf(TaskTimeoutException.class)
                .hasMessageContaining("'slow-task'").hasMessageContaining("PT0.1S");
        assertThat(interrupted).isTrue();
        assertThat(swarm.taskStatus("slow-task").orElseThrow().state())
                .isEqualTo(TaskState.FAILED);
        assertThat(ownLimit.join().output()).isEqualTo("fast");
    }

    /**
     * An asynchronous session whose stage is never completed by the agent: the stage is what
     * the session holds (a model call, an agent's chat memory in LangChain4j terms).
     */
    private static AgentDefinition holding(String id, List<CompletableFuture<Object>> stages) {
        return AgentDefinition.builder().id(id).capabilities("hold").session(ctx -> {
            CompletableFuture<Object> stage = new CompletableFuture<>();
            stages.add(stage);
            return stage;
        }).build();
    }

    /** What the submitter sees of the stage at the moment its future completes. */
    private static CompletableFuture<Boolean> stageCancelledWhenDone(
            CompletableFuture<TaskResult> future, List<CompletableFuture<Object>> stages) {
        // a dependent registered before the end runs on the ending thread, as the future completes
        return future.handle((result, failure) -> !stages.isEmpty() && stages.get(0).isCancelled());
    }

    /**
     * A task that times out lets go of what its session holds before its future completes:
     * a submitter that sees the failure and sends the agent its next task finds it free (seen:
     * a LangChain4j agent with one chat memory refusing the next task because the timed-out
     * one still held it).
     */
    @Test
    default void aTimedOutTask_stopsItsSession_beforeItsFutureCompletes() {
        ICoordinator swarm = swarm(topology(), SwarmConfig.builder());
        List<CompletableFuture<Object>> stages = new CopyOnWriteArrayList<>();
        swarm.spawnAgent(holding("holder", stages)).join();

        CompletableFuture<TaskResult> timedOut = swarm.submitTask(Task.builder().type("h")
                .requiredCapabilities("hold").timeout(Duration.ofMillis(200)).build());
        CompletableFuture<Boolean> cancelledFirst = stageCancelledWhenDone(timedOut, stages);

        assertThat(cancelledFirst.join()).as("the stage was cancelled when the future completed")
                .isTrue();
        assertThatThrownBy(timedOut::join).cause().cause()
                .isInstanceOf(TaskTimeoutException.class);
        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
    }

    /** Likewise for a task cancelled through its future. */
    @Test
    default void aCancelledTask_stopsItsSession_beforeItsFutureCompletes() {
        ICoordinator swarm = swarm(topology(), SwarmConfig.builder());
        List<CompletableFuture<Object>> stages = new CopyOnWriteArrayList<>();
        swarm.spawnAgent(holding("holder", stages)).join();
        CompletableFuture<TaskResult> running = swarm.submitTask(Task.builder().type("h")
                .requiredCapabilities("hold").build());
        await().until(() -> !stages.isEmpty());
        CompletableFuture<Boolean> cancelledFirst = stageCancelledWhenDone(running, stages);

        assertThat(running.cancel(true)).isTrue();

        assertThat(cancelledFirst.join()).as("the stage was cancelled when the future completed")
                .isTrue();
        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
    }

    /**
     * A task whose synchronous session ignores the interrupt fails at its timeout, not when the
     * session at last returns, wherever the session runs; the session is work until it returns
     * (its agent's slot is held), so completion waits for it.
     */
    @Test
    default void aTimedOutTask_failsAtItsTimeout_whileItsSessionIgnoresTheInterrupt()
            throws Exception {
        ICoordinator swarm = swarm(topology(), SwarmConfig.builder());
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        swarm.spawnAgent(AgentDefinition.builder().id("stubborn").capabilities("stubborn")
                .session(ctx -> {
                    awaitIgnoringInterrupts(release, interrupted);
                    return "late";
                }).build()).join();
        CompletableFuture<TaskResult> stuck = swarm.submitTask(Task.builder().type("s")
                .requiredCapabilities("stubborn").timeout(Duration.ofMillis(100)).build());
        try {
            assertThatThrownBy(() -> stuck.get(10, TimeUnit.SECONDS))
                    .as("failed at the timeout, the session still running")
                    .isInstanceOf(ExecutionException.class).cause().cause()
                    .isInstanceOf(TaskTimeoutException.class);
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(swarm.waitForCompletion(Duration.ofMillis(200)).join())
                    .as("the session that has not returned is still work").isFalse();
        } finally {
            release.countDown();
        }
        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
    }

    /**
     * A task that times out while {@code execute} is still running (it ignores the interrupt)
     * and then returns a stage: nobody could cancel that stage when the task ended, so it is
     * cancelled as it is returned — before the agent is told its session ended and takes its
     * next task. The stage's cancel is slow here, so a next task started before it would see
     * the stage not yet cancelled.
     */
    @Test
    default void aStageReturnedAfterItsTaskTimedOut_isCancelledBeforeTheAgentsNextTaskStarts()
            throws Exception {
        ICoordinator swarm = swarm(topology(), SwarmConfig.builder());
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SlowCancel late = new SlowCancel();
        CompletableFuture<Boolean> lateCancelledAtNext = new CompletableFuture<>();
        swarm.spawnAgent(AgentDefinition.builder().id("one").capabilities("one")
                .maxConcurrentTasks(1).session(ctx -> {
                    if (ctx.task().type().equals("next")) {
                        lateCancelledAtNext.complete(late.isCancelled());
                        late.nextStarted.countDown();
                        return "next";
                    }
                    awaitIgnoringInterrupts(release, interrupted);
                    return late;
                }).build()).join();
        CompletableFuture<TaskResult> first = swarm.submitTask(Task.builder().type("first")
                .requiredCapabilities("one").timeout(Duration.ofMillis(100)).build());
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the timeout interrupted execute")
                .isTrue();
        CompletableFuture<TaskResult> next = swarm.submitTask(Task.builder().type("next")
                .requiredCapabilities("one").build());

        release.countDown();

        assertThat(next.get(10, TimeUnit.SECONDS).output()).isEqualTo("next");
        assertThatThrownBy(first::join).cause().cause().isInstanceOf(TaskTimeoutException.class);
        assertThat(lateCancelledAtNext.join()).as("the late stage was cancelled first").isTrue();
        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        assertThat(swarm.getMetrics().lateCompletions()).as("a cancelled stage is not late")
                .isZero();
    }

    /**
     * What a session that ignores the interrupt does: waits for {@code release} however often
     * it is interrupted, counting {@code interrupted} down each time.
     */
    private static void awaitIgnoringInterrupts(CountDownLatch release,
            CountDownLatch interrupted) {
        while (true) {
            try {
                release.await();
                return;
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }
    }

    /**
     * A stage whose cancel takes a while to take effect (a model client closing a stream): it
     * holds off until the agent's next task has started, or 300 ms. Cancelled in time, the
     * next task cannot start meanwhile and the bound passes; cancelled after the agent was
     * told its session ended, the next task starts first and sees it not yet cancelled.
     */
    final class SlowCancel extends CompletableFuture<Object> {
        final CountDownLatch nextStarted = new CountDownLatch(1);

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            try {
                nextStarted.await(300, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.cancel(mayInterruptIfRunning);
        }
    }

    @Test
    default void cancellingAFuture_cancelsTheTaskAndItsUnstartedSubtasks_andCompletionFollows()
            throws Exception {
        ICoordinator swarm = swarm(topology(), SwarmConfig.builder());
        CountDownLatch parentRunning = new CountDownLatch(1);
        AtomicBoolean parentInterrupted = new AtomicBoolean();
        List<CompletableFuture<TaskResult>> children = new CopyOnWriteArrayList<>();
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        swarm.spawnAgent(AgentDefinition.builder().id("parent").capabilities("p")
                .session(ctx -> {
                    for (int i = 0; i < 3; i++) {
                        children.add(ctx.delegate(Task.builder().id("child-" + i).type("c")
                                .requiredCapabilities("c").build()));
                    }
                    parentRunning.countDown();
                    try {
                        new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        parentInterrupted.set(true);
                    }
                    return null;
                }).build()).join();
        // one slot, held by a gate task, so the children wait unstarted in its queue
        swarm.spawnAgent(AgentDefinition.builder().id("worker").capabilities("c", "g")
                .maxConcurrentTasks(1).session(ctx -> {
                    if ("gate".equals(ctx.task().id())) {
                        gate.await(30, TimeUnit.SECONDS);
                    }
                    ran.add(ctx.task().id());
                    return null;
                }).build()).join();
        swarm.submitTask(Task.builder().id("gate").type("g").requiredCapabilities("g").build());
        await().until(() -> swarm.taskStatus("gate").orElseThrow().state()
                == TaskState.RUNNING);
        CompletableFuture<TaskResult> parent = swarm.submitTask(Task.builder().id("parent-task")
                .type("p").requiredCapabilities("p").build());
        parentRunning.await(10, TimeUnit.SECONDS);

        assertThat(parent.cancel(true)).isTrue();
        gate.countDown();

        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        assertThatThrownBy(parent::join).isInstanceOf(CancellationException.class);
        assertThat(parentInterrupted).isTrue();
        assertThat(swarm.taskStatus("parent-task").orElseThrow().state())
                .isEqualTo(TaskState.FAILED);
        assertThat(swarm.taskStatus("parent-task").orElseThrow().error()).contains("cancelled");
        for (CompletableFuture<TaskResult> child : children) {
            assertThat(child).isCancelled();
        }
        assertThat(ran).containsExactly("gate");
        assertThat(swarm.getMetrics().tasksQueued() + swarm.getMetrics().tasksRunning()).isZero();
    }

    @Test
    default void cancellingAWaitingTask_releasesIt_andItsDependentsFail()
            throws Exception {
        ICoordinator swarm = swarm(topology(), SwarmConfig.builder());
        CountDownLatch gate = new CountDownLatch(1);
        swarm.spawnAgent(AgentDefinition.builder().id("w").capabilities("t")
                .session(ctx -> gate.await(30, TimeUnit.SECONDS)).build()).join();
        swarm.submitTask(Task.builder().id("first").type("t").requiredCapabilities("t").build());
        CompletableFuture<TaskResult> waiting = swarm.submitTask(Task.builder().id("second")
                .type("t").requiredCapabilities("t").dependencies("first").build());
        CompletableFuture<TaskResult> third = swarm.submitTask(Task.builder().id("third")
                .type("t").requiredCapabilities("t").dependencies("second").build());
        await().until(() -> swarm.taskStatus("first").orElseThrow().state()
                == TaskState.RUNNING);

        assertThat(waiting.cancel(true)).isTrue();
        gate.countDown();

        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        assertThatThrownBy(third::join).cause().cause().hasMessageContaining("'second'");
        assertThat(swarm.taskStatus("second").orElseThrow().error()).contains("cancelled");
        assertThat(swarm.taskStatus("second").orElseThrow().state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    default void cancellingAnEndedTask_changesNothing() {
        ICoordinator swarm = swarm(topology(), SwarmConfig.builder());
        swarm.spawnAgent(AgentDefinition.builder().id("w").capabilities("t")
                .session(ctx -> "ok").build()).join();
        CompletableFuture<TaskResult> done = swarm.submitTask(Task.builder().type("t")
                .requiredCapabilities("t").build());
        done.join();

        assertThat(done.cancel(true)).isFalse();
        assertThat(done.join().output()).isEqualTo("ok");
        assertThat(swarm.getMetrics().tasksFailed()).isZero();
        assertThat(swarm.taskStatus(done.join().taskId()).orElseThrow().state())
                .isEqualTo(TaskState.COMPLETED);
    }
}
