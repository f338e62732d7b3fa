package io.github.hivemesh.hostile;

import static io.github.hivemesh.hostile.SwarmUnderTest.echo;
import static io.github.hivemesh.hostile.SwarmUnderTest.spin;
import static io.github.hivemesh.hostile.SwarmUnderTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.agent.UnknownAgentException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13, items 1, 8 and part of 13: closing, removing and re-spawning while other threads
 * work, closing from a library thread, submitting from an interrupted thread.
 */
interface ShutdownRaceContract extends SwarmUnderTest {

    /**
     * Rounds of the close race. On the code of the issue, on two loaded cores, about 3 in 100
     * rounds left a future pending in the mesh (and 25 had submitTask throw), 8 in 100 in the
     * hierarchy.
     */
    int CLOSE_ROUNDS = Hostile.LONG ? 1_000 : 100;
    /** Remove / re-spawn cycles; the issue saw a break in half the runs. */
    int RESPAWN_CYCLES = Hostile.LONG ? 5_000 : 400;

    /**
     * Item 1. Four threads submit tasks that delegate a few subtasks; {@code close()} comes after a
     * random number of submissions. Once it has returned, every future {@code submitTask} (or
     * {@code delegate}) returned is done, no task is left non-terminal, and no call threw.
     */
    @Test
    default void closeRacingSubmit_leavesNoFuturePending() throws Exception {
        long seed = Hostile.seed(1301);
        SplittableRandom random = new SplittableRandom(seed);
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        int pending = 0;
        int live = 0;
        int threw = 0;
        String first = null;
        try {
            for (int round = 0; round < CLOSE_ROUNDS; round++) {
                CloseRace race = closeRace(round, random.split(), submitters);
                pending += race.pendingAtClose() + race.pendingAfter() > 0 ? 1 : 0;
                live += race.live().isEmpty() ? 0 : 1;
                threw += race.thrown().isEmpty() ? 0 : 1;
                if (first == null && !race.held()) {
                    first = "round " + round + ": " + race;
                }
            }
        } finally {
            submitters.shutdownNow();
        }
        assertThat(first).as("of %d rounds, %d left a future pending, %d a task not ended, "
                + "%d had submitTask throw; %s", CLOSE_ROUNDS, pending, live, threw,
                Hostile.replay(getClass().getSimpleName()
                        + "#closeRacingSubmit_leavesNoFuturePending", seed)).isNull();
    }

    /** What one round of the close race saw. */
    record CloseRace(int futures, long pendingAtClose, long pendingAfter, List<String> live,
            List<String> thrown) {

        boolean held() {
            return pendingAtClose == 0 && pendingAfter == 0 && live.isEmpty()
                    && thrown.isEmpty();
        }

        @Override
        public String toString() {
            return pendingAtClose + " of " + futures + " futures pending when close() returned, "
                    + pendingAfter + " pending after the submitters stopped; tasks not ended: "
                    + live.subList(0, Math.min(5, live.size())) + " (" + live.size()
                    + "); thrown by submitTask: " + thrown.subList(0, Math.min(3, thrown.size()));
        }
    }

    private CloseRace closeRace(int round, SplittableRandom random, ExecutorService submitters)
            throws Exception {
        // not kept for the end of the test: a round's swarm is closed by the round
        try (ICoordinator swarm = CoordinatorFactory.createWithTopology(config(4)
                .topology(topology()).build())) {
            swarm.initialize().join();
            return closeRace(swarm, round, random, submitters);
        }
    }

