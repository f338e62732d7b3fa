package io.github.hivemesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.DuplicateAgentException;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.memory.PeerState;
import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.DuplicateTaskException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.task.UnknownDependencyException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.github.hivemesh.testing.Tasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mesh's own features, beyond the {@code ICoordinator} contract. */
class MeshCoordinatorTest {

    private final List<MeshCoordinator> meshes = new ArrayList<>();

    @AfterEach
    void closeAll() {
        meshes.forEach(MeshCoordinator::close);
    }

    private MeshCoordinator mesh(MeshCoordinatorConfig.Builder meshConfig) {
        MeshCoordinator mesh = new MeshCoordinator(SwarmConfig.builder().topology(Topology.MESH)
                .maxAgents(7).meshConfig(meshConfig.build()).build());
        meshes.add(mesh);
        mesh.initialize().join();
        return mesh;
    }

    private MeshCoordinator mesh() {
        return mesh(MeshCoordinatorConfig.builder().discoveryEnabled(false));
    }

    private static AgentDefinition agent(String id, AgentSession session, String... caps) {
        return AgentDefinition.builder().id(id).capabilities(caps).maxConcurrentTasks(1)
                .session(session).build();
    }

    private static Task task(String capability) {
        return Task.builder().type("t").requiredCapabilities(capability).build();
    }

    @Test
    void slowDiscoveryInterval_buildsAMeshThatRunsTasks() {
        // peers time out after three intervals: past 100 s that outlasted the default eviction
        // timeout (5 min), and the mesh's own discovery settings failed to build
        MeshCoordinator mesh = mesh(MeshCoordinatorConfig.builder()
                .discoveryInterval(Duration.ofMinutes(2)));
        mesh.spawnAgent(agent("a", ctx -> "done", "t")).join();

        assertThat(mesh.submitTask(task("t")).join().output()).isEqualTo("done");
    }

