package io.github.hivemesh;

import static io.github.hivemesh.testing.Tasks.reason;
import static io.github.hivemesh.testing.Tasks.runGate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentLimitExceededException;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.DuplicateAgentException;
import io.github.hivemesh.agent.NoCapableAgentException;
import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.DuplicateTaskException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.task.TaskStatus;
import io.github.hivemesh.task.UnknownDependencyException;
import io.github.hivemesh.testing.Crossed;
import io.github.hivemesh.testing.Threads;
import io.github.hivemesh.wire.UnsupportedPayloadException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.github.hivemesh.testing.HandlerFailureWatch;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link ICoordinator} contract, stated once and run against every coordinator: a subclass
 * names the topology, and every swarm is built through {@link CoordinatorFactory} and used
 * through the public API only.
 *
 * <p>Each topology runs it twice: as it is, and with wire encoding forced
 * ({@link #encoded()}, {@code SwarmConfig.forceWireEncoding}), where everything that would cross
 * a process is encoded and decoded on its way — the proof that the protocol carries all the
 * contract needs. Payloads are of the default codec's types wherever a test cares for the
 * value; what differs with encoding on is asserted as such.
 *
 * <p>Where the coordinators legitimately differ (a queued task is ASSIGNED to a peer in the
 * mesh, PENDING at the queen in the hierarchy), the assertion accepts both; everything else is
 * the same sentence for both.
 */
@ExtendWith(HandlerFailureWatch.class)
abstract class CoordinatorConformanceTest implements TimeoutAndCancellationContract,
        PausingContract, LoadContract, WorkContract {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final List<ICoordinator> swarms = new ArrayList<>();
    private final List<CountDownLatch> gates = new ArrayList<>();

    /** The topology under test. */
    @Override
    public abstract Topology topology();

    /** Whether every swarm is built with wire encoding forced on (default: as configured). */
    public boolean encoded() {
        return false;
    }

    /** {@code config} for this run: with encoding forced when {@link #encoded()}. */
    SwarmConfig.Builder configured(SwarmConfig.Builder config) {
        return encoded() ? config.forceWireEncoding(true) : config;
    }

    @AfterEach
    void closeAll() {
        gates.forEach(CountDownLatch::countDown);
        swarms.forEach(ICoordinator::close);
    }

    ICoordinator swarm(int maxAgents) {
        return swarm(SwarmConfig.builder().maxAgents(maxAgents));
    }

    @Override
    public ICoordinator swarm(SwarmConfig.Builder config) {
        ICoordinator swarm = create(configured(config).topology(topology()));
        swarms.add(swarm);
        swarm.initialize().join();
        return swarm;
    }

    /** Builds the swarm of {@code config}; a subclass may build it over a cluster. */
    ICoordinator create(SwarmConfig.Builder config) {
        return CoordinatorFactory.createWithTopology(config.build());
    }

    /** A gate a session can wait on; opened by the test (and at the end of every test). */
    CountDownLatch gate() {
        CountDownLatch gate = new CountDownLatch(1);
        gates.add(gate);
        return gate;
    }

    static AgentDefinition echo(String id, String... capabilities) {
        return AgentDefinition.builder().id(id).capabilities(capabilities)
                .session(ctx -> ctx.task().payload()).build();
    }

    static Task task(String capability) {
        return Task.builder().type("t").requiredCapabilities(capability).build();
    }

    /** An agent that runs one task at a time: a "gate" payload blocks, others are logged. */
    static AgentDefinition serial(String id, String capability, CountDownLatch gate,
            List<String> ran) {
        return AgentDefinition.builder().id(id).capabilities(capability).maxConcurrentTasks(1)
                .session(ctx -> {
                    if ("gate".equals(ctx.task().payload())) {
                        gate.await(30, TimeUnit.SECONDS);
                    } else {
                        ran.add(ctx.task().id());
                    }
                    return ctx.agentId();
                }).build();
    }

    // ---- building, spawning ---------------------------------------------------------------

    @Test
    void factory_buildsTheRequestedTopology() {
        ICoordinator swarm = swarm(3);

        assertThat(swarm.topology()).isEqualTo(topology());
        assertThat(swarm.swarmId()).isNotBlank();
        assertThat(swarm.agents()).isEmpty();
    }

    @Test
    void spawnAgents_makesThemRoutable_andTheCapIsEnforced() {
        ICoordinator swarm = swarm(3);

        List<AgentHandle> spawned = swarm.spawnAgents(List.of(echo("a", "x"), echo("b", "x"),
                echo("c", "y"))).join();

        assertThat(spawned).extracting(AgentHandle::id).containsExactly("a", "b", "c");
        assertThat(swarm.agents()).extracting(AgentHandle::id)
                .containsExactlyInAnyOrder("a", "b", "c");
        assertThat(swarm.submitTask(task("y")).join().agentId()).isEqualTo("c");
        assertThatThrownBy(() -> swarm.spawnAgent(echo("d", "x")).join())
                .cause().isInstanceOf(AgentLimitExceededException.class)
                .hasMessageContaining("'d'").hasMessageContaining("3");
        assertThat(swarm.agents()).hasSize(3);
    }

    @Test
    void spawnAgent_withAnIdInUse_fails() {
        ICoordinator swarm = swarm(3);
        swarm.spawnAgent(echo("a", "x")).join();

        assertThatThrownBy(() -> swarm.spawnAgent(echo("a", "y")).join())
                .cause().isInstanceOf(DuplicateAgentException.class).hasMessageContaining("'a'");
        assertThat(swarm.agents()).hasSize(1);
    }

    @Test
    void spawnAndSubmit_beforeInitialize_failClearly() {
        ICoordinator swarm = CoordinatorFactory.createWithTopology(configured(SwarmConfig
                .builder()).topology(topology()).maxAgents(3).build());
        swarms.add(swarm);

        assertThatThrownBy(() -> swarm.spawnAgent(echo("a", "x")).join())
                .cause().isInstanceOf(SwarmShutdownException.class)
                .hasMessageContaining("initialize");
        assertThat(reason(swarm.submitTask(task("x"))))
                .isInstanceOf(SwarmShutdownException.class);
    }

    @Test
    void removeAgent_freesItsPlaceUnderTheCap() {
        ICoordinator swarm = swarm(2);
        swarm.spawnAgents(List.of(echo("a", "x"), echo("b", "x"))).join();

        swarm.removeAgent("a").join();
        swarm.spawnAgent(echo("c", "x")).join();

        assertThat(swarm.agents()).extracting(AgentHandle::id).containsExactlyInAnyOrder("b", "c");
        assertThatThrownBy(() -> swarm.removeAgent("nobody").join())
                .cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nobody");
    }

    // ---- routing --------------------------------------------------------------------------

    @Test
    void tasks_goOnlyToAgentsHavingAllTheirCapabilities() {
        ICoordinator swarm = swarm(3);
        swarm.spawnAgents(List.of(echo("x-only", "x"), echo("x-and-y", "x", "y"),
                echo("y-only", "y"))).join();
        List<CompletableFuture<TaskResult>> both = new ArrayList<>();
        List<CompletableFuture<TaskResult>> xs = new ArrayList<>();
        List<CompletableFuture<TaskResult>> any = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            both.add(swarm.submitTask(Task.builder().type("t").requiredCapabilities("x", "y")
                    .build()));
            xs.add(swarm.submitTask(task("x")));
            any.add(swarm.submitTask(Task.builder().type("t").build()));
        }

        assertThat(both).allSatisfy(f -> assertThat(f.join().agentId()).isEqualTo("x-and-y"));
        assertThat(xs).allSatisfy(f -> assertThat(f.join().agentId()).isIn("x-only", "x-and-y"));
        assertThat(any).allSatisfy(f -> assertThat(f.join().agentId()).isNotNull());
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
    }

    @Test
    void unservableTask_failsAtOnce_namingTheMissingCapability() {
        ICoordinator swarm = swarm(3);
        swarm.spawnAgent(echo("a", "x")).join();

        CompletableFuture<TaskResult> result = swarm.submitTask(Task.builder().type("t")
                .requiredCapabilities("x", "rust").build());

        assertThat(result).isCompletedExceptionally();
        assertThat(reason(result)).isInstanceOf(NoCapableAgentException.class)
                .hasMessageContaining("rust");
        assertThat(((NoCapableAgentException) reason(result)).missing()).containsExactly("rust");
        assertThat(swarm.waitForCompletion(Duration.ZERO).join()).isTrue();
    }

    @Test
    void taskNeedingCapabilitiesNoSingleAgentHasTogether_failsAtOnce() {
        ICoordinator swarm = swarm(3);
        swarm.spawnAgents(List.of(echo("a", "x"), echo("b", "y"))).join();

        CompletableFuture<TaskResult> result = swarm.submitTask(Task.builder().type("t")
                .requiredCapabilities("x", "y").build());

        assertThat(result).isCompletedExceptionally();
        assertThat(reason(result)).isInstanceOf(NoCapableAgentException.class)
                .hasMessageContaining("no single agent");
        assertThat(((NoCapableAgentException) reason(result)).missing()).isEmpty();
    }

    @Test
    void priorities_runTenFirst_andFifoWithinAPriority() {
        ICoordinator swarm = swarm(3);
        CountDownLatch gate = gate();
        List<String> ran = new CopyOnWriteArrayList<>();
        swarm.spawnAgent(serial("solo", "p", gate, ran)).join();
        runGate(swarm, "gate", "p");
        String[][] submissions = {{"a", "1"}, {"b", "10"}, {"c", "5"}, {"d", "10"}, {"e", "1"},
            {"f", "5"}, {"g", "10"}};
        for (String[] s : submissions) {
            swarm.submitTask(Task.builder().id(s[0]).type("t").requiredCapabilities("p")
                    .priority(Integer.parseInt(s[1])).build());
        }

        gate.countDown();

        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(ran).containsExactly("b", "d", "g", "c", "f", "a", "e");
    }

    // ---- dependencies ---------------------------------------------------------------------

    @Test
    void dependencies_runInOrder_andADependentWaitsPending() {
        ICoordinator swarm = swarm(3);
        List<String> order = new CopyOnWriteArrayList<>();
        swarm.spawnAgent(AgentDefinition.builder().id("a").capabilities("t")
                .session(ctx -> order.add(ctx.task().id())).build()).join();
        CountDownLatch gate = gate();
        swarm.spawnAgent(serial("gatekeeper", "gate", gate, order)).join();

        CompletableFuture<TaskResult> first = runGate(swarm, "first", "gate");
        CompletableFuture<TaskResult> second = swarm.submitTask(Task.builder().id("second")
                .type("t").requiredCapabilities("t").dependencies("first").build());
        CompletableFuture<TaskResult> third = swarm.submitTask(Task.builder().id("third")
                .type("t").requiredCapabilities("t").dependencies("second", "first").build());

        assertThat(swarm.waitForCompletion(Duration.ofMillis(50)).join()).isFalse();
        assertThat(swarm.taskStatus("second").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        assertThat(swarm.taskStatus("third").orElseThrow().state()).isEqualTo(TaskState.PENDING);
        gate.countDown();

        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(third).isCompleted();
        assertThat(order).containsExactly("second", "third");
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Test
    void failedDependency_failsItsDependents_transitively_andNeverRunsThem() {
        ICoordinator swarm = swarm(3);
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch gate = gate();
        swarm.spawnAgent(AgentDefinition.builder().id("a").capabilities("t")
                .session(ctx -> {
                    if ("fail".equals(ctx.task().payload())) {
                        gate.await(30, TimeUnit.SECONDS);
                        throw new IllegalStateException("root cause");
                    }
                    return ran.incrementAndGet();
                }).build()).join();

        CompletableFuture<TaskResult> root = swarm.submitTask(Task.builder().id("root").type("t")
                .requiredCapabilities("t").payload("fail").build());
        CompletableFuture<TaskResult> child = swarm.submitTask(Task.builder().id("child")
                .type("t").requiredCapabilities("t").dependencies("root").build());
        CompletableFuture<TaskResult> grandchild = swarm.submitTask(Task.builder()
                .id("grandchild").type("t").requiredCapabilities("t").dependencies("child")
                .build());
        gate.countDown();

        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        Crossed.assertFailure(reason(root), encoded(), IllegalStateException.class, "root cause");
        assertThat(reason(child)).isInstanceOf(DependencyFailedException.class)
                .hasMessageContaining("root");
        assertThat(reason(grandchild)).isInstanceOf(DependencyFailedException.class);
        // each carries the error that started the chain, at the end of its causes
        Crossed.assertFailure(rootCause(reason(child)), encoded(), IllegalStateException.class,
                "root cause");
        Crossed.assertFailure(rootCause(reason(grandchild)), encoded(),
                IllegalStateException.class, "root cause");
        CompletableFuture<TaskResult> late = swarm.submitTask(Task.builder().id("late")
                .type("t").requiredCapabilities("t").dependencies("root").build());
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(reason(late)).isInstanceOf(DependencyFailedException.class);
        Crossed.assertFailure(rootCause(reason(late)), encoded(), IllegalStateException.class,
                "root cause");
        assertThat(ran).hasValue(0);
        assertThat(swarm.taskStatus("grandchild").orElseThrow().state())
                .isEqualTo(TaskState.FAILED);
    }

    @Test
    void dependencyOnACompletedTask_runsAtOnce_andAnUnknownOneIsRejected() {
        ICoordinator swarm = swarm(3);
        swarm.spawnAgent(echo("a", "t")).join();
        swarm.submitTask(Task.builder().id("done").type("t").requiredCapabilities("t").build())
                .join();

        TaskResult after = swarm.submitTask(Task.builder().id("after").type("t")
                .requiredCapabilities("t").dependencies("done").payload("ok").build()).join();

        assertThat(after.output()).isEqualTo("ok");
        assertThat(reason(swarm.submitTask(Task.builder().id("orphan").type("t")
                .requiredCapabilities("t").dependencies("never-submitted").build())))
                .isInstanceOf(UnknownDependencyException.class)
                .hasMessageContaining("never-submitted");
        assertThat(swarm.taskStatus("orphan")).isEmpty();
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
    }

    // ---- delegation and completion --------------------------------------------------------

    /** Each task delegates {@code fanOut} subtasks until {@code depth} reaches 0. */
    static Object fanOut(TaskContext ctx, int fanOut, AtomicInteger executed) {
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

        CompletableFuture<TaskResult> root = swarm.submitTask(Task.builder().type("work")
                .requiredCapabilities("work").payload(5).build());
        CompletableFuture<Boolean> done = swarm.waitForCompletion(LONG);
        // read by the thread completing the wait, before anyone else hears of it (a callback
        // of its own could run after join() returned)
        CompletableFuture<Integer> executedAtDetection = done.thenApply(d -> executed.get());

        // 1 + 3 + 9 + 27 + 81 + 243 tasks
        assertThat(done.join()).isTrue();
        assertThat(root).isCompleted();
        assertThat(executedAtDetection.join()).isEqualTo(364);
        CoordinatorMetrics metrics = swarm.getMetrics();
        assertThat(metrics.tasksSubmitted()).isEqualTo(364);
        assertThat(metrics.tasksCompleted()).isEqualTo(364);
        assertThat(metrics.tasksQueued() + metrics.tasksRunning()).isZero();
    }

    @Test
    void delegatedSubtask_recordsItsParent_andItsFutureCompletes() {
        ICoordinator swarm = swarm(3);
        Map<String, CompletableFuture<TaskResult>> children = new ConcurrentHashMap<>();
        swarm.spawnAgent(AgentDefinition.builder().id("parent").capabilities("p")
                .session(ctx -> children.put(ctx.task().id(), ctx.delegate(Task.builder()
                        .id("child").type("t").requiredCapabilities("c").payload("hi").build())))
                .build()).join();
        swarm.spawnAgent(echo("child-agent", "c")).join();

        swarm.submitTask(Task.builder().id("root").type("t").requiredCapabilities("p").build())
                .join();

        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(children.get("root").join().output()).isEqualTo("hi");
        TaskStatus child = swarm.taskStatus("child").orElseThrow();
        assertThat(child.parentTaskId()).isEqualTo("root");
        assertThat(child.assignedAgent()).isEqualTo("child-agent");
    }

    @Test
    void waitForCompletion_isTrueAtOnce_whenIdle() {
        ICoordinator swarm = swarm(3);
        swarm.spawnAgent(echo("a", "t")).join();

        assertThat(swarm.waitForCompletion(Duration.ZERO).join()).isTrue();
        CompletableFuture<Boolean> waiting = swarm.waitForCompletion(LONG);
        assertThat(waiting).isCompletedWithValue(true);
    }

    @Test
    void waitForCompletion_isFalseOnTimeout_whileWorkRuns_andTrueOnceItEnds() {
        ICoordinator swarm = swarm(3);
        CountDownLatch release = gate();
        swarm.spawnAgent(AgentDefinition.builder().id("slow").capabilities("slow")
                .session(ctx -> release.await(30, TimeUnit.SECONDS)).build()).join();
        CompletableFuture<TaskResult> slow = swarm.submitTask(task("slow"));

        assertThat(swarm.waitForCompletion(Duration.ofMillis(100)).join()).isFalse();
        assertThat(swarm.waitForCompletion(Duration.ZERO).join()).isFalse();
        CompletableFuture<Boolean> waiting = swarm.waitForCompletion(LONG);
        assertThat(waiting).isNotDone();
        // read as the wait completes: join() may return before a callback of its own has run
        CompletableFuture<Boolean> taskDoneFirst = waiting.thenApply(done -> slow.isDone());
        release.countDown();

        assertThat(waiting.join()).isTrue();
        assertThat(taskDoneFirst.join()).isTrue();
    }

    @Test
    void afterCompletion_newWork_startsANewBusyPeriod() {
        ICoordinator swarm = swarm(3);
        CountDownLatch gate = gate();
        List<String> ran = new CopyOnWriteArrayList<>();
        swarm.spawnAgent(serial("a", "t", gate, ran)).join();
        swarm.submitTask(task("t")).join();
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();

        CompletableFuture<TaskResult> second = swarm.submitTask(Task.builder().type("t")
                .requiredCapabilities("t").payload("gate").build());

        assertThat(swarm.waitForCompletion(Duration.ofMillis(50)).join()).isFalse();
        CompletableFuture<Boolean> waiting = swarm.waitForCompletion(LONG);
        gate.countDown();
        assertThat(waiting.join()).isTrue();
        assertThat(second).isCompleted();
        assertThat(swarm.waitForCompletion(Duration.ZERO).join()).isTrue();
    }

    // ---- status, failures, metrics ---------------------------------------------------------

    @Test
    void taskStatus_tracksTheLifecycle() {
        ICoordinator swarm = swarm(3);
        CountDownLatch gate = gate();
        List<String> ran = new CopyOnWriteArrayList<>();
        swarm.spawnAgent(serial("a", "t", gate, ran)).join();

        runGate(swarm, "running", "t");
        swarm.submitTask(Task.builder().id("queued").type("t").requiredCapabilities("t")
                .priority(3).build());

        TaskStatus running = swarm.taskStatus("running").orElseThrow();
        assertThat(running.state()).isEqualTo(TaskState.RUNNING);
        assertThat(running.assignedAgent()).isEqualTo("a");
        assertThat(running.startedAt()).isNotNull();
        assertThat(running.finishedAt()).isNull();
        TaskStatus queued = swarm.taskStatus("queued").orElseThrow();
        assertThat(queued.state()).isIn(TaskState.PENDING, TaskState.ASSIGNED);
        assertThat(queued.priority()).isEqualTo(3);
        assertThat(queued.startedAt()).isNull();
        assertThat(swarm.taskStatus("never-submitted")).isEmpty();
        gate.countDown();

        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        TaskStatus ended = swarm.taskStatus("queued").orElseThrow();
        assertThat(ended.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(ended.assignedAgent()).isEqualTo("a");
        assertThat(ended.finishedAt()).isAfterOrEqualTo(ended.startedAt());
        assertThat(ended.error()).isNull();
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

        CompletableFuture<TaskResult> bad = swarm.submitTask(Task.builder().id("bad").type("t")
                .requiredCapabilities("t").payload("boom").build());
        CompletableFuture<TaskResult> good = swarm.submitTask(Task.builder().type("t")
                .requiredCapabilities("t").payload("fine").build());

        assertThat(good.join().output()).isEqualTo("ok");
        Crossed.assertFailure(reason(bad), encoded(), IllegalStateException.class, "boom");
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(swarm.taskStatus("bad").orElseThrow().error())
                .isEqualTo(Crossed.message(encoded(), IllegalStateException.class, "boom"));
        assertThat(swarm.getMetrics().tasksFailed()).isEqualTo(1);
        assertThat(swarm.getMetrics().tasksCompleted()).isEqualTo(1);
    }

    @Test
    void duplicateTaskId_isRejected_andTheFirstTaskIsUnaffected() {
        ICoordinator swarm = swarm(3);
        swarm.spawnAgent(echo("a", "t")).join();
        CompletableFuture<TaskResult> first = swarm.submitTask(Task.builder().id("same")
                .type("t").requiredCapabilities("t").payload("first").build());

        assertThat(reason(swarm.submitTask(Task.builder().id("same").type("t")
                .requiredCapabilities("t").payload("second").build())))
                .isInstanceOf(DuplicateTaskException.class).hasMessageContaining("same");

        assertThat(first.join().output()).isEqualTo("first");
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(swarm.getMetrics().tasksSubmitted()).isEqualTo(1);
    }

    @Test
    void metrics_countWhatHappened() {
        ICoordinator swarm = swarm(3);
        CountDownLatch gate = gate();
        swarm.spawnAgent(AgentDefinition.builder().id("a").capabilities("t", "slow")
                .session(ctx -> {
                    if ("gate".equals(ctx.task().payload())) {
                        gate.await(30, TimeUnit.SECONDS);
                    }
                    if ("fail".equals(ctx.task().payload())) {
                        throw new IllegalStateException("fail");
                    }
                    return null;
                }).build()).join();
        swarm.spawnAgent(echo("b", "t")).join();

        runGate(swarm, "slow", "slow");
        CoordinatorMetrics during = swarm.getMetrics();
        for (int i = 0; i < 5; i++) {
            swarm.submitTask(task("t"));
        }
        swarm.submitTask(Task.builder().type("t").requiredCapabilities("slow").payload("fail")
                .build());
        swarm.submitTask(task("missing"));
        gate.countDown();
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();

        assertThat(during.tasksRunning()).isEqualTo(1);
        CoordinatorMetrics after = swarm.getMetrics();
        assertThat(after.tasksSubmitted()).isEqualTo(8);
        assertThat(after.tasksCompleted()).isEqualTo(6);
        assertThat(after.tasksFailed()).isEqualTo(2);
        assertThat(after.tasksEnded()).isEqualTo(8);
        assertThat(after.tasksQueued()).isZero();
        assertThat(after.tasksRunning()).isZero();
        assertThat(after.agents()).isEqualTo(2);
        assertThat(after.messagesSent()).isPositive();
        assertThat(after.taskLatencyP99()).isPositive()
                .isGreaterThanOrEqualTo(after.taskLatencyP50());
        assertThat(after.lastCompletionDetection()).isPositive();
    }

    @Test
    void agentMessages_reachTheHandlerInOrder_oneAtATime() throws Exception {
        ICoordinator swarm = swarm(3);
        List<Object> received = new CopyOnWriteArrayList<>();
        CountDownLatch secondStarted = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        swarm.spawnAgent(AgentDefinition.builder().id("listener").capabilities("listen")
                .session(ctx -> null)
                .messageHandler(message -> {
                    if (Integer.valueOf(1).equals(message.payload())) {
                        secondStarted.countDown();
                    }
                    if (Integer.valueOf(0).equals(message.payload())) {
                        // a second handler running meanwhile would be caught here
                        overlapped.set(secondStarted.await(500, TimeUnit.MILLISECONDS));
                    }
                    received.add(message.payload() + " from " + message.senderId());
                }).build()).join();
        swarm.spawnAgent(AgentDefinition.builder().id("talker").capabilities("talk")
                .session(ctx -> {
                    for (int i = 0; i < 20; i++) {
                        ctx.sendToPeer("listener", "note", i).join();
                    }
                    return null;
                }).build()).join();

        swarm.submitTask(task("talk")).join();

        await().atMost(LONG).until(() -> received.size() == 20);
        assertThat(overlapped).as("a handler ran while the previous one had not returned")
                .isFalse();
        List<Object> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(i + " from talker");
        }
        assertThat(received).isEqualTo(expected);
    }

    // ---- removal, concurrency, shutdown ----------------------------------------------------

    @Test
    void removeAgent_movesItsQueuedTasksToOthers_andItsRunningTaskFinishesFirst() {
        ICoordinator swarm = swarm(3);
        CountDownLatch gate = gate();
        List<String> ran = new CopyOnWriteArrayList<>();
        swarm.spawnAgent(serial("leaving", "w", gate, ran)).join();
        CompletableFuture<TaskResult> running = runGate(swarm, "gate", "w");
        List<CompletableFuture<TaskResult>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(swarm.submitTask(task("w")));
        }
        swarm.spawnAgent(serial("staying", "w", gate, ran)).join();

        CompletableFuture<Void> removed = swarm.removeAgent("leaving");

        assertThat(queued).allSatisfy(f -> assertThat(f.join().agentId()).isEqualTo("staying"));
        assertThat(removed).isNotDone();
        gate.countDown();
        assertThat(running.join().agentId()).isEqualTo("leaving");
        removed.join();
        assertThat(swarm.agents()).extracting(AgentHandle::id).containsExactly("staying");
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(ran).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void removeAgent_ofTheLastCapableAgent_failsItsQueuedTasks_andKeepsTheRunningOne() {
        ICoordinator swarm = swarm(3);
        CountDownLatch gate = gate();
        List<String> ran = new CopyOnWriteArrayList<>();
        swarm.spawnAgent(serial("only", "w", gate, ran)).join();
        swarm.spawnAgent(echo("other", "z")).join();
        CompletableFuture<TaskResult> running = runGate(swarm, "gate", "w");
        CompletableFuture<TaskResult> queued = swarm.submitTask(task("w"));

        CompletableFuture<Void> removed = swarm.removeAgent("only");

        await().atMost(LONG).until(queued::isDone);
        assertThat(reason(queued)).isInstanceOf(NoCapableAgentException.class)
                .hasMessageContaining("w");
        gate.countDown();
        assertThat(running.join().agentId()).isEqualTo("only");
        removed.join();
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(ran).isEmpty();
    }

    @Test
    void concurrentSubmitters_everyTaskEndsExactlyOnce() {
        ICoordinator swarm = swarm(7);
        ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        for (int i = 0; i < 7; i++) {
            swarm.spawnAgent(AgentDefinition.builder().id("p" + i).capabilities("t")
                    .session(ctx -> runs.computeIfAbsent(ctx.task().id(),
                            k -> new AtomicInteger()).incrementAndGet()).build()).join();
        }
        List<CompletableFuture<Void>> submitters = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            submitters.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 2_000; i++) {
                    swarm.submitTask(task("t"));
                }
            }));
        }
        submitters.forEach(CompletableFuture::join);

        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(runs).hasSize(8_000);
        assertThat(runs.values()).allMatch(count -> count.get() == 1);
        assertThat(swarm.getMetrics().tasksCompleted()).isEqualTo(8_000);
        assertThat(Set.copyOf(swarm.agents().stream().map(AgentHandle::id).toList())).hasSize(7);
    }

    @Test
    void shutdown_completesEveryFuture_andLeavesNoThread() throws Exception {
        List<String> before = Threads.alive("hivemesh-");
        ICoordinator swarm = CoordinatorFactory.createWithTopology(configured(SwarmConfig
                .builder()).topology(topology()).maxAgents(3).build());
        swarm.initialize().join();
        CountDownLatch started = new CountDownLatch(1);
        AgentHandle stuck = swarm.spawnAgent(AgentDefinition.builder().id("stuck")
                .capabilities("t").maxConcurrentTasks(1)
                .session(ctx -> {
                    started.countDown();
                    new CountDownLatch(1).await();
                    return null;
                }).build()).join();
        CompletableFuture<TaskResult> running = swarm.submitTask(task("t"));
        CompletableFuture<TaskResult> queued = swarm.submitTask(task("t"));
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> waiting = swarm.waitForCompletion(Duration.ofMinutes(1));

        swarm.close();

        // the running session was interrupted: its task fails, whichever reason lands first
        assertThat(running).isCompletedExceptionally();
        assertThat(reason(queued)).isInstanceOf(SwarmShutdownException.class);
        assertThat(waiting).isDone();
        // no agent is live once the swarm has stopped; a kept handle says why
        assertThat(swarm.agents()).isEmpty();
        assertThat(stuck.state()).isEqualTo(AgentState.TERMINATED);
        assertThat(reason(swarm.submitTask(task("t"))))
                .isInstanceOf(SwarmShutdownException.class);
        assertThatThrownBy(() -> swarm.spawnAgent(echo("late", "t")).join())
                .cause().isInstanceOf(SwarmShutdownException.class);
        assertThat(swarm.shutdown()).isCompleted();
        await().atMost(LONG).until(() -> Threads.alive("hivemesh-").equals(before));
    }

    // ---- crossing the wire -----------------------------------------------------------------

    /** A value of a type no payload codec knows. */
    record Opaque(int value) {
    }

    @Test
    void payloadsOutputsAndMessages_arriveEqual_andAsFreshValuesExactlyWhenEncodingIsForced() {
        ICoordinator swarm = swarm(3);
        List<Object> sent = new ArrayList<>(List.of(1, 2L, "x", List.of(true, 1.5d)));
        Map<String, Object> produced = new LinkedHashMap<>(Map.of("n", 7));
        AtomicReference<Object> seenPayload = new AtomicReference<>();
        AtomicReference<Object> seenMail = new AtomicReference<>();
        swarm.spawnAgent(AgentDefinition.builder().id("a").capabilities("t")
                .session(ctx -> {
                    seenPayload.set(ctx.task().payload());
                    ctx.sendToPeer("b", "note", sent).join();
                    return produced;
                }).build()).join();
        swarm.spawnAgent(AgentDefinition.builder().id("b").capabilities("u")
                .session(ctx -> null)
                .messageHandler((message, context) -> seenMail.set(message.payload()))
                .build()).join();

        TaskResult result = swarm.submitTask(Task.builder().type("t").requiredCapabilities("t")
                .payload(sent).build()).join();
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();

        assertThat(seenPayload.get()).isEqualTo(sent);
        // each value keeps its Java type: an Integer stays an Integer, a Long a Long
        assertThat(((List<?>) seenPayload.get()).subList(0, 3)).extracting(Object::getClass)
                .containsExactly(Integer.class, Long.class, String.class);
        assertThat(result.output()).isEqualTo(produced);
        assertThat(seenMail.get()).isEqualTo(sent);
        if (encoded()) {
            // each crossed as bytes: what arrives is another process's view of it
            assertThat(seenPayload.get()).isNotSameAs(sent);
            assertThat(result.output()).isNotSameAs(produced);
            assertThat(seenMail.get()).isNotSameAs(sent).isNotSameAs(seenPayload.get());
        } else {
            assertThat(seenPayload.get()).isSameAs(sent);
            assertThat(result.output()).isSameAs(produced);
            assertThat(seenMail.get()).isSameAs(sent);
        }
    }

    @Test
    void aValueTheCodecCannotCarry_failsAtItsSender_namingItsType_whenEncodingIsForced() {
        ICoordinator swarm = swarm(3);
        AtomicReference<CompletableFuture<TaskResult>> delegated = new AtomicReference<>();
        swarm.spawnAgent(AgentDefinition.builder().id("a").capabilities("t")
                .session(ctx -> {
                    if ("delegate".equals(ctx.task().payload())) {
                        CompletableFuture<TaskResult> sub = ctx.delegate(Task.builder()
                                .id("sub").type("t").requiredCapabilities("t")
                                .payload(new Opaque(2)).build());
                        delegated.set(sub);
                        return encoded() ? null : sub.join().output();
                    }
                    return "output".equals(ctx.task().payload()) ? new Opaque(3)
                            : ctx.task().payload();
                })
                .messageHandler((message, context) -> { })
                .build()).join();
        String type = Opaque.class.getName();

        CompletableFuture<TaskResult> submitted = swarm.submitTask(Task.builder().id("opaque")
                .type("t").requiredCapabilities("t").payload(new Opaque(1)).build());
        CompletableFuture<Void> mailed = swarm.sendToPeer("a", "note", new Opaque(4));
        CompletableFuture<TaskResult> output = swarm.submitTask(Task.builder().id("out")
                .type("t").requiredCapabilities("t").payload("output").build());
        CompletableFuture<TaskResult> delegating = swarm.submitTask(Task.builder().id("del")
                .type("t").requiredCapabilities("t").payload("delegate").build());
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();

        if (encoded()) {
            assertThat(reason(submitted)).isInstanceOf(UnsupportedPayloadException.class)
                    .hasMessageContaining("'opaque'").hasMessageContaining(type);
            assertThat(swarm.taskStatus("opaque")).as("nothing was accepted").isEmpty();
            assertThat(mailed).failsWithin(LONG).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(UnsupportedPayloadException.class)
                    .withMessageContaining("'note'").withMessageContaining(type);
            assertThat(reason(output)).isInstanceOf(UnsupportedPayloadException.class)
                    .hasMessageContaining("'out'").hasMessageContaining(type);
            assertThat(reason(delegated.get())).isInstanceOf(UnsupportedPayloadException.class)
                    .hasMessageContaining("'sub'").hasMessageContaining(type);
            assertThat(delegating.join().output()).isNull();
            assertThat(swarm.taskStatus("sub")).isEmpty();
        } else {
            assertThat(submitted.join().output()).isEqualTo(new Opaque(1));
            assertThat(mailed).succeedsWithin(LONG);
            assertThat(output.join().output()).isEqualTo(new Opaque(3));
            assertThat(delegating.join().output()).isEqualTo(new Opaque(2));
        }
    }
}
