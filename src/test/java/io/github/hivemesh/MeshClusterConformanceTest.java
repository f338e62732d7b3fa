package io.github.hivemesh;

import static io.github.hivemesh.testing.Tasks.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.memory.SwarmMemoryQuery;
import io.github.hivemesh.mesh.MeshCoordinator;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.task.TaskStatus;
import io.github.hivemesh.task.UnknownDependencyException;
import io.github.hivemesh.testing.Tasks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The {@link ICoordinator} contract, run against a mesh of three members of a cluster in this
 * JVM (JGroups over TCP on 127.0.0.1), agents spread across them ({@link ClusterSwarm}):
 * tasks are submitted on member 0 and run mostly on the others. What crosses members is
 * encoded, so the suite runs in its encoded form.
 *
 * <p>Six tests of the contract are restated for what is member-local or asynchronous across
 * members by design ({@code docs/cluster.md}): the swarm memory and the artifact store are
 * member-local, so what a remote agent stores is in its own member's and not the submitter's;
 * priority order holds among the tasks an agent holds, so the test waits until all have
 * arrived before it opens the gate (in one JVM, submitting puts them there at once); and a
 * cancellation reaches another member asynchronously, so the test waits until the children
 * are cancelled before it opens the gate that held them, and a cancelled task's session on
 * another member is stopped after the submitter's future completed, not before (a timeout,
 * which fires where the session runs, still stops it first); and a dependency this member
 * does not know is looked up on the others, so a task naming an unknown one is accepted and
 * then fails through its future with the same {@code UnknownDependencyException}, its status
 * saying why.
 */
class MeshClusterConformanceTest extends CoordinatorConformanceTest {

    @Override
    public Topology topology() {
        return Topology.MESH;
    }

    @Override
    public boolean encoded() {
        return true;
    }

    @Override
    ICoordinator create(SwarmConfig.Builder config) {
        return new ClusterSwarm(config, 3);
    }

    @Test
    @Override
    public void aCancelledTask_stopsItsSession_beforeItsFutureCompletes() {
        ICoordinator swarm = swarm(SwarmConfig.builder().maxAgents(6));
        List<CompletableFuture<Object>> stages = new CopyOnWriteArrayList<>();
        swarm.spawnAgent(AgentDefinition.builder().id("holder").capabilities("hold")
                .session(ctx -> {
                    CompletableFuture<Object> stage = new CompletableFuture<>();
                    stages.add(stage);
                    return stage;
                }).build()).join();
        CompletableFuture<TaskResult> running = swarm.submitTask(Task.builder().type("h")
                .requiredCapabilities("hold").build());
        await().until(() -> !stages.isEmpty());

        assertThat(running.cancel(true)).isTrue();

        // the holder learns of the cancellation from the submitting member, afterwards
        await().atMost(Duration.ofSeconds(10)).until(() -> stages.get(0).isCancelled());
        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
    }

    @Test
    @Override
    public void aTask_reachesTheArtifactStoreAndTheMemory() {
        ClusterSwarm swarm = (ClusterSwarm) swarm(SwarmConfig.builder().maxAgents(6));
        swarm.spawnAgent(AgentDefinition.builder().id("writer").capabilities("w")
                .session(ctx -> {
                    ctx.artifacts().store("reports/" + ctx.task().id(),
                            "done".getBytes(StandardCharsets.UTF_8));
                    return ctx.memory().remember(ctx.agentId(), "finding", "x", Map.of());
                }).build()).join();
        MeshCoordinator host = swarm.hostOf("writer");
        assertThat(host).isNotSameAs(swarm.home());

        TaskResult result = swarm.submitTask(Task.builder().id("r1").type("write")
                .requiredCapabilities("w").build()).join();

        assertThat(host.artifacts().retrieve("reports/r1")).hasValueSatisfying(bytes ->
                assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("done"));
        assertThat(host.memory().get((String) result.output())).isPresent();
        assertThat(swarm.home().artifacts().retrieve("reports/r1")).isEmpty();
        assertThat(swarm.home().memory().get((String) result.output())).isEmpty();
    }