    @Test
    void queuedTasks_runByPriority_andFifoWithinAPriority() throws Exception {
        MeshCoordinator mesh = mesh();
        CountDownLatch gate = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        mesh.spawnAgent(agent("solo", ctx -> {
            if ("gate".equals(ctx.task().id())) {
                gate.await(10, TimeUnit.SECONDS);
            } else {
                order.add(ctx.task().id());
            }
            return null;
        }, "t")).join();
        mesh.submitTask(Task.builder().id("gate").type("t").requiredCapabilities("t").build());
        await().until(() -> mesh.taskStatus("gate").orElseThrow().state() == TaskState.RUNNING);
        int[] priorities = {1, 5, 10, 5, 1, 10};
        for (int i = 0; i < priorities.length; i++) {
            mesh.submitTask(Task.builder().id("p" + priorities[i] + "-" + i).type("t")
                    .requiredCapabilities("t").priority(priorities[i]).build());
        }
        await().until(() -> mesh.getPeer("solo").orElseThrow().load() == 7);
        gate.countDown();

        assertThat(mesh.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        assertThat(order).containsExactly("p10-2", "p10-5", "p5-1", "p5-3", "p1-0", "p1-4");
    }

    @Test
    void assignTaskToPeer_tellsWhereTheTaskWent() {
        MeshCoordinator mesh = mesh();
        mesh.spawnAgent(agent("only-x", ctx -> "x", "x")).join();
        mesh.spawnAgent(agent("only-y", ctx -> "y", "y")).join();

        assertThat(mesh.assignTaskToPeer(task("y")).join()).isEqualTo("only-y");
        assertThat(mesh.assignTaskToPeer(task("x")).join()).isEqualTo("only-x");
        assertThat(mesh.assignTaskToPeer(task("z"))).isCompletedExceptionally();
    }

    @Test
    void peerViews_countWhatEachPeerDid() {
        MeshCoordinator mesh = mesh();
        mesh.spawnAgent(agent("worker", ctx -> {
            if (ctx.task().payload() != null) {
                throw new IllegalStateException("no");
            }
            return "ok";
        }, "t", "extra")).join();
        mesh.spawnAgent(agent("other", ctx -> null, "u")).join();
        mesh.submitTask(task("t")).join();
        mesh.submitTask(task("t")).join();
        mesh.submitTask(Task.builder().type("t").requiredCapabilities("t").payload(1).build());
        assertThat(mesh.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();

        PeerAgent worker = mesh.getPeer("worker").orElseThrow();
        assertThat(worker.tasksCompleted()).isEqualTo(2);
        assertThat(worker.tasksFailed()).isEqualTo(1);
        assertThat(worker.successRate()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(worker.load()).isZero();
        assertThat(worker.state()).isEqualTo(AgentState.IDLE);
        assertThat(worker.neighbors()).containsExactly("other");
        assertThat(mesh.getActivePeers()).extracting(PeerAgent::id)
                .containsExactlyInAnyOrder("worker", "other");
        assertThat(mesh.findPeersByCapabilities(List.of("t", "extra"))).extracting(PeerAgent::id)
                .containsExactly("worker");
        assertThat(mesh.getPeer("nobody")).isEmpty();
        MeshMetrics metrics = mesh.getMeshMetrics();
        assertThat(metrics.totalPeers()).isEqualTo(2);
        assertThat(metrics.activePeers()).isEqualTo(2);
        assertThat(metrics.messagesSent()).isGreaterThanOrEqualTo(metrics.messagesReceived())
                .isPositive();
        assertThat(metrics.tokenSavingsPercentage()).isZero();
    }

    @Test
    void agents_exchangeApplicationMessages_andAnAgentWithoutHandlerRefusesThem() {
        MeshCoordinator mesh = mesh();
        CompletableFuture<Message> received = new CompletableFuture<>();
        mesh.spawnAgent(AgentDefinition.builder().id("listener").capabilities("listen")
                .session(ctx -> null).messageHandler(received::complete).build()).join();
        AtomicReference<CompletableFuture<Void>> toMute = new AtomicReference<>();
        mesh.spawnAgent(agent("talker", ctx -> {
            ctx.sendToPeer("listener", "hello", "world").join();
            toMute.set(ctx.sendToPeer("talker", "echo", "x"));
            return null;
        }, "talk")).join();

        mesh.submitTask(task("talk")).join();

        Message message = received.join();
        assertThat(message.type()).isEqualTo("hello");
        assertThat(message.payload()).isEqualTo("world");
        assertThat(message.senderId()).isEqualTo("talker");
        assertThatThrownBy(() -> toMute.get().join()).hasMessageContaining("accepts no messages");
    }

    @Test
    void removeAgent_movesItsQueuedTasksToOthers_andLosesNothing() throws Exception {
        MeshCoordinator mesh = mesh();
        CountDownLatch gate = new CountDownLatch(1);
        Map<String, String> ranOn = new ConcurrentHashMap<>();
        mesh.spawnAgent(agent("leaving", ctx -> {
            if ("gate".equals(ctx.task().id())) {
                gate.await(10, TimeUnit.SECONDS);
            }
            ranOn.put(ctx.task().id(), ctx.agentId());
            return null;
        }, "t")).join();
        mesh.submitTask(Task.builder().id("gate").type("t").requiredCapabilities("t").build());
        for (int i = 0; i < 5; i++) {
            mesh.submitTask(Task.builder().id("q" + i).type("t").requiredCapabilities("t").build());
        }
        await().until(() -> mesh.getPeer("leaving").orElseThrow().load() == 6);
        mesh.spawnAgent(agent("staying", ctx -> {
            ranOn.put(ctx.task().id(), ctx.agentId());
            return null;
        }, "t")).join();

        CompletableFuture<Void> removed = mesh.removeAgent("leaving");
        gate.countDown();
        removed.join();

        assertThat(mesh.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        assertThat(ranOn).containsEntry("gate", "leaving").hasSize(6);
        for (int i = 0; i < 5; i++) {
            assertThat(ranOn).containsEntry("q" + i, "staying");
        }
        assertThat(mesh.getPeer("leaving")).isEmpty();
        assertThat(mesh.agents()).extracting(a -> a.id()).containsExactly("staying");
        assertThatThrownBy(() -> mesh.removeAgent("leaving").join())
                .hasMessageContaining("no agent 'leaving'");
        // the freed slot can be used again
        mesh.spawnAgent(agent("leaving", ctx -> null, "t")).join();
    }

    @Test
    void rebalance_movesOnlyUnstartedTasks_fromAnOverloadedPeer() throws Exception {
        MeshCoordinator mesh = mesh();
        CountDownLatch gate = new CountDownLatch(1);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        AgentSession counting = ctx -> {
            if ("gate".equals(ctx.task().id())) {
                gate.await(10, TimeUnit.SECONDS);
            }
            runs.computeIfAbsent(ctx.task().id(), k -> new AtomicInteger()).incrementAndGet();
            return null;
        };
        mesh.spawnAgent(agent("busy", counting, "t")).join();
        mesh.submitTask(Task.builder().id("gate").type("t").requiredCapabilities("t").build());
        for (int i = 0; i < 8; i++) {
            mesh.submitTask(task("t"));
        }
        await().until(() -> mesh.getPeer("busy").orElseThrow().load() == 9);
        mesh.spawnAgent(agent("fresh", counting, "t")).join();

        RebalanceResult result = mesh.rebalanceMesh().join();
        gate.countDown();

        assertThat(result.migrations()).isNotEmpty()
                .allSatisfy(m -> assertThat(m.toPeerId()).isEqualTo("fresh"))
                .noneSatisfy(m -> assertThat(m.taskId()).isEqualTo("gate"));
        assertThat(mesh.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        assertThat(runs).hasSize(9);
        assertThat(runs.values()).allMatch(count -> count.get() == 1);
        // the moved tasks ran there or, queued behind its slots, were taken back by the busy
        // peer once it was free (peers steal when idle): each ran once, and the fresh peer ran
        // at least the one it started at once
        long fresh = mesh.getPeer("fresh").orElseThrow().tasksCompleted();
        assertThat(fresh).isPositive();
        assertThat(fresh + mesh.getPeer("busy").orElseThrow().tasksCompleted()).isEqualTo(9);
        assertThat(mesh.getMeshMetrics().tasksMoved())
                .isGreaterThanOrEqualTo(result.migrations().size());
        // the moved load travelled with the tasks: nothing left behind on either peer
        assertThat(mesh.getPeer("fresh").orElseThrow().load()).isZero();
        assertThat(mesh.getPeer("busy").orElseThrow().load()).isZero();
    }

    @Test
    void autoRebalance_evensOutLoadWithoutBeingAsked() throws Exception {
        MeshCoordinator mesh = mesh(MeshCoordinatorConfig.builder().discoveryEnabled(false)
                .autoRebalance(true).rebalanceInterval(Duration.ofMillis(20)));
        CountDownLatch gate = new CountDownLatch(1);
        AgentSession gated = ctx -> gate.await(10, TimeUnit.SECONDS);
        mesh.spawnAgent(agent("busy", gated, "t")).join();
        for (int i = 0; i < 6; i++) {
            mesh.submitTask(task("t"));
        }
        mesh.spawnAgent(agent("fresh", gated, "t")).join();

        await().until(() -> mesh.getPeer("fresh").orElseThrow().load() >= 2);
        gate.countDown();
        assertThat(mesh.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
    }

    @Test
    void discovery_convergesBeforeSpawnCompletes_andNeighboursAreTheOtherPeers() {
        MeshCoordinator mesh = mesh(MeshCoordinatorConfig.builder().discoveryEnabled(true));
        List<CompletableFuture<?>> spawns = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            spawns.add(mesh.spawnAgent(agent(id, ctx -> null, "t")));
        }
        spawns.forEach(CompletableFuture::join);

        for (String id : List.of("a", "b", "c")) {
            assertThat(mesh.getPeer(id).orElseThrow().neighbors()).hasSize(2).doesNotContain(id);
        }
        assertThat(mesh.getMeshMetrics().discoveryTime()).isPositive();
        // delegation uses the delegating peer's own view
        assertThat(mesh.submitTask(task("t")).join().state()).isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void peerStates_areSharedAsArtifacts_inTheDurableStore(@TempDir Path dir) {
        MeshCoordinator mesh = mesh(MeshCoordinatorConfig.builder().discoveryEnabled(false)
                .artifactStoragePath(dir));
        mesh.spawnAgent(agent("w", ctx -> {
            ctx.recordTokens(42);
            return null;
        }, "t")).join();
        mesh.submitTask(task("t")).join();
        assertThat(mesh.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();

        await().until(() -> mesh.peerStates().state("w").map(PeerState::metrics)
                .map(m -> m.get("tasksCompleted")).orElse(0L) == 1L);
        PeerState state = mesh.peerStates().state("w").orElseThrow();
        assertThat(state.metrics()).containsEntry("tokens", 42L);
        assertThat(state.load()).isZero();
        assertThat(mesh.peerStates().states()).hasSize(1);
        assertThat(Files.exists(dir)).isTrue();
    }

    @Test
    void sessionRules_delegateOnlyWhileRunning_andTokensNotNegative() {
        MeshCoordinator mesh = mesh();
        AtomicReference<TaskContext> escaped = new AtomicReference<>();
        AtomicReference<Throwable> negative = new AtomicReference<>();
        mesh.spawnAgent(agent("w", ctx -> {
            escaped.set(ctx);
            try {
                ctx.recordTokens(-1);
            } catch (IllegalArgumentException e) {
                negative.set(e);
            }
            return ctx.swarmId();
        }, "t")).join();

        assertThat(mesh.submitTask(task("t")).join().output()).isEqualTo(mesh.swarmId());

        assertThat(negative.get()).hasMessageContaining("tokens");
        assertThat(escaped.get().isCancelled()).isTrue();
        assertThatThrownBy(() -> escaped.get().delegate(task("t")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has ended");
    }

    @Test
    void delegatedSubtaskWithDependencies_waitsAtTheRoot_andFailsWithAFailedDependency() {
        MeshCoordinator mesh = mesh();
        List<CompletableFuture<TaskResult>> children = new CopyOnWriteArrayList<>();
        mesh.spawnAgent(agent("w", ctx -> {
            if ("parent".equals(ctx.task().id())) {
                children.add(ctx.delegate(Task.builder().id("after-ok").type("t")
                        .requiredCapabilities("t").dependencies("ok").build()));
                children.add(ctx.delegate(Task.builder().id("after-bad").type("t")
                        .requiredCapabilities("t").dependencies("bad").build()));
            }
            if ("bad".equals(ctx.task().id())) {
                throw new IllegalStateException("bad");
            }
            return null;
        }, "t")).join();
        mesh.submitTask(Task.builder().id("ok").type("t").requiredCapabilities("t").build());
        mesh.submitTask(Task.builder().id("bad").type("t").requiredCapabilities("t").build());

        mesh.submitTask(Task.builder().id("parent").type("t").requiredCapabilities("t").build())
                .join();

        assertThat(mesh.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        assertThat(children.get(0).join().state()).isEqualTo(TaskState.COMPLETED);
        assertThatThrownBy(() -> children.get(1).join()).cause().cause()
                .isInstanceOf(DependencyFailedException.class).hasMessageContaining("'bad'");
        assertThat(mesh.completionDetector().getDeficitCounter(mesh.rootId())).isZero();
    }

    @Test
    void badRequests_areRefusedClearly() {
        MeshCoordinator mesh = mesh();
        mesh.spawnAgent(agent("w", ctx -> null, "t")).join();
        mesh.submitTask(Task.builder().id("one").type("t").requiredCapabilities("t").build());

        assertThat(Tasks.reason(mesh.submitTask(Task.builder().id("one").type("t").build())))
                .isInstanceOf(DuplicateTaskException.class);
        assertThat(Tasks.reason(mesh.submitTask(Task.builder().type("t").dependencies("nope")
                .build()))).isInstanceOf(UnknownDependencyException.class);
        assertThatThrownBy(() -> mesh.spawnAgent(agent("w", ctx -> null)).join())
                .cause().isInstanceOf(DuplicateAgentException.class);
        assertThatThrownBy(() -> mesh.spawnAgent(agent(mesh.rootId(), ctx -> null)).join())
                .cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved");
        assertThatThrownBy(() -> mesh.submitTask(null)).hasMessage("task");
    }

    @Test
    void meshMetrics_tokenSavings_readFromTheQueryController() {
        io.github.hivemesh.testing.VirtualScheduler time =
                new io.github.hivemesh.testing.VirtualScheduler();
        MeshCoordinator mesh = new MeshCoordinator(SwarmConfig.builder().topology(Topology.MESH)
                .maxAgents(3).autoPause(false).scheduler(time).clock(time.clock())
                .meshConfig(MeshCoordinatorConfig.builder().discoveryEnabled(false).build())
                .build());
        meshes.add(mesh);
        mesh.initialize().join();
        mesh.spawnAgent(agent("a", ctx -> null)).join();
        time.advance(Duration.ofSeconds(10));
        mesh.queryController().pauseAgent("a").join();
        time.advance(Duration.ofSeconds(10));

        // 20 s idle without pausing = 400 tokens; 10 s paused saved 200 (no resume yet)
        assertThat(mesh.getMeshMetrics().tokenSavingsPercentage()).isEqualTo(50.0);
        assertThat(mesh.getMeshMetrics().tokenSavingsPercentage())
                .isEqualTo(mesh.queryController().getMeshTokenSavings(mesh.swarmId())
                        .percentage());
    }

    @Test
    void spawnAgents_checksTheWholeBatchFirst_soARefusedBatchSpawnsNothing() {
        MeshCoordinator mesh = mesh();
        mesh.spawnAgent(agent("existing", ctx -> null)).join();

        assertThatThrownBy(() -> mesh.spawnAgents(List.of(agent("x", ctx -> null),
                agent("x", ctx -> null))).join()).cause()
                .isInstanceOf(DuplicateAgentException.class);
        assertThatThrownBy(() -> mesh.spawnAgents(List.of(agent("y", ctx -> null),
                agent("existing", ctx -> null))).join()).cause()
                .isInstanceOf(DuplicateAgentException.class);
        List<AgentDefinition> tooMany = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            tooMany.add(agent("n" + i, ctx -> null));
        }
        assertThatThrownBy(() -> mesh.spawnAgents(tooMany).join()).cause()
                .isInstanceOf(io.github.hivemesh.agent.AgentLimitExceededException.class)
                .hasMessageContaining("7 agents").hasMessageContaining("has 1 of its maximum");

        assertThat(mesh.agents()).extracting(a -> a.id()).containsExactly("existing");
        assertThat(mesh.spawnAgents(tooMany.subList(0, 6)).join()).hasSize(6);
    }

    @Test
    void parallelSpawn_ofManyPeers_convergesDiscoveryForAll() {
        MeshCoordinator mesh = new MeshCoordinator(SwarmConfig.builder().topology(Topology.MESH)
                .maxAgents(40).build());
        meshes.add(mesh);
        mesh.initialize().join();
        List<AgentDefinition> agents = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            agents.add(agent("p" + i, ctx -> null, "t"));
        }

        assertThat(mesh.spawnAgents(agents).join()).extracting(a -> a.id())
                .containsExactlyElementsOf(agents.stream().map(AgentDefinition::id).toList());

        for (PeerAgent peer : mesh.getActivePeers()) {
            assertThat(peer.neighbors()).hasSize(39);
        }
    }

    @Test
    void lifecycle_refusesWorkBeforeInitializeAndAfterShutdown() {
        MeshCoordinator mesh = MeshCoordinator.createMeshCoordinator(
                MeshCoordinatorConfig.builder().peerCount(3).discoveryEnabled(false).build());
        meshes.add(mesh);
        assertThatThrownBy(() -> mesh.spawnAgent(agent("w", ctx -> null)).join())
                .cause().isInstanceOf(SwarmShutdownException.class)
                .hasMessageContaining("initialize()");

        mesh.initialize().join();
        mesh.initialize().join();
        assertThat(mesh.waitForMeshCompletion().join()).isTrue();
        mesh.shutdown().join();

        assertThat(mesh.initialize()).isCompletedExceptionally();
        assertThat(mesh.submitTask(task("t"))).isCompletedExceptionally();
        assertThat(mesh.assignTaskToPeer(task("t"))).isCompletedExceptionally();
        assertThat(mesh.waitForCompletion(Duration.ofSeconds(1))).isCompletedExceptionally();
        assertThat(mesh.toString()).contains("STOPPED");
    }
}
