package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentLimitExceededException;
import io.github.hivemesh.agent.NoCapableAgentException;
import io.github.hivemesh.mesh.IMeshCoordinator;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.TaskFailedException;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.testing.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mesh as a user sees it: only through {@link CoordinatorFactory} and the public API. */
class MeshAcceptanceTest {

    private final List<ICoordinator> swarms = new ArrayList<>();

    @AfterEach
    void closeAll() {
        swarms.forEach(ICoordinator::close);
    }

    private ICoordinator swarm(int maxAgents) {
        ICoordinator swarm = CoordinatorFactory.createWithTopology(
                SwarmConfig.builder().topology(Topology.AUTO).maxAgents(maxAgents).build());
        swarms.add(swarm);
        swarm.initialize().join();
        return swarm;
    }

    private static AgentDefinition agent(String id, String... capabilities) {
        return AgentDefinition.builder().id(id).capabilities(capabilities)
                .session(ctx -> ctx.task().payload()).build();
    }

    @Test
    void auto_withFiveAgents_buildsAMesh_thatRunsATask() {
        ICoordinator swarm = swarm(5);
        swarm.spawnAgents(List.of(agent("reviewer-1", "code-review"))).join();

        TaskResult result = swarm.submitTask(Task.builder().type("code-review")
                .requiredCapabilities("code-review").priority(8).payload("diff").build()).join();

        assertThat(swarm).isInstanceOf(IMeshCoordinator.class);
        assertThat(swarm.topology()).isEqualTo(Topology.MESH);
        assertThat(result.output()).isEqualTo("diff");
        assertThat(result.agentId()).isEqualTo("reviewer-1");
        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
    }

    /** Each task delegates {@code fanOut} subtasks until {@code depth} reaches 0. */
    private static Object fanOut(TaskContext ctx, int fanOut, AtomicInteger executed) {
        executed.incrementAndGet();
        int depth = (Integer) ctx.task().payload();
        if (depth > 0) {
            for (int i = 0; i < fanOut; i++) {
                ctx.delegate(Task.builder().type("work").requiredCapabilities("work")
                        .payload(depth - 1).build());
            }
        }
        return depth;
    }

    @Test
    void nestedDelegation_allCompletes_andCompletionIsReportedOnlyAfterTheLastTaskEnded() {
        ICoordinator swarm = swarm(5);
        AtomicInteger executed = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            swarm.spawnAgent(AgentDefinition.builder().id("w" + i).capabilities("work")
                    .session(ctx -> fanOut(ctx, 3, executed)).build()).join();
        }

        swarm.submitTask(Task.builder().type("work").requiredCapabilities("work").payload(5)
                .build());
        boolean done = swarm.waitForCompletion(Duration.ofSeconds(30)).join();