    @Test
    @Override
    public void messageHandler_reachesTheSwarmMemory_andSendsOnlyWhileItRuns() {
        ClusterSwarm swarm = (ClusterSwarm) swarm(SwarmConfig.builder().maxAgents(6));
        swarm.spawnAgent(AgentDefinition.builder().id("keeper").session(ctx -> null)
                .messageHandler((message, context) -> context.memory().remember(
                        context.agentId(), "note", message.payload(), Map.of()))
                .build()).join();
        MeshCoordinator host = swarm.hostOf("keeper");
        assertThat(host).isNotSameAs(swarm.home());

        swarm.sendToPeer("keeper", "keep", "remember me").join();
        assertThat(swarm.waitForCompletion(Duration.ofSeconds(30)).join()).isTrue();

        SwarmMemoryQuery query = SwarmMemoryQuery.builder().agentId("keeper").build();
        assertThat(host.memory().recall(query)).extracting(e -> e.content())
                .containsExactly("remember me");
        assertThat(swarm.home().memory().recall(query)).isEmpty();
    }

    @Test
    @Override
    void priorities_runTenFirst_andFifoWithinAPriority() {
        ClusterSwarm swarm = (ClusterSwarm) swarm(3);
        CountDownLatch gate = gate();
        List<String> ran = new CopyOnWriteArrayList<>();
        swarm.spawnAgent(serial("solo", "p", gate, ran)).join();
        Tasks.runGate(swarm, "gate", "p");
        String[][] submissions = {{"a", "1"}, {"b", "10"}, {"c", "5"}, {"d", "10"}, {"e", "1"},
            {"f", "5"}, {"g", "10"}};
        for (String[] s : submissions) {
            swarm.submitTask(Task.builder().id(s[0]).type("t").requiredCapabilities("p")
                    .priority(Integer.parseInt(s[1])).build());
        }
        // all seven have reached the agent's member (each is a unit of its load there)
        MeshCoordinator host = swarm.hostOf("solo");
        await().atMost(Duration.ofSeconds(30)).until(() -> host.getPeer("solo")
                .orElseThrow().load() == 1 + submissions.length);

        gate.countDown();

        assertThat(swarm.waitForCompletion(Duration.ofSeconds(30)).join()).isTrue();
        assertThat(ran).containsExactly("b", "d", "g", "c", "f", "a", "e");
    }

    @Test
    @Override
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
        // asked of the other members first: accepted, then failed, and its status says why
        TaskStatus orphan = swarm.taskStatus("orphan").orElseThrow();
        assertThat(orphan.state()).isEqualTo(TaskState.FAILED);
        assertThat(orphan.error()).contains("never-submitted");
        assertThat(swarm.waitForCompletion(Duration.ofSeconds(30)).join()).isTrue();
    }

    @Test
    @Override
    public void cancellingAFuture_cancelsTheTaskAndItsUnstartedSubtasks_andCompletionFollows()
            throws Exception {
        ClusterSwarm swarm = (ClusterSwarm) swarm(SwarmConfig.builder());
        CountDownLatch parentRunning = new CountDownLatch(1);
        AtomicBoolean parentInterrupted = new AtomicBoolean();
        List<CompletableFuture<TaskResult>> children = new CopyOnWriteArrayList<>();
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch gate = gate();
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
        swarm.spawnAgent(AgentDefinition.builder().id("worker").capabilities("c", "g")
                .maxConcurrentTasks(1).session(ctx -> {
                    if ("gate".equals(ctx.task().id())) {
                        gate.await(30, TimeUnit.SECONDS);
                    }
                    ran.add(ctx.task().id());
                    return null;
                }).build()).join();
        assertThat(swarm.hostOf("parent")).isNotSameAs(swarm.hostOf("worker"));
        swarm.submitTask(Task.builder().id("gate").type("g").requiredCapabilities("g").build());
        await().until(() -> swarm.taskStatus("gate").orElseThrow().state()
                == TaskState.RUNNING);
        CompletableFuture<TaskResult> parent = swarm.submitTask(Task.builder().id("parent-task")
                .type("p").requiredCapabilities("p").build());
        assertThat(parentRunning.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(parent.cancel(true)).isTrue();
        // the cancellation crosses to the parent's member, then to the children's agent's
        await().atMost(Duration.ofSeconds(30)).until(() -> children.size() == 3
                && children.stream().allMatch(CompletableFuture::isCancelled)
                && swarm.hostOf("worker").getPeer("worker").orElseThrow().load() == 1);
        gate.countDown();

        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        assertThatThrownBy(parent::join).isInstanceOf(CancellationException.class);
        assertThat(parentInterrupted).isTrue();
        assertThat(swarm.taskStatus("parent-task").orElseThrow().state())
                .isEqualTo(TaskState.FAILED);
        assertThat(ran).containsExactly("gate");
    }
}
