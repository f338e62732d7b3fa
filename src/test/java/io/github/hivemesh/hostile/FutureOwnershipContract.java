package io.github.hivemesh.hostile;

import static io.github.hivemesh.hostile.SwarmUnderTest.pass;
import static io.github.hivemesh.hostile.SwarmUnderTest.spin;
import static io.github.hivemesh.hostile.SwarmUnderTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 13, items 3, 10 and 11: the future a user gets is the user's copy — what the user does
 * to it changes nothing in the swarm but a cancellation request — and it is done before
 * completion is reported; a cancelled delegated dependency does not wedge completion.
 */
interface FutureOwnershipContract extends SwarmUnderTest {

    /** Rounds of the cancelled-delegated-dependency race (the issue wedged within 527). */
    int DELEGATED_CANCEL_ROUNDS = Hostile.LONG ? 20_000 : 2_500;
    /** Rounds of the completion-order race (the issue: 14 to 65 breaks in 5,000). */
    int ORDER_ROUNDS = Hostile.LONG ? 20_000 : 2_500;

    /** What a user may do to a future {@code CompletableFuture} lets anyone do. */
    enum Tamper {
        COMPLETE(f -> f.complete(null)),
        COMPLETE_EXCEPTIONALLY(f -> f.completeExceptionally(new IllegalStateException("mine"))),
        OBTRUDE_VALUE(f -> f.obtrudeValue(null)),
        OBTRUDE_EXCEPTION(f -> f.obtrudeException(new IllegalStateException("mine"))),
        OR_TIMEOUT(f -> f.orTimeout(1, TimeUnit.MILLISECONDS)),
        COMPLETE_ON_TIMEOUT(f -> f.completeOnTimeout(null, 1, TimeUnit.MILLISECONDS));

        private final Consumer<CompletableFuture<TaskResult>> action;

        Tamper(Consumer<CompletableFuture<TaskResult>> action) {
            this.action = action;
        }

        /** Does it to {@code future}. */
        void apply(CompletableFuture<TaskResult> future) {
            action.accept(future);
        }

        /** Does it, and waits until the user's future shows it. */
        void on(CompletableFuture<TaskResult> future) {
            apply(future);
            Hostile.waiting().until(future::isDone);
        }
    }

    /** A worker whose "gate" tasks wait for {@code gate}; records whether one was interrupted. */
    private AgentDefinition gatedWorker(CountDownLatch gate, List<String> ran,
            AtomicBoolean interrupted) {
        return AgentDefinition.builder().id("w").capabilities("t").maxConcurrentTasks(4)
                .session(ctx -> {
                    if ("gate".equals(ctx.task().payload())) {
                        try {
                            pass(gate);
                        } catch (InterruptedException e) {
                            interrupted.set(true);
                            throw e;
                        }
                    }
                    ran.add(ctx.task().id());
                    return "out-" + ctx.task().id();
                }).build();
    }

