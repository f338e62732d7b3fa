package io.github.hivemesh.hierarchy;

import static io.github.hivemesh.testing.Tasks.reason;
import static io.github.hivemesh.testing.Tasks.runGate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the hierarchy promises: teams, global order, stealing, requeues, its queue bound. */
class HierarchicalCoordinatorTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final List<ICoordinator> swarms = new ArrayList<>();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
    /** Agent id → ids of the tasks it ran, in start order. */
    private final Map<String, List<String>> ran = new ConcurrentHashMap<>();
    private final List<String> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() {
        gates.values().forEach(CountDownLatch::countDown);
        swarms.forEach(ICoordinator::close);
    }

    private HierarchicalCoordinator swarm(int maxAgents, HierarchicalCoordinatorConfig settings) {
        return swarm(SwarmConfig.builder().topology(Topology.HIERARCHICAL).maxAgents(maxAgents)
                .hierarchicalConfig(settings).randomSeed(42));
    }

    private HierarchicalCoordinator swarm(SwarmConfig.Builder config) {
        HierarchicalCoordinator swarm = new HierarchicalCoordinator(config.build());
        swarms.add(swarm);
        swarm.initialize().join();
        return swarm;
    }

    private static HierarchicalCoordinatorConfig.Builder settings() {
        return HierarchicalCoordinatorConfig.builder();
    }

    /** One slot; a "gate" task blocks on this agent's own gate; every run is logged. */
    private AgentDefinition gated(String id, String... capabilities) {
        CountDownLatch gate = new CountDownLatch(1);
        gates.put(id, gate);
        ran.put(id, new CopyOnWriteArrayList<>());
        return AgentDefinition.builder().id(id).capabilities(capabilities).maxConcurrentTasks(1)
                .session(ctx -> {
                    started.add(ctx.task().id());
                    if ("gate".equals(ctx.task().payload())) {
                        gates.get(id).await(30, TimeUnit.SECONDS);
                    } else {
                        ran.get(id).add(ctx.task().id());
                    }
                    return ctx.agentId();
                }).build();
    }

    private static Task task(String id, String capability, int priority) {
        return Task.builder().id(id).type("t").requiredCapabilities(capability)
                .priority(priority).build();
    }

    // ---- teams ----------------------------------------------------------------------------

    @Test
    void agents_fillTeamsOfAtMostTheFanOut_evenly() {
        HierarchicalCoordinator swarm = swarm(100, settings().fanOut(32).build());
        List<AgentDefinition> agents = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            agents.add(AgentDefinition.builder().id("a" + i).capabilities("t")
                    .session(ctx -> ctx.agentId()).build());
        }
        swarm.spawnAgents(agents).join();
        for (int i = 0; i < 400; i++) {
            swarm.submitTask(Task.builder().type("t").requiredCapabilities("t").build());
        }

        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        // team leads record each end just after it is counted
        await().atMost(LONG).until(() -> swarm.getHierarchyMetrics().tasksPerTeam().values()
                .stream().mapToLong(Long::longValue).sum() == 400);
        HierarchyMetrics metrics = swarm.getHierarchyMetrics();
        assertThat(metrics.teams()).isEqualTo(4);
        assertThat(swarm.roster().teams()).allSatisfy(team ->
                assertThat(team.members).isEqualTo(25));
        assertThat(metrics.tasksPerTeam().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(400);
        assertThat(metrics.tasksPerWorker()).hasSize(100);
        assertThat(metrics.queenHeld()).isZero();
        assertThat(metrics.queenReady()).isZero();
        await().atMost(LONG).until(() -> swarm.agents().stream()
                .allMatch(a -> a.state() == AgentState.IDLE));
    }

    @Test
    void order_isGlobal_aFreeWorkerInAnyTeamTakesTheBestWaitingTask() {
        // fan-out 1: every worker is a team of its own
        HierarchicalCoordinator swarm = swarm(2, settings().fanOut(1).build());
        swarm.spawnAgents(List.of(gated("left", "w"), gated("right", "w"))).join();
        runGate(swarm, "gate-1", "w");
        runGate(swarm, "gate-2", "w");
        String[] ids = {"a", "b", "c", "d", "e", "f", "g", "h"};
        int[] priorities = {1, 10, 5, 10, 1, 5, 10, 3};
        for (int i = 0; i < ids.length; i++) {
            swarm.submitTask(task(ids[i], "w", priorities[i]));
        }
        String freed = swarm.taskStatus("gate-1").orElseThrow().assignedAgent();

        gates.get(freed).countDown();

        await().atMost(LONG).until(() -> ran.get(freed).size() == ids.length);
        assertThat(ran.get(freed)).containsExactly("b", "d", "g", "c", "f", "h", "a", "e");
        assertThat(swarm.getHierarchyMetrics().tasksStolen()).isZero();
        gates.values().forEach(CountDownLatch::countDown);
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
    }

    /**
     * Two teams, each with an x-worker (one slot) and a z-worker: with both x-workers blocked,
     * one x-task queues at each team (their z-workers make room). Only one x-worker is freed.
     */
    private HierarchicalCoordinator queuedAtBothTeams(boolean stealing) {
        HierarchicalCoordinator swarm = swarm(4, settings().fanOut(2).workStealing(stealing)
                .build());
        // members go to the least populated team: x0 and z0 to team 0, x1 and z1 to team 1
        swarm.spawnAgents(List.of(gated("x0", "x"), gated("x1", "x"), gated("z0", "z"),
                gated("z1", "z"))).join();
        runGate(swarm, "gate-a", "x");
        runGate(swarm, "gate-b", "x");
        swarm.submitTask(task("A", "x", 5));
        swarm.submitTask(task("B", "x", 5));
        await().atMost(LONG).until(() -> swarm.getHierarchyMetrics().teamQueued() == 2);
        return swarm;
    }

    @Test
    void idleTeam_stealsQueuedWork_fromTheBusiestTeam() {
        HierarchicalCoordinator swarm = queuedAtBothTeams(true);

        gates.get("x1").countDown();

        await().atMost(LONG).until(() -> ran.get("x1").size() == 2);
        assertThat(ran.get("x1")).containsExactlyInAnyOrder("A", "B");
        assertThat(ran.get("x0")).isEmpty();
        assertThat(swarm.getHierarchyMetrics().tasksStolen()).isEqualTo(1);
        assertThat(swarm.getHierarchyMetrics().teamQueued()).isZero();
        gates.get("x0").countDown();
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
    }

    @Test
    void withoutStealing_queuedWorkWaitsForItsOwnTeam() {
        HierarchicalCoordinator swarm = queuedAtBothTeams(false);

        gates.get("x1").countDown();

        await().atMost(LONG).until(() -> ran.get("x1").size() == 1);
        assertThat(swarm.waitForCompletion(Duration.ofMillis(100)).join()).isFalse();
        assertThat(ran.get("x1")).hasSize(1);
        assertThat(swarm.getHierarchyMetrics().teamQueued()).isEqualTo(1);
        gates.get("x0").countDown();
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(ran.get("x0")).hasSize(1);
        assertThat(swarm.getHierarchyMetrics().tasksStolen()).isZero();
    }

    @Test
    void removedWorker_hasTheQueuedWorkItsTeamCannotRun_requeuedElsewhere() {
        HierarchicalCoordinator swarm = queuedAtBothTeams(false);

        CompletableFuture<Void> removed = swarm.removeAgent("x0");
        gates.get("x1").countDown();

        // x0's team has no other x-worker: its queued task goes back to the queen, then to x1
        await().atMost(LONG).until(() -> ran.get("x1").size() == 2);
        assertThat(ran.get("x1")).containsExactlyInAnyOrder("A", "B");
        assertThat(swarm.getHierarchyMetrics().tasksRequeued()).isEqualTo(1);
        assertThat(removed).isNotDone();
        gates.get("x0").countDown();
        removed.join();
        assertThat(swarm.agents()).extracting(AgentHandle::id)
                .containsExactlyInAnyOrder("x1", "z0", "z1");
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
    }

    // ---- bounds, refusals ------------------------------------------------------------------

    @Test
    void beyondQueueCapacity_aSubmissionIsRefused_andNothingAcceptedIsLost() {
        HierarchicalCoordinator swarm = swarm(2, settings().queueCapacity(3).build());
        swarm.spawnAgent(gated("solo", "w")).join();
        runGate(swarm, "gate", "w");
        List<CompletableFuture<TaskResult>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(swarm.submitTask(task("held-" + i, "w", 5)));
        }

        CompletableFuture<TaskResult> refused = swarm.submitTask(task("extra", "w", 5));

        assertThat(refused).isCompletedExceptionally();
        assertThat(io.github.hivemesh.testing.Tasks.reason(refused))
                .isInstanceOf(QueueFullException.class)
                .hasMessageContaining("'extra'").hasMessageContaining("3");
        assertThat(swarm.taskStatus("extra")).isEmpty();
        assertThat(swarm.getHierarchyMetrics().queenHeld()).isEqualTo(3);
        gates.get("solo").countDown();
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(held).allSatisfy(f -> assertThat(f).isCompleted());
        assertThat(swarm.submitTask(task("extra", "w", 5)).join().agentId()).isEqualTo("solo");
    }

    @Test
    void spawnAgent_withAReservedId_isRefused() {
        HierarchicalCoordinator swarm = swarm(3, settings().build());
        String queenId = "hivemesh.hierarchy." + swarm.swarmId() + ".queen";

        assertThatThrownBy(() -> swarm.spawnAgent(gated(queenId, "w")).join())
                .cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved");
    }

    @Test
    void shutdown_failsARunningTask_withTheShutdownAsItsReason() {
        HierarchicalCoordinator swarm = swarm(3, settings().build());
        swarm.spawnAgent(gated("solo", "w")).join();
        CompletableFuture<TaskResult> running = runGate(swarm, "gate", "w");

        swarm.close();

        assertThat(reason(running)).isInstanceOf(SwarmShutdownException.class);
        assertThat(swarm.agents()).isEmpty();
        assertThat(swarm.initialize()).isCompletedExceptionally();
        assertThatThrownBy(() -> swarm.waitForCompletion(LONG).join())
                .cause().isInstanceOf(SwarmShutdownException.class);
    }

    // ---- messages, tokens, injected threads --------------------------------------------------

    @Test
    void agents_exchangeApplicationMessages_oneAtATime_inOrder() {
        HierarchicalCoordinator swarm = swarm(3, settings().build());
        List<Object> inbox = new CopyOnWriteArrayList<>();
        CountDownLatch received = new CountDownLatch(50);
        swarm.spawnAgent(AgentDefinition.builder().id("listener").capabilities("listen")
                .session(ctx -> null)
                .messageHandler(m -> {
                    inbox.add(m.type() + ":" + m.payload() + ":" + m.senderId());
                    received.countDown();
                }).build()).join();
        swarm.spawnAgent(AgentDefinition.builder().id("talker").capabilities("talk")
                .session(ctx -> {
                    for (int i = 0; i < 50; i++) {
                        ctx.sendToPeer("listener", "note", i).join();
                    }
                    ctx.recordTokens(120);
                    assertThatThrownBy(() -> ctx.sendToPeer("talker", "note", 0).join())
                            .cause().hasMessageContaining("accepts no messages");
                    assertThatThrownBy(() -> ctx.sendToPeer("nobody", "note", 0).join())
                            .cause().hasMessageContaining("is not in swarm");
                    return null;
                }).build()).join();

        swarm.submitTask(Task.builder().type("t").requiredCapabilities("talk").build()).join();

        await().atMost(LONG).until(() -> received.getCount() == 0);
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("note:" + i + ":talker");
        }
        assertThat(inbox).isEqualTo(expected);
        assertThat(swarm.roster().worker("talker").meter().workTokens()).isEqualTo(120);
        swarm.removeAgent("listener").join();
        assertThat(swarm.agents()).extracting(AgentHandle::id).containsExactly("talker");
    }

    @Test
    void injectedBrokerAndThreads_areUsed_andLeftRunningOnClose() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(2);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (InProcessMessageBroker broker = new InProcessMessageBroker()) {
            HierarchicalCoordinator swarm = swarm(SwarmConfig.builder()
                    .topology(Topology.HIERARCHICAL).maxAgents(40).broker(broker)
                    .workerExecutor(workers).scheduler(timer)
                    .hierarchicalConfig(settings().fanOut(8).build()));
            Map<String, String> threads = new ConcurrentHashMap<>();
            List<AgentDefinition> agents = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                agents.add(AgentDefinition.builder().id("a" + i).capabilities("t")
                        .session(ctx -> threads.put(ctx.task().id(),
                                Thread.currentThread().getName())).build());
            }
            swarm.spawnAgents(agents).join();
            for (int i = 0; i < 100; i++) {
                swarm.submitTask(Task.builder().type("t").requiredCapabilities("t").build());
            }
            assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
            assertThat(swarm.waitForCompletion(Duration.ofMillis(1)).join()).isTrue();
            int endpoints = broker.getMetrics().endpoints();

            swarm.close();

            assertThat(threads.values()).allMatch(name -> name.startsWith("pool-"));
            assertThat(endpoints).isGreaterThanOrEqualTo(2);
            assertThat(broker.getMetrics().endpoints()).isZero();
            assertThat(broker.isClosed()).isFalse();
            assertThat(workers.isShutdown()).isFalse();
            assertThat(timer.isShutdown()).isFalse();
        } finally {
            workers.shutdownNow();
            timer.shutdownNow();
        }
    }

    @Test
    void delegatedSubtasksWithDependencies_waitForTheirSiblings() {
        HierarchicalCoordinator swarm = swarm(8, settings().fanOut(2).build());
        List<String> order = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 8; i++) {
            swarm.spawnAgent(AgentDefinition.builder().id("w" + i).capabilities("w")
                    .session(ctx -> {
                        order.add(ctx.task().id());
                        if ("root".equals(ctx.task().id())) {
                            ctx.delegate(Task.builder().id("first").type("t")
                                    .requiredCapabilities("w").build());
                            ctx.delegate(Task.builder().id("second").type("t")
                                    .requiredCapabilities("w").dependencies("first").build());
                            ctx.delegate(Task.builder().id("third").type("t")
                                    .requiredCapabilities("w")
                                    .dependencies("second", "first").build());
                        }
                        return null;
                    }).build()).join();
        }

        swarm.submitTask(Task.builder().id("root").type("t").requiredCapabilities("w").build());
        CompletableFuture<TaskResult> last = swarm.submitTask(Task.builder().id("last")
                .type("t").requiredCapabilities("w").dependencies("root").build());

        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(last).isCompleted();
        assertThat(order).containsSubsequence("root", "first", "second", "third");
        assertThat(order.indexOf("last")).isGreaterThan(order.indexOf("root"));
    }
}
