package io.github.hivemesh.cluster.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentLimitExceededException;
import io.github.hivemesh.agent.DuplicateAgentException;
import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.cluster.ClusterException;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.ClusterTransportFactory;
import io.github.hivemesh.mesh.MeshCoordinator;
import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.UnknownDependencyException;
import io.github.hivemesh.testing.ClusterFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mesh across members (issue 20): three coordinators of one swarm in this JVM, each a
 * member of a JGroups cluster over TCP on 127.0.0.1, each hosting its own agents. Tasks
 * submitted on any member run on agents of any member, subtasks and user messages cross
 * members, and each member's {@code waitForCompletion} is exact for the work rooted there —
 * neither early while that work runs elsewhere, nor held back by another member's work.
 */
class MeshAcrossMembersTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<MeshCoordinator> members = new ArrayList<>();
    /** Each member's transport, in the order of {@link #members}. */
    private final List<ClusterTransport> transports = new ArrayList<>();

    @AfterEach
    void close() {
        for (MeshCoordinator member : members) {
            member.close();
        }
    }

    /** {@code count} members of one fresh cluster and swarm, started, in one view. */
    private void startMembers(int count) {
        String cluster = ClusterFixture.freshClusterName();
        List<Integer> ports = ClusterFixture.freePorts(count);
        for (int i = 0; i < count; i++) {
            MeshCoordinator member = (MeshCoordinator) CoordinatorFactory.createWithTopology(
                    SwarmConfig.builder().swarmId("across").topology(Topology.MESH).maxAgents(7)
                            .cluster(ClusterFixture.fast(cluster, "m" + i, ports, i)
                                    .transportFactory(config -> {
                                        ClusterTransport transport = ClusterTransportFactory
                                                .jgroups().create(config);
                                        transports.add(transport);
                                        return transport;
                                    }).build())
                            .build());
            members.add(member);
            member.initialize().join();
        }
    }

    /** Waits until every member knows every other member's agents. */
    private void awaitDirectories(int agentsPerMember) {
        int remote = agentsPerMember * (members.size() - 1);
        await().atMost(WAIT).untilAsserted(() -> {
            for (MeshCoordinator member : members) {
                assertThat(member.remoteAgents()).hasSize(remote);
            }
        });
    }

    @Test
    void tasksOfEveryMember_runOnEveryMember_andEachMembersCompletionIsExact() {
        startMembers(3);
        // per submitting member: user messages sent and handled by the work rooted there
        AtomicIntegerArray sent = new AtomicIntegerArray(3);
        AtomicIntegerArray handled = new AtomicIntegerArray(3);
        Set<String> ranOn = ConcurrentHashMap.newKeySet();
        List<Queue<CompletableFuture<TaskResult>>> children = List.of(
                new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(),
                new ConcurrentLinkedQueue<>());
        for (int m = 0; m < 3; m++) {
            List<AgentDefinition> agents = new ArrayList<>();
            for (int a = 0; a < 2; a++) {
                String id = "m" + m + "-a" + a;
                agents.add(AgentDefinition.builder().id(id).capabilities("work")
                        .maxConcurrentTasks(2)
                        .messageHandler((message, ctx) -> handled.incrementAndGet(
                                (Integer) message.payload()))
                        .session(ctx -> {
                            ranOn.add(ctx.agentId());
                            int root = (Integer) ctx.task().payload();
                            if ("parent".equals(ctx.task().type())) {
                                // not waited for here (slots held by waiting parents would
                                // starve the children): exactness must cover it regardless
                                children.get(root).add(ctx.delegate(Task.builder().type("child")
                                        .requiredCapabilities("work").payload(root).build()));
                                return ctx.agentId();
                            }
                            // a message to an agent of the next member: work of this root
                            int to = (Integer.parseInt(ctx.agentId().substring(1, 2)) + 1) % 3;
                            sent.incrementAndGet(root);
                            ctx.sendToPeer("m" + to + "-a" + (root % 2), "note", root).join();
                            return ctx.agentId();
                        })
                        .build());
            }
            members.get(m).spawnAgents(agents).join();
        }
        awaitDirectories(2);

        List<List<CompletableFuture<TaskResult>>> results = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            List<CompletableFuture<TaskResult>> mine = new ArrayList<>();
            for (int t = 0; t < 30; t++) {
                mine.add(members.get(m).submitTask(Task.builder().type("parent")
                        .requiredCapabilities("work").payload(m).build()));
            }
            results.add(mine);
        }
        for (int m = 0; m < 3; m++) {
            boolean ok = members.get(m).waitForCompletion(WAIT).join();
            assertThat(ok)
                    .as("member %d's completion", m).isTrue();
            // exact: once it says so, all of its work has ended, wherever it ran
            for (CompletableFuture<TaskResult> result : results.get(m)) {
                assertThat(result).isCompleted();
            }
            assertThat(children.get(m)).hasSize(30).allSatisfy(child ->
                    assertThat(child).isCompleted());
            assertThat(handled.get(m)).as("messages of member %d's work handled", m)
                    .isEqualTo(sent.get(m)).isEqualTo(30);
        }
        Set<String> membersUsed = new HashSet<>();
        for (String agent : ranOn) {
            membersUsed.add(agent.substring(0, 2));
        }
        assertThat(membersUsed).as("members whose agents ran tasks")
                .containsExactlyInAnyOrder("m0", "m1", "m2");
    }

    @Test
    void remoteWork_holdsItsRootsCompletion_andNoOtherMembers() throws Exception {
        startMembers(2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        AtomicInteger mails = new AtomicInteger();
        members.get(1).spawnAgent(AgentDefinition.builder().id("slow").capabilities("only-m1")
                .maxConcurrentTasks(2)
                .messageHandler((message, ctx) -> {
                    started.countDown();
                    release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    mails.incrementAndGet();
                })
                .session(ctx -> {
                    started.countDown();
                    release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    return "ran on " + ctx.agentId();
                })
                .build()).join();
        members.get(0).spawnAgent(AgentDefinition.builder().id("local").capabilities("m0")
                .session(ctx -> "local").build()).join();
        awaitDirectories(1);

        CompletableFuture<TaskResult> remote = members.get(0).submitTask(Task.builder()
                .type("slow").requiredCapabilities("only-m1").build());
        members.get(0).sendToPeer("slow", "note", 1).join();
        assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        // member 0's work runs on member 1: 0 is not done, 1 (nothing rooted there) is
        assertThat(members.get(0).waitForCompletion(Duration.ofMillis(300)).join()).isFalse();
        assertThat(members.get(1).waitForCompletion(WAIT).join()).isTrue();
        assertThat(remote).isNotDone();

        release.countDown();
        assertThat(members.get(0).waitForCompletion(WAIT).join()).isTrue();
        assertThat(remote).isCompleted();
        assertThat(remote.join().output()).isEqualTo("ran on slow");
        assertThat(remote.join().agentId()).isEqualTo("slow");
        assertThat(mails).hasValue(1);
    }

    @Test
    void agentIds_areTheSwarms_andMaxAgentsCountsEveryMember() {
        startMembers(2);
        members.get(0).spawnAgents(List.of(
                AgentDefinition.builder().id("a").session(ctx -> "a").build(),
                AgentDefinition.builder().id("b").session(ctx -> "b").build(),
                AgentDefinition.builder().id("c").session(ctx -> "c").build(),
                AgentDefinition.builder().id("d").session(ctx -> "d").build())).join();
        await().atMost(WAIT).until(() -> members.get(1).remoteAgents().size() == 4);

        assertThatThrownBy(() -> members.get(1).spawnAgent(AgentDefinition.builder().id("a")
                .session(ctx -> "a again").build()).join())
                .hasCauseInstanceOf(DuplicateAgentException.class);
        // 7 agents in all: 4 on member 0, so member 1 may add 3, not 4
        assertThatThrownBy(() -> members.get(1).spawnAgents(List.of(
                AgentDefinition.builder().id("e").session(ctx -> "e").build(),
                AgentDefinition.builder().id("f").session(ctx -> "f").build(),
                AgentDefinition.builder().id("g").session(ctx -> "g").build(),
                AgentDefinition.builder().id("h").session(ctx -> "h").build())).join())
                .hasCauseInstanceOf(AgentLimitExceededException.class);
        assertThat(members.get(1).spawnAgents(List.of(
                AgentDefinition.builder().id("e").session(ctx -> "e").build(),
                AgentDefinition.builder().id("f").session(ctx -> "f").build(),
                AgentDefinition.builder().id("g").session(ctx -> "g").build())).join())
                .hasSize(3);
    }

    @Test
    void aMemberThatLeaves_failsTheTasksItHeld_leavingNoFuturePending() throws Exception {
        startMembers(2);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        members.get(1).spawnAgent(AgentDefinition.builder().id("stuck").capabilities("m1")
                .session(ctx -> {
                    started.countDown();
                    never.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    return "late";
                }).build()).join();
        await().atMost(WAIT).until(() -> members.get(0).remoteAgents().contains("stuck"));
        CompletableFuture<TaskResult> held = members.get(0).submitTask(Task.builder()
                .type("x").requiredCapabilities("m1").build());
        assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        members.remove(1).close();
        never.countDown();
        await().atMost(WAIT).until(held::isDone);
        // the closing member fails what it holds and says so, unless its departure from the
        // view is seen first: either way the task fails, naming why
        assertThatThrownBy(held::join).isInstanceOf(CompletionException.class)
                .rootCause().satisfiesAnyOf(
                        root -> assertThat(root).isInstanceOf(ClusterException.class)
                                .hasMessageContaining("stuck"),
                        root -> assertThat(root).isInstanceOf(SwarmShutdownException.class)
                                .hasMessageContaining("shut down"));
        assertThat(members.get(0).remoteAgents()).isEmpty();
    }

    // ---- dependencies across members ---------------------------------------------------------

    /** A gated agent on member {@code index}, capability {@code "m<index>"}. */
    private void spawnGated(int index, CountDownLatch gate, Queue<String> ran) {
        members.get(index).spawnAgent(AgentDefinition.builder().id("a" + index)
                .capabilities("m" + index).maxConcurrentTasks(4)
                .session(ctx -> {
                    if (ctx.task().type().startsWith("gated")) {
                        gate.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    }
                    if (ctx.task().type().equals("gated-fail")) {
                        throw new IllegalStateException("boom in " + ctx.task().id());
                    }
                    ran.add(ctx.task().id());
                    return ctx.task().id();
                }).build()).join();
    }

    /** {@code count} members, each with a gated agent, all known everywhere. */
    private void startGatedMembers(int count, CountDownLatch gate, Queue<String> ran) {
        startMembers(count);
        for (int i = 0; i < count; i++) {
            spawnGated(i, gate, ran);
        }
        awaitDirectories(1);
    }

    private static Task on(int member, String id, String type, String... dependencies) {
        return Task.builder().id(id).type(type).requiredCapabilities("m" + member)
                .dependencies(dependencies).build();
    }

    @Test
    void aDependencyOnAnotherMembersTask_waitsForIt_andCompletionHoldsMeanwhile() {
        CountDownLatch gate = new CountDownLatch(1);
        Queue<String> ran = new ConcurrentLinkedQueue<>();
        startGatedMembers(2, gate, ran);

        CompletableFuture<TaskResult> dependency = members.get(1).submitTask(
                on(1, "d", "gated"));
        CompletableFuture<TaskResult> dependent = members.get(0).submitTask(
                on(0, "t", "plain", "d"));

        // t waits at member 0's root for d of member 1: member 0's work is not done
        assertThat(members.get(0).waitForCompletion(Duration.ofMillis(300)).join()).isFalse();
        assertThat(dependent).isNotDone();
        assertThat(ran).isEmpty();

        gate.countDown();
        assertThat(members.get(0).waitForCompletion(WAIT).join()).isTrue();
        assertThat(dependent).isCompleted();
        assertThat(dependency).isCompleted();
        assertThat(List.copyOf(ran)).containsExactly("d", "t");
        assertThat(dependent.join().startedAt()).isAfterOrEqualTo(dependency.join().finishedAt());
    }

    @Test
    void aDependencyFailingOnAnotherMember_failsTheDependent_withItsError() {
        CountDownLatch gate = new CountDownLatch(1);
        Queue<String> ran = new ConcurrentLinkedQueue<>();
        startGatedMembers(2, gate, ran);

        members.get(1).submitTask(on(1, "d", "gated-fail"));
        CompletableFuture<TaskResult> dependent = members.get(0).submitTask(
                on(0, "t", "plain", "d"));
        gate.countDown();

        assertThatThrownBy(dependent::join).isInstanceOf(CompletionException.class)
                .cause().hasCauseInstanceOf(DependencyFailedException.class)
                .rootCause().hasMessageContaining("boom in d");
        assertThat(members.get(0).waitForCompletion(WAIT).join()).isTrue();
        assertThat(ran).doesNotContain("t");
    }

    @Test
    void aDependencyNoMemberHolds_failsTheTask_asUnknown() {
        Queue<String> ran = new ConcurrentLinkedQueue<>();
        startGatedMembers(2, new CountDownLatch(0), ran);

        CompletableFuture<TaskResult> dependent = members.get(0).submitTask(
                on(0, "t", "plain", "nowhere"));

        assertThatThrownBy(dependent::join).isInstanceOf(CompletionException.class)
                .cause().hasCauseInstanceOf(UnknownDependencyException.class)
                .rootCause().hasMessageContaining("nowhere");
        assertThat(members.get(0).waitForCompletion(WAIT).join()).isTrue();
        assertThat(ran).isEmpty();
    }

    @Test
    void aDependencyIdSeveralMembersHold_isAmbiguous_andRefused() {
        CountDownLatch gate = new CountDownLatch(1);
        Queue<String> ran = new ConcurrentLinkedQueue<>();
        startGatedMembers(3, gate, ran);
        members.get(1).submitTask(on(1, "twice", "gated"));
        members.get(2).submitTask(on(2, "twice", "gated"));

        CompletableFuture<TaskResult> dependent = members.get(0).submitTask(
                on(0, "t", "plain", "twice"));

        assertThatThrownBy(dependent::join).isInstanceOf(CompletionException.class)
                .rootCause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("several members").hasMessageContaining("m1")
                .hasMessageContaining("m2");
        gate.countDown();
        for (MeshCoordinator member : members) {
            assertThat(member.waitForCompletion(WAIT).join()).isTrue();
        }
        assertThat(ran).doesNotContain("t");
    }

    @Test
    void aTaskThatStillWaitsForItsOwnDependencies_isRefusedAsADependencyAcrossMembers() {
        CountDownLatch gate = new CountDownLatch(1);
        Queue<String> ran = new ConcurrentLinkedQueue<>();
        startGatedMembers(2, gate, ran);
        members.get(1).submitTask(on(1, "first", "gated"));
        CompletableFuture<TaskResult> waiting = members.get(1).submitTask(
                on(1, "second", "plain", "first"));

        CompletableFuture<TaskResult> dependent = members.get(0).submitTask(
                on(0, "t", "plain", "second"));

        assertThatThrownBy(dependent::join).isInstanceOf(CompletionException.class)
                .rootCause().isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("still waits for dependencies of its own");
        gate.countDown();
        assertThat(waiting.join().output()).isEqualTo("second");
        assertThat(members.get(1).waitForCompletion(WAIT).join()).isTrue();
        assertThat(ran).doesNotContain("t");
    }

    @Test
    void aMemberHoldingADependencyStops_failsTheDependent_withTheStop() {
        CountDownLatch gate = new CountDownLatch(1);
        Queue<String> ran = new ConcurrentLinkedQueue<>();
        startGatedMembers(2, gate, ran);
        members.get(1).submitTask(on(1, "d", "gated"));
        CompletableFuture<TaskResult> dependent = members.get(0).submitTask(
                on(0, "t", "plain", "d"));
        assertThat(members.get(0).waitForCompletion(Duration.ofMillis(300)).join()).isFalse();

        // a stopping member fails its tasks and tells who depends on them — unless its
        // departure from the view is seen first: either way the dependent fails, nothing waits
        members.remove(1).close();
        gate.countDown();

        assertThatThrownBy(dependent::join).isInstanceOf(CompletionException.class)
                .cause().hasCauseInstanceOf(DependencyFailedException.class)
                .rootCause().isInstanceOfAny(SwarmShutdownException.class,
                        ClusterException.class);
        assertThat(members.get(0).waitForCompletion(WAIT).join()).isTrue();
        assertThat(ran).doesNotContain("t");
    }

    @Test
    void aMemberHoldingADependencyLeaves_failsTheDependent_leavingNothingPending() {
        CountDownLatch gate = new CountDownLatch(1);
        Queue<String> ran = new ConcurrentLinkedQueue<>();
        startGatedMembers(2, gate, ran);
        members.get(1).submitTask(on(1, "d", "gated"));
        CompletableFuture<TaskResult> dependent = members.get(0).submitTask(
                on(0, "t", "plain", "d"));
        assertThat(members.get(0).waitForCompletion(Duration.ofMillis(300)).join()).isFalse();

        // its transport goes, its swarm cannot say anything more: as if it had crashed
        transports.get(1).close();

        assertThatThrownBy(dependent::join).isInstanceOf(CompletionException.class)
                .cause().hasCauseInstanceOf(DependencyFailedException.class)
                .rootCause().isInstanceOf(ClusterException.class)
                .hasMessageContaining("left before it ended");
        assertThat(members.get(0).waitForCompletion(WAIT).join()).isTrue();
        gate.countDown();
        assertThat(ran).doesNotContain("t");
    }

    @Test
    void clusterMode_refusesTheHierarchy() {
        assertThatThrownBy(() -> SwarmConfig.builder().topology(Topology.HIERARCHICAL)
                .cluster(ClusterFixture.fast("c", "m", List.of(7800), 0).build()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cluster mode runs the mesh");
        assertThatThrownBy(() -> SwarmConfig.builder().topology(Topology.AUTO).maxAgents(8)
                .cluster(ClusterFixture.fast("c", "m", List.of(7800), 0).build()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AUTO with maxAgents at most 7");
    }
}