    private CloseRace closeRace(ICoordinator swarm, int round, SplittableRandom random,
            ExecutorService submitters) throws Exception {
        Queue<CompletableFuture<TaskResult>> futures = new ConcurrentLinkedQueue<>();
        Queue<String> ids = new ConcurrentLinkedQueue<>();
        Queue<Throwable> escaped = new ConcurrentLinkedQueue<>();
        AgentSession delegating = ctx -> {
            int fan = (Integer) ctx.task().payload();
            for (int i = 0; i < fan; i++) {
                String id = ctx.task().id() + "." + i;
                ids.add(id);
                try {
                    futures.add(ctx.delegate(task(id, "t").payload(0).build()));
                } catch (IllegalStateException cancelled) {
                    // the task was failed by the shutdown: a session may no longer delegate
                    return null;
                }
            }
            spin(20_000);
            return null;
        };
        for (int i = 0; i < 3; i++) {
            swarm.spawnAgent(AgentDefinition.builder().id("w" + i).capabilities("t")
                    .session(delegating).build()).join();
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger submitted = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            int fanSeed = random.nextInt();
            running.add(submitters.submit(() -> {
                SplittableRandom fans = new SplittableRandom(fanSeed);
                // until the swarm refuses: past that point a submission races nothing
                boolean refused = false;
                for (int i = 0; !stop.get() && !refused; i++) {
                    String id = "r" + round + "-" + thread + "-" + i;
                    ids.add(id);
                    try {
                        CompletableFuture<TaskResult> future = swarm.submitTask(task(id, "t")
                                .payload(fans.nextInt(4)).build());
                        futures.add(future);
                        refused = Hostile.hasCause(Hostile.failureNow(future),
                                SwarmShutdownException.class);
                    } catch (Throwable e) {
                        escaped.add(e);
                        refused = true;
                    }
                    submitted.incrementAndGet();
                }
            }));
        }
        int closeAfter = random.nextInt(20, 2_000);
        long bound = System.nanoTime() + Hostile.PATIENCE.toNanos();
        while (submitted.get() < closeAfter && System.nanoTime() < bound) {
            Thread.onSpinWait();
        }

        swarm.close();

        List<CompletableFuture<TaskResult>> atClose = new ArrayList<>(futures);
        long pendingAtClose = atClose.stream().filter(f -> !f.isDone()).count();
        stop.set(true);
        for (Future<?> thread : running) {
            thread.get(30, TimeUnit.SECONDS);
        }
        long pendingAfter = futures.stream().filter(f -> !f.isDone()).count();
        return new CloseRace(atClose.size(), pendingAtClose, pendingAfter,
                Hostile.live(swarm, ids), escaped.stream().map(Hostile::chain).toList());
    }

    /** Rounds of the spawn races. */
    int SPAWN_ROUNDS = Hostile.LONG ? 2_000 : 150;