    /**
     * Item 3(a). A task others depend on is running; its submitter completes, fails, obtrudes
     * or times out its own future. The task keeps running unaware, its status stays real, and
     * once it completes its dependents run and completion is reported.
     */
    @ParameterizedTest
    @EnumSource(Tamper.class)
    default void tamperingWithARunningDependencysFuture_changesOnlyTheUsersCopy(Tamper tamper) {
        ICoordinator swarm = swarm(config(3));
        CountDownLatch gate = gate();
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean interrupted = new AtomicBoolean();
        swarm.spawnAgent(gatedWorker(gate, ran, interrupted)).join();
        CompletableFuture<TaskResult> a = swarm.submitTask(task("a", "t").payload("gate")
                .build());
        Hostile.waiting().until(() -> Hostile.stateOf(swarm, "a")
                == TaskState.RUNNING);
        CompletableFuture<TaskResult> b = swarm.submitTask(task("b", "t").dependencies("a")
                .build());
        CompletableFuture<TaskResult> c = swarm.submitTask(task("c", "t").dependencies("b")
                .build());

        tamper.on(a);

        assertThat(Hostile.stateOf(swarm, "a")).isEqualTo(TaskState.RUNNING);
        assertThat(Hostile.stateOf(swarm, "b")).isEqualTo(TaskState.PENDING);
        gate.countDown();
        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join()).isTrue();
        assertThat(Hostile.failureNow(b)).as("b's failure").isNull();
        assertThat(b.join().output()).isEqualTo("out-b");
        assertThat(c.join().output()).isEqualTo("out-c");
        assertThat(Hostile.stateOf(swarm, "a")).isEqualTo(TaskState.COMPLETED);
        assertThat(ran).containsExactly("a", "b", "c");
        assertThat(interrupted).as("a's session interrupted").isFalse();
    }

    /**
     * Item 3(b). A task waits for its dependency; its submitter completes, fails, obtrudes or
     * times out its own future. The task still waits, runs once the dependency completes, its
     * own dependent runs after it, and the swarm reports completion — now and for later work.
     */
    @ParameterizedTest
    @EnumSource(Tamper.class)
    default void tamperingWithAWaitingTasksFuture_changesOnlyTheUsersCopy(Tamper tamper) {
        ICoordinator swarm = swarm(config(3));
        CountDownLatch gate = gate();
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        swarm.spawnAgent(gatedWorker(gate, ran, new AtomicBoolean())).join();
        CompletableFuture<TaskResult> a = swarm.submitTask(task("a", "t").payload("gate")
                .build());
        CompletableFuture<TaskResult> b = swarm.submitTask(task("b", "t").dependencies("a")
                .build());
        CompletableFuture<TaskResult> c = swarm.submitTask(task("c", "t").dependencies("b")
                .build());

        tamper.on(b);

        assertThat(Hostile.stateOf(swarm, "b")).isEqualTo(TaskState.PENDING);
        assertThat(swarm.waitForCompletion(Duration.ofMillis(20)).join()).isFalse();
        gate.countDown();
        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join())
                .as("completion; not ended: %s", Hostile.live(swarm, List.of("a", "b", "c")))
                .isTrue();
        assertThat(a.join().output()).isEqualTo("out-a");
        assertThat(Hostile.stateOf(swarm, "b")).isEqualTo(TaskState.COMPLETED);
        assertThat(Hostile.failureNow(c)).as("c's failure").isNull();
        assertThat(ran).containsExactly("a", "b", "c");
        CompletableFuture<TaskResult> later = swarm.submitTask(task("later", "t").build());
        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join()).isTrue();
        assertThat(later.join().output()).isEqualTo("out-later");
    }

    /**
     * Item 3. {@code cancel} on the user's future is the one request the swarm hears: the task
     * is cancelled (its session interrupted, its status FAILED as cancelled), and its dependents
     * fail for it.
     */
    @Test
    default void cancelOnTheReturnedFuture_cancelsTheTask_andFailsItsDependents() {
        ICoordinator swarm = swarm(config(3));
        CountDownLatch gate = gate();
        AtomicBoolean interrupted = new AtomicBoolean();
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        swarm.spawnAgent(gatedWorker(gate, ran, interrupted)).join();
        CompletableFuture<TaskResult> a = swarm.submitTask(task("a", "t").payload("gate")
                .build());
        Hostile.waiting().until(() -> Hostile.stateOf(swarm, "a")
                == TaskState.RUNNING);
        CompletableFuture<TaskResult> b = swarm.submitTask(task("b", "t").dependencies("a")
                .build());

        assertThat(a.cancel(true)).isTrue();

        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join()).isTrue();
        assertThat(a).isCancelled();
        assertThat(interrupted).isTrue();
        assertThat(swarm.taskStatus("a").orElseThrow().state()).isEqualTo(TaskState.FAILED);
        assertThat(swarm.taskStatus("a").orElseThrow().error()).contains("cancelled");
        assertThat(Hostile.assertFailsWith(b, DependencyFailedException.class).dependency())
                .isEqualTo("a");
        assertThat(ran).isEmpty();
    }

    /**
     * Item 10. A session delegates {@code a} (waiting on a running task) and {@code b}
     * depending on {@code a}, then cancels {@code a} while it is on its way to where
     * dependencies are kept. {@code b} fails for it, and completion is reported again once the
     * running task ends — round after round.
     */
    @Test
    default void cancelledDelegatedDependency_failsItsDependent_andCompletionIsReportedAgain() {
        long seed = Hostile.seed(1310);
        SplittableRandom random = new SplittableRandom(seed);
        ICoordinator swarm = swarm(config(3));
        Queue<CompletableFuture<TaskResult>> dependents = new ConcurrentLinkedQueue<>();
        swarm.spawnAgent(AgentDefinition.builder().id("lead").capabilities("lead")
                .session(ctx -> {
                    String round = ctx.task().id().substring(1);
                    CompletableFuture<TaskResult> a = ctx.delegate(task("a" + round, "w")
                            .dependencies("g" + round).build());
                    dependents.add(ctx.delegate(task("b" + round, "w")
                            .dependencies("a" + round).build()));
                    spin((Long) ctx.task().payload());
                    a.cancel(true);
                    return null;
                }).build()).join();
        List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        swarm.spawnAgent(AgentDefinition.builder().id("worker").capabilities("w", "g")
                .maxConcurrentTasks(4).session(ctx -> {
                    if (ctx.task().payload() instanceof CountDownLatch held) {
                        pass(held);
                    } else {
                        ran.add(ctx.task().id());
                    }
                    return null;
                }).build()).join();
        String replay = Hostile.replay(getClass().getSimpleName()
                + "#cancelledDelegatedDependency_failsItsDependent_andCompletionIsReportedAgain",
                seed);

        for (int round = 0; round < DELEGATED_CANCEL_ROUNDS; round++) {
            CountDownLatch held = new CountDownLatch(1);
            swarm.submitTask(task("g" + round, "g").payload(held).build());
            swarm.submitTask(task("l" + round, "lead").payload(random.nextLong(30_000))
                    .build()).join();
            held.countDown();
            boolean quiescent = swarm.waitForCompletion(Duration.ofSeconds(5)).join();
            assertThat(quiescent).as("completion in round %d; not ended: %s; %s", round,
                    Hostile.live(swarm, List.of("g" + round, "a" + round, "b" + round)),
                    replay).isTrue();
        }

        assertThat(dependents).hasSize(DELEGATED_CANCEL_ROUNDS);
        for (CompletableFuture<TaskResult> b : dependents) {
            Hostile.assertFailsWith(b, DependencyFailedException.class);
        }
        assertThat(ran).as(replay).isEmpty();
    }

    /** How the task of a completion-order round ends before its session returns. */
    enum Ending { TIMEOUT, CANCEL }

    /**
     * Item 11. A task times out, or its future is cancelled, while its session spins on
     * {@code isCancelled()} and so returns the moment the task has ended; the timeout runs on
     * the user's scheduler and the cancel comes from the user's thread, both deep in the
     * user's stack. When
     * {@code waitForCompletion} completes {@code true} — checked inside its completion — the
     * task's (user's) future is already done. Thousands of rounds.
     */
    @ParameterizedTest
    @EnumSource(Ending.class)
    default void afterATimeoutOrCancel_completionFollowsTheEndedTasksFuture(Ending ending) {
        long seed = Hostile.seed(1311);
        SplittableRandom random = new SplittableRandom(seed);
        // the user's own scheduler, whose thread runs deep in the user's stack: the library's
        // timeouts run there, and ending a task there takes a little longer
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(() -> Hostile.deep(1_000, runnable), "user-timer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            completionOrderRounds(swarm(config(3).scheduler(timers)), ending, seed, random);
        } finally {
            timers.shutdownNow();
        }
    }

    private void completionOrderRounds(ICoordinator swarm, Ending ending, long seed,
            SplittableRandom random) {
        swarm.spawnAgent(AgentDefinition.builder().id("w").capabilities("t")
                .session(ctx -> {
                    long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!ctx.isCancelled() && System.nanoTime() < bound) {
                        Thread.onSpinWait();
                    }
                    return null;
                }).build()).join();
        List<String> early = new ArrayList<>();

        for (int round = 0; round < ORDER_ROUNDS; round++) {
            var task = task("r" + round, "t");
            if (ending == Ending.TIMEOUT) {
                task.timeout(Duration.ofNanos(random.nextLong(50_000, 1_000_000)));
            }
            CompletableFuture<TaskResult> future = swarm.submitTask(task.build());
            CompletableFuture<Boolean> quiescent = swarm.waitForCompletion(Hostile.WEDGE);
            // read on the thread that reports completion, at that moment; joined below, since
            // a join may return before the callbacks registered ahead of it have run
            CompletableFuture<Boolean> futureDoneFirst = quiescent.thenApply(done ->
                    future.isDone());
            if (ending == Ending.CANCEL) {
                spin(random.nextLong(200_000));
                // from deep in the user's own code, as a cancel may well come
                Hostile.deep(1_000, () -> future.cancel(true));
            }
            assertThat(quiescent.join()).isTrue();
            if (!futureDoneFirst.join()) {
                early.add("r" + round);
            }
        }

        assertThat(early.size()).as("%d of %d rounds reported completion before the ended task's "
                + "future was done (the first: %s); %s", early.size(), ORDER_ROUNDS,
                early.subList(0, Math.min(5, early.size())), Hostile.replay(
                        getClass().getSimpleName()
                        + "#afterATimeoutOrCancel_completionFollowsTheEndedTasksFuture", seed))
                .isZero();
    }
}
