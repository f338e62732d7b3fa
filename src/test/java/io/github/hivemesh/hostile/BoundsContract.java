package io.github.hivemesh.hostile;

import static io.github.hivemesh.hostile.SwarmUnderTest.pass;
import static io.github.hivemesh.hostile.SwarmUnderTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.SwarmSaturatedException;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.UnknownDependencyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, items 6, 9 and 12: bounds that must hold whatever the retention — the submission
 * bound, delegation's own bound — and a forgotten failure that must never read as success.
 */
interface BoundsContract extends SwarmUnderTest {

    /** Trials of the forgotten-dependency race (the issue: 11 breaks in 500). */
    int FORGOTTEN_TRIALS = Hostile.LONG ? 5_000 : 600;
    /** Fast tasks through the bound before it is tested (the issue: it leaked on such runs). */
    int FAST_TASKS = Hostile.LONG ? 200_000 : 20_000;

    /**
     * Item 6. With {@code taskRetention(0)}, {@code maxPendingTasks(4)} and {@code REJECT},
     * many fast tasks — each thread of four submitting one at a time, each task ending as
     * soon as it is submitted — go through; then four tasks
     * wait on a gate. Sessions never see more than four submitted tasks at once, and the
     * fifth submission is refused with {@link SwarmSaturatedException}.
     */
    @Test
    default void zeroRetention_keepsTheSubmissionBound_afterManyFastTasks() throws Exception {
        int bound = 4;
        ICoordinator swarm = swarm(config(4).taskRetention(0).maxPendingTasks(bound)
                .saturation(SwarmConfig.Saturation.REJECT));
        CountDownLatch gate = gate();
        AtomicInteger inSession = new AtomicInteger();
        AtomicInteger mostInSession = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            swarm.spawnAgent(AgentDefinition.builder().id("w" + i).capabilities("t")
                    .maxConcurrentTasks(8).session(ctx -> {
                        mostInSession.accumulateAndGet(inSession.incrementAndGet(), Math::max);
                        try {
                            if ("gate".equals(ctx.task().payload())) {
                                pass(gate);
                            }
                        } finally {
                            inSession.decrementAndGet();
                        }
                        return null;
                    }).build()).join();
        }
        Queue<CompletableFuture<TaskResult>> accepted = new ConcurrentLinkedQueue<>();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                running.add(submitters.submit(() -> {
                    for (int i = 0; i < FAST_TASKS / 4; i++) {
                        Task fast = task("fast-" + thread + "-" + i, "t").build();
                                        while (true) {
                            CompletableFuture<TaskResult> f = Hostile.caught(() ->
                                    swarm.submitTask(fast));
                            if (!Hostile.hasCause(Hostile.failureNow(f),
                                    SwarmSaturatedException.class)) {
                                accepted.add(f);
                                // one in flight per thread: four threads, four in flight
                                f.handle((result, failure) -> null).join();
                                break;
                            }
                            refused.incrementAndGet();
                            Thread.onSpinWait();
                        }
                    }
                }));
            }
            for (Future<?> thread : running) {
                thread.get(2, TimeUnit.MINUTES);
            }
        } finally {
            submitters.shutdownNow();
        }
        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join()).isTrue();
        assertThat(accepted).allMatch(CompletableFuture::isDone);

        List<CompletableFuture<TaskResult>> held = new ArrayList<>();
        for (int i = 0; i < bound; i++) {
            held.add(Hostile.caught(() -> swarm.submitTask(task(null, "t").payload("gate")
                    .build())));
        }
        assertThat(held).allSatisfy(f -> assertThat(Hostile.failureNow(f)).isNull());
        Hostile.waiting().until(() -> inSession.get() == bound);
        List<String> admittedBeyond = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CompletableFuture<TaskResult> beyond = Hostile.caught(() -> swarm.submitTask(
                    task(null, "t").payload("gate").build()));
            // a refusal is immediate; a task admitted beyond the bound waits at the gate
            Hostile.doneWithin(beyond, Duration.ofSeconds(2));
            Throwable failure = Hostile.failureNow(beyond);
            if (!Hostile.hasCause(failure, SwarmSaturatedException.class)) {
                admittedBeyond.add(failure == null ? "accepted" : Hostile.chain(failure));
            }
        }

        assertThat(admittedBeyond).as("submissions beyond %d held tasks, after %d fast tasks "
                + "(refused %d times on the way)", bound, FAST_TASKS, refused.get()).isEmpty();
        assertThat(mostInSession.get()).as("most submitted tasks in sessions at once ("
                + refused + " fast ones refused)").isLessThanOrEqualTo(bound);
        gate.countDown();
        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join()).isTrue();
    }

    /**
     * Item 9. With {@code taskRetention(0)}, a dependent is accepted while its dependency is
     * live, then reaches the keeper of dependencies only after the dependency has failed and
     * been forgotten (the keeper is busy releasing a hundred other tasks meanwhile). The
     * dependent never runs: it fails with {@link DependencyFailedException}. Hundreds of
     * trials.
     */
    @Test
    default void failedForgottenDependency_isNeverTakenForCompleted() {
        ICoordinator swarm = swarm(config(3).taskRetention(0));
        AtomicInteger dependentsRan = new AtomicInteger();
        swarm.spawnAgent(AgentDefinition.builder().id("w").capabilities("t")
                .maxConcurrentTasks(16).session(ctx -> {
                    Object payload = ctx.task().payload();
                    if (payload instanceof CountDownLatch release) {
                        pass(release);
                        if (ctx.task().id().startsWith("dep-")) {
                            throw new IllegalStateException("the dependency fails");
                        }
                    } else if ("dependent".equals(payload)) {
                        dependentsRan.incrementAndGet();
                    }
                    return null;
                }).build()).join();
        List<CompletableFuture<TaskResult>> dependents = new ArrayList<>();

        for (int trial = 0; trial < FORGOTTEN_TRIALS; trial++) {
            CountDownLatch holdFillers = new CountDownLatch(1);
            CountDownLatch holdDependency = new CountDownLatch(1);
            CompletableFuture<TaskResult> fillers = swarm.submitTask(task("fillers-" + trial,
                    "t").payload(holdFillers).build());
            for (int i = 0; i < 100; i++) {
                swarm.submitTask(task(null, "t").dependencies("fillers-" + trial).build());
            }
            String dependency = "dep-" + trial;
            swarm.submitTask(task(dependency, "t").payload(holdDependency).build());
            holdFillers.countDown();
            // its end is on its way to the keeper, which will release the hundred fillers...
            fillers.join();
            // ...before it sees this dependent
            dependents.add(Hostile.caught(() -> swarm.submitTask(task(null, "t")
                    .dependencies(dependency).payload("dependent").build())));
            holdDependency.countDown();
        }

        assertThat(swarm.waitForCompletion(Duration.ofMinutes(1)).join()).isTrue();
        assertThat(dependentsRan).as("dependents that ran although their dependency failed")
                .hasValue(0);
        for (CompletableFuture<TaskResult> dependent : dependents) {
            Throwable failure = Hostile.failure(dependent);
            assertThat(Hostile.hasCause(failure, DependencyFailedException.class)
                    || Hostile.hasCause(failure, UnknownDependencyException.class))
                    .as("a dependent's failure: %s", Hostile.chain(failure)).isTrue();
        }
    }

    /**
     * Item 12. With {@code maxPendingTasks(10)} and {@code maxPendingSubtasks(1000)}, one task
     * delegates 5,000 subtasks that wait on a gate. Delegations beyond the bound fail with
     * {@link SwarmSaturatedException}, so no more than 1,000 subtasks are live at once; once
     * the gate opens, the swarm completes and takes new work.
     */
    @Test
    default void delegatingInALoop_meetsMaxPendingSubtasks_andTheSwarmStaysUsable() {
        ICoordinator swarm = swarm(config(3).maxPendingTasks(10).maxPendingSubtasks(1_000));
        CountDownLatch gate = gate();
        Queue<CompletableFuture<TaskResult>> subtasks = new ConcurrentLinkedQueue<>();
        swarm.spawnAgent(AgentDefinition.builder().id("looper").capabilities("loop")
                .session(ctx -> {
                    int delegations = (Integer) ctx.task().payload();
                    for (int i = 0; i < delegations; i++) {
                        Task subtask = task(ctx.task().id() + "-" + i, "sub")
                                .payload(delegations > 10 ? "gate" : null).build();
                        subtasks.add(Hostile.caught(() -> ctx.delegate(subtask)));
                    }
                    return null;
                }).build()).join();
        swarm.spawnAgent(AgentDefinition.builder().id("worker").capabilities("sub")
                .maxConcurrentTasks(4).session(ctx -> {
                    if ("gate".equals(ctx.task().payload())) {
                        pass(gate);
                    }
                    return ctx.task().id();
                }).build()).join();

        swarm.submitTask(task("loop", "loop").payload(5_000).build()).join();

        Hostile.waiting().atMost(Duration.ofSeconds(10))
                .alias("at most 1,000 of 5,000 delegated subtasks live (the rest refused)")
                .until(() -> subtasks.stream().filter(f -> !f.isDone()).count() <= 1_000);
        List<CompletableFuture<TaskResult>> refused = subtasks.stream()
                .filter(CompletableFuture::isDone).toList();
        assertThat(refused).isNotEmpty().allSatisfy(f -> assertThat(Hostile.hasCause(
                Hostile.failureNow(f), SwarmSaturatedException.class)).isTrue());
        gate.countDown();
        assertThat(swarm.waitForCompletion(Duration.ofMinutes(1)).join()).isTrue();
        subtasks.clear();
        swarm.submitTask(task("again", "loop").payload(3).build()).join();
        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join()).isTrue();
        assertThat(subtasks).hasSize(3).allSatisfy(f -> assertThat(f.join().output())
                .isNotNull());
    }
}