    /**
     * A batch is spawned and the swarm closed at once: agents whose start is still on its way
     * meet the stop. No handler throws (the suite's {@code HandlerFailureWatch} fails the test
     * if one does — the hierarchy's team lead once threw "cannot go from TERMINATED to IDLE"
     * here, found by the -Plong property run), and the spawn future ends, spawned or refused.
     */
    @Test
    default void closeRacingSpawn_endsTheSpawn_withoutAnActorThrowing() {
        long seed = Hostile.seed(1314);
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < SPAWN_ROUNDS; round++) {
            CompletableFuture<List<AgentHandle>> spawn;
            try (ICoordinator swarm = CoordinatorFactory.createWithTopology(config(16)
                    .topology(topology()).build())) {
                swarm.initialize().join();
                List<AgentDefinition> batch = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    batch.add(echo("a" + i, "t"));
                }
                spawn = swarm.spawnAgents(batch);
                spin(random.nextLong(0, 200_000));
            }
            assertThat(Hostile.doneWithin(spawn, Hostile.PATIENCE))
                    .as("round %d: the spawn future ended once close() returned; %s", round,
                            Hostile.replay(getClass().getSimpleName()
                                    + "#closeRacingSpawn_endsTheSpawn_withoutAnActorThrowing",
                                    seed))
                    .isTrue();
        }
    }

    /**
     * An agent is removed while its spawn is still under way (the removal retried until the
     * swarm knows the id). The removal waits for the agent to be in, so the team's slot count
     * stays true: afterwards the remaining agents run a batch of tasks and the swarm reports
     * completion, with the removed agent gone from {@code agents()}.
     */
    @Test
    default void removeRacingSpawn_removesTheAgent_andKeepsTheSwarmWhole() throws Exception {
        long seed = Hostile.seed(1315);
        SplittableRandom random = new SplittableRandom(seed);
        String replay = Hostile.replay(getClass().getSimpleName()
                + "#removeRacingSpawn_removesTheAgent_andKeepsTheSwarmWhole", seed);
        ExecutorService spawner = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < SPAWN_ROUNDS / 3; round++) {
                try (ICoordinator swarm = CoordinatorFactory.createWithTopology(config(16)
                        .topology(topology()).build())) {
                    swarm.initialize().join();
                    swarm.spawnAgent(echo("keeper", "t")).join();
                    String victim = "a" + random.nextInt(4);
                    Future<CompletableFuture<List<AgentHandle>>> spawn = spawner.submit(() ->
                            swarm.spawnAgents(List.of(echo("a0", "t"), echo("a1", "t"),
                                    echo("a2", "t"), echo("a3", "t"))));
                    CompletableFuture<Void> removal = swarm.removeAgent(victim);
                    long bound = System.nanoTime() + Hostile.PATIENCE.toNanos();
                    while (Hostile.hasCause(Hostile.failureNow(removal),
                            UnknownAgentException.class) && System.nanoTime() < bound) {
                        removal = swarm.removeAgent(victim);
                    }
                    spawn.get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
                    removal.get(30, TimeUnit.SECONDS);

                    List<CompletableFuture<TaskResult>> results = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        results.add(swarm.submitTask(task(null, "t").payload(i).build()));
                    }
                    for (CompletableFuture<TaskResult> result : results) {
                        assertThat(result.get(30, TimeUnit.SECONDS).isSuccess())
                                .as("round %d; %s", round, replay).isTrue();
                    }
                    assertThat(swarm.waitForCompletion(Duration.ofSeconds(30)).join())
                            .as("round %d; %s", round, replay).isTrue();
                    assertThat(swarm.agents()).extracting(AgentHandle::id)
                            .as("round %d; %s", round, replay)
                            .hasSize(4).doesNotContain(victim);
                }
            }
        } finally {
            spawner.shutdownNow();
        }
    }

    /**
     * Item 8. While two threads submit (some tasks delegating), an agent is removed and
     * spawned again with the same id, over and over — with idle agents paused automatically
     * (and resumed by the next task) or not: no call throws, the swarm reports completion once
     * the submitters stop, every future is done and no task is left behind.
     */
    @ParameterizedTest(name = "automatic pausing {0}")
    @ValueSource(booleans = {false, true})
    default void removeThenRespawnTheSameId_whileSubmitting_losesNothing(boolean autoPause)
            throws Exception {
        long seed = Hostile.seed(1308);
        SplittableRandom random = new SplittableRandom(seed);
        SwarmConfig.Builder settings = config(4).maxPendingTasks(2_000);
        if (autoPause) {
            settings.autoPause(true).pauseCheckInterval(Duration.ofMillis(2))
                    .idlePausePolicy(() -> IdlePausePolicy.fixed(Duration.ofMillis(1)));
        }
        ICoordinator swarm = swarm(settings);
        Queue<CompletableFuture<TaskResult>> futures = new ConcurrentLinkedQueue<>();
        Queue<String> ids = new ConcurrentLinkedQueue<>();
        Queue<String> escaped = new ConcurrentLinkedQueue<>();
        AgentSession session = ctx -> {
            if ((Integer) ctx.task().payload() > 0) {
                String id = ctx.task().id() + ".sub";
                ids.add(id);
                futures.add(ctx.delegate(task(id, "t").payload(0).build()));
            }
            spin(5_000);
            return null;
        };
        for (int i = 0; i < 3; i++) {
            swarm.spawnAgent(AgentDefinition.builder().id("a" + i).capabilities("t")
                    .session(session).build()).join();
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService submitters = Executors.newFixedThreadPool(2);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int t = 0; t < 2; t++) {
                int thread = t;
                running.add(submitters.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String id = "s" + thread + "-" + i;
                        ids.add(id);
                        try {
                            futures.add(swarm.submitTask(task(id, "t").payload(i % 3)
                                    .build()));
                        } catch (Throwable e) {
                            escaped.add("submitTask: " + Hostile.chain(e));
                        }
                    }
                }));
            }
            for (int cycle = 0; cycle < RESPAWN_CYCLES && escaped.isEmpty(); cycle++) {
                String id = "a" + random.nextInt(3);
                try {
                    swarm.removeAgent(id).get(10, TimeUnit.SECONDS);
                    swarm.spawnAgent(AgentDefinition.builder().id(id).capabilities("t")
                            .session(session).build()).get(10, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    escaped.add("cycle " + cycle + ": removing or re-spawning '" + id
                            + "' did not complete within 10 s");
                } catch (Throwable e) {
                    escaped.add("cycle " + cycle + " on '" + id + "': " + Hostile.chain(e));
                }
            }
        } finally {
            stop.set(true);
            for (Future<?> thread : running) {
                try {
                    thread.get(10, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // released by the close after the test
                    escaped.add("a submitter was still blocked in submitTask 10 s after it was "
                            + "told to stop: the swarm never made room again");
                }
            }
            submitters.shutdownNow();
        }

        String replay = Hostile.replay(getClass().getSimpleName()
                + "#removeThenRespawnTheSameId_whileSubmitting_losesNothing", seed);
        assertThat(escaped).as(replay).isEmpty();
        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join())
                .as("completion after the submitters stopped; not ended: %s; %s",
                        Hostile.live(swarm, ids), replay).isTrue();
        assertThat(futures).as(replay).allMatch(CompletableFuture::isDone);
        assertThat(Hostile.live(swarm, ids)).as(replay).isEmpty();
    }

    /**
     * Item 13. {@code close()} called from inside a session — a library thread — returns well
     * within the shutdown grace period and does not claim sessions were still running.
     */
    @Test
    default void closeFromInsideASession_returnsPromptly_withoutAFalseStillRunningWarning() {
        try (LogCapture logs = LogCapture.library(Level.WARN)) {
            ICoordinator swarm = swarm(config(3));
            AtomicReference<ICoordinator> self = new AtomicReference<>(swarm);
            CompletableFuture<Void> closed = new CompletableFuture<>();
            swarm.spawnAgent(AgentDefinition.builder().id("closer").capabilities("t")
                    .session(ctx -> {
                        try {
                            self.get().close();
                            closed.complete(null);
                        } catch (Throwable e) {
                            closed.completeExceptionally(e);
                        }
                        return null;
                    }).build()).join();

            CompletableFuture<TaskResult> closing = swarm.submitTask(task("close", "t").build());

            Hostile.waiting().atMost(Duration.ofSeconds(5)).until(closed::isDone);
            assertThat(closed).isCompleted();
            assertThat(closing).isDone();
            assertThat(logs.containing("still running")).isEmpty();
        }
    }

    /**
     * Item 13. A thread whose interrupt flag is set submits with room to spare: the task is
     * accepted and runs as any other, and the flag is still set afterwards.
     */
    @Test
    default void submitFromAnInterruptedThread_isAccepted_andKeepsTheInterrupt() {
        ICoordinator swarm = swarm(config(3));
        swarm.spawnAgent(echo("a", "t")).join();
        Task task = task("while-interrupted", "t").payload("ok").build();

        CompletableFuture<TaskResult> result;
        boolean stillInterrupted;
        Thread.currentThread().interrupt();
        try {
            result = Hostile.caught(() -> swarm.submitTask(task));
        } finally {
            stillInterrupted = Thread.interrupted();
        }

        assertThat(stillInterrupted).as("interrupt flag after submitTask").isTrue();
        Hostile.waiting().until(result::isDone);
        assertThat(Hostile.failureNow(result)).as("why the submission failed").isNull();
        assertThat(result.join().output()).isEqualTo("ok");
    }
}