        // 1 + 3 + 9 + 27 + 81 + 243 tasks
        assertThat(done).isTrue();
        assertThat(executed.get()).isEqualTo(364);
        CoordinatorMetrics metrics = swarm.getMetrics();
        assertThat(metrics.tasksSubmitted()).isEqualTo(364);
        assertThat(metrics.tasksCompleted()).isEqualTo(364);
        assertThat(metrics.tasksQueued() + metrics.tasksRunning()).isZero();
        assertThat(metrics.signalsSent()).isEqualTo(364);
    }

    @Test
    void waitForCompletion_isFalseOnTimeout_whileWorkRuns_andTrueOnceItEnds() throws Exception {
        ICoordinator swarm = swarm(3);
        CountDownLatch release = new CountDownLatch(1);
        swarm.spawnAgent(AgentDefinition.builder().id("slow").capabilities("slow")
                .session(ctx -> release.await(30, TimeUnit.SECONDS)).build()).join();
        CompletableFuture<TaskResult> slow = swarm.submitTask(Task.builder().type("slow")
                .requiredCapabilities("slow").build());

        assertThat(swarm.waitForCompletion(Duration.ofMillis(100)).join()).isFalse();
        CompletableFuture<Boolean> waiting = swarm.waitForCompletion(Duration.ofSeconds(30));
        assertThat(waiting).isNotDone();
        release.countDown();

        assertThat(waiting.join()).isTrue();
        assertThat(slow).isCompleted();
    }

    @Test
    void unservableTask_failsAtOnce_namingTheMissingCapability() {
        ICoordinator swarm = swarm(3);
        swarm.spawnAgent(agent("a", "x")).join();

        CompletableFuture<TaskResult> result = swarm.submitTask(Task.builder().type("t")
                .requiredCapabilities("x", "rust").build());

        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(TaskFailedException.class)
                .cause().isInstanceOf(NoCapableAgentException.class).hasMessageContaining("rust");
    }

    @Test
    void throwingSession_failsItsTaskOnly() {
        ICoordinator swarm = swarm(3);
        swarm.spawnAgent(AgentDefinition.builder().id("flaky").capabilities("t")
                .session(ctx -> {
                    if ("boom".equals(ctx.task().payload())) {
                        throw new IllegalStateException("boom");
                    }
                    return "ok";
                }).build()).join();

        CompletableFuture<TaskResult> bad = swarm.submitTask(Task.builder().type("t")
                .requiredCapabilities("t").payload("boom").build());
        CompletableFuture<TaskResult> good = swarm.submitTask(Task.builder().type("t")
                .requiredCapabilities("t").payload("fine").build());

        assertThat(good.join().output()).isEqualTo("ok");
        assertThatThrownBy(bad::join).cause().isInstanceOf(TaskFailedException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        assertThat(swarm.getMetrics().tasksFailed()).isEqualTo(1);
        assertThat(swarm.getMetrics().tasksCompleted()).isEqualTo(1);
    }

    @Test
    void spawningBeyondMaxAgents_failsClearly() {
        ICoordinator swarm = swarm(2);
        swarm.spawnAgent(agent("a")).join();
        swarm.spawnAgent(agent("b")).join();

        assertThatThrownBy(() -> swarm.spawnAgent(agent("c")).join())
                .cause().isInstanceOf(AgentLimitExceededException.class)
                .hasMessageContaining("'c'").hasMessageContaining("2");
    }

    @Test
    void dependencies_runInOrder() {
        ICoordinator swarm = swarm(3);
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        swarm.spawnAgent(AgentDefinition.builder().id("a").capabilities("t")
                .session(ctx -> order.add(ctx.task().id())).build()).join();
        CountDownLatch gate = new CountDownLatch(1);
        swarm.spawnAgent(AgentDefinition.builder().id("gate").capabilities("gate")
                .session(ctx -> gate.await(10, TimeUnit.SECONDS)).build()).join();

        swarm.submitTask(Task.builder().id("first").type("gate").requiredCapabilities("gate")
                .build());
        CompletableFuture<TaskResult> second = swarm.submitTask(Task.builder().id("second")
                .type("t").requiredCapabilities("t").dependencies("first").build());
        CompletableFuture<TaskResult> third = swarm.submitTask(Task.builder().id("third")
                .type("t").requiredCapabilities("t").dependencies("second").build());

        assertThat(swarm.waitForCompletion(Duration.ofMillis(50)).join()).isFalse();
        assertThat(swarm.taskStatus("second").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        gate.countDown();

        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        assertThat(second).isCompleted();
        assertThat(third).isCompleted();
        assertThat(order).containsExactly("second", "third");
    }

    @Test
    void shutdown_completesEveryFuture_andLeavesNoThread() throws Exception {
        List<String> before = Threads.alive("hivemesh-");
        ICoordinator swarm = CoordinatorFactory.createWithTopology(
                SwarmConfig.builder().maxAgents(3).build());
        swarm.initialize().join();
        CountDownLatch started = new CountDownLatch(1);
        swarm.spawnAgent(AgentDefinition.builder().id("stuck").capabilities("t")
                .maxConcurrentTasks(1)
                .session(ctx -> {
                    started.countDown();
                    new CountDownLatch(1).await();
                    return null;
                }).build()).join();
        CompletableFuture<TaskResult> running = swarm.submitTask(Task.builder().type("t")
                .requiredCapabilities("t").build());
        CompletableFuture<TaskResult> queued = swarm.submitTask(Task.builder().type("t")
                .requiredCapabilities("t").build());
        started.await(10, TimeUnit.SECONDS);
        CompletableFuture<Boolean> waiting = swarm.waitForCompletion(Duration.ofMinutes(1));

        swarm.close();

        assertThat(running).isCompletedExceptionally();
        assertThat(queued).isCompletedExceptionally();
        assertThat(waiting).isDone();
        assertThatThrownBy(queued::join).cause().cause()
                .isInstanceOf(SwarmShutdownException.class);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Threads.alive("hivemesh-").equals(before));
    }

    @Test
    void concurrentSubmitters_everyTaskEndsExactlyOnce() {
        ICoordinator swarm = swarm(7);
        ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        for (int i = 0; i < 7; i++) {
            swarm.spawnAgent(AgentDefinition.builder().id("p" + i).capabilities("t")
                    .session(ctx -> runs.computeIfAbsent(ctx.task().id(), k -> new AtomicInteger())
                            .incrementAndGet()).build()).join();
        }
        List<CompletableFuture<Void>> submitters = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            submitters.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2_000; i++) {
                    swarm.submitTask(Task.builder().type("t").requiredCapabilities("t").build());
                }
            }));
        }
        submitters.forEach(CompletableFuture::join);

        assertThat(swarm.waitForCompletion(Duration.ofSeconds(30)).join()).isTrue();
        assertThat(runs).hasSize(8_000);
        assertThat(runs.values()).allMatch(count -> count.get() == 1);
        assertThat(swarm.getMetrics().tasksCompleted()).isEqualTo(8_000);
        assertThat(Set.copyOf(swarm.agents().stream().map(a -> a.id()).toList())).hasSize(7);
    }
}
