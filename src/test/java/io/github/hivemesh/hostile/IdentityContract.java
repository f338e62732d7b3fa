package io.github.hivemesh.hostile;

import static io.github.hivemesh.hostile.SwarmUnderTest.pass;
import static io.github.hivemesh.hostile.SwarmUnderTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentLimitExceededException;
import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.DuplicateAgentException;
import io.github.hivemesh.agent.NoCapableAgentException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13, items 2, 4, 5 and 13's agent limit: who an agent or a swarm is — a refused batch
 * changes nothing, every id the API accepts works everywhere, a peer's shared state survives
 * the longest ids.
 */
interface IdentityContract extends SwarmUnderTest {

    /** An agent counting the tasks it ran. */
    private static AgentDefinition counting(String id, AtomicInteger ran, String... caps) {
        return AgentDefinition.builder().id(id).capabilities(caps).session(ctx -> {
            ran.incrementAndGet();
            return ctx.agentId();
        }).build();
    }

    private static List<String> ids(ICoordinator swarm) {
        return swarm.agents().stream().map(AgentHandle::id).sorted().toList();
    }

    /**
     * Item 2. A batch with an id twice, or with an id already in use, is refused whole: the
     * agents listed before are all there is, none of the batch runs a task, and the slots it
     * would have taken are free.
     */
    @Test
    default void refusedSpawnBatch_withADuplicateId_spawnsNothing() {
        ICoordinator swarm = swarm(config(4));
        AtomicInteger ranOnBatch = new AtomicInteger();
        swarm.spawnAgent(SwarmUnderTest.echo("keeper", "k")).join();

        CompletableFuture<List<AgentHandle>> twice = Hostile.caught(() -> swarm.spawnAgents(
                List.of(counting("b1", ranOnBatch, "batch"), counting("b2", ranOnBatch, "batch"),
                        counting("b1", ranOnBatch, "batch"))));
        CompletableFuture<List<AgentHandle>> inUse = Hostile.caught(() -> swarm.spawnAgents(
                List.of(counting("b3", ranOnBatch, "batch"), counting("keeper", ranOnBatch,
                        "batch"))));

        Hostile.assertFailsWith(twice, DuplicateAgentException.class);
        Hostile.assertFailsWith(inUse, DuplicateAgentException.class);
        assertThat(ids(swarm)).containsExactly("keeper");
        CompletableFuture<TaskResult> orphan = swarm.submitTask(task("orphan", "batch").build());
        Hostile.assertFailsWith(orphan, NoCapableAgentException.class);
        assertThat(ranOnBatch).hasValue(0);
        assertThat(swarm.spawnAgents(List.of(counting("b1", ranOnBatch, "batch"),
                counting("b2", ranOnBatch, "batch"), counting("b3", ranOnBatch, "batch")))
                .join()).hasSize(3);
        assertThat(ids(swarm)).containsExactly("b1", "b2", "b3", "keeper");
    }

    /**
     * Item 2. A batch that would take the swarm beyond {@code maxAgents} is refused whole: no
     * agent of it is listed or runs a task, and a later batch that fits is spawned.
     */
    @Test
    default void refusedSpawnBatch_beyondMaxAgents_spawnsNothing() {
        ICoordinator swarm = swarm(config(4));
        AtomicInteger ranOnBatch = new AtomicInteger();
        swarm.spawnAgent(SwarmUnderTest.echo("keeper", "k")).join();

        CompletableFuture<List<AgentHandle>> tooMany = Hostile.caught(() -> swarm.spawnAgents(
                List.of(counting("x1", ranOnBatch, "batch"), counting("x2", ranOnBatch, "batch"),
                        counting("x3", ranOnBatch, "batch"),
                        counting("x4", ranOnBatch, "batch"))));

        Hostile.assertFailsWith(tooMany, AgentLimitExceededException.class);
        assertThat(ids(swarm)).containsExactly("keeper");
        Hostile.assertFailsWith(swarm.submitTask(task("orphan", "batch").build()),
                NoCapableAgentException.class);
        assertThat(ranOnBatch).hasValue(0);
        assertThat(swarm.spawnAgents(List.of(counting("x1", ranOnBatch, "batch"),
                counting("x2", ranOnBatch, "batch"), counting("x3", ranOnBatch, "batch")))
                .join()).hasSize(3);
        assertThat(swarm.submitTask(task("served", "batch").build()).join().agentId())
                .startsWith("x");
        assertThat(ids(swarm)).containsExactly("keeper", "x1", "x2", "x3");
    }

    /**
     * Item 13. The refusal beyond {@code maxAgents} states the limit and how many agents the
     * swarm has: 2 of 5 when a batch of 4 is refused, 5 of 5 when one more is.
     */
    @Test
    default void agentLimitRefusal_statesTheLimitAndTheCountItHas() {
        ICoordinator swarm = swarm(config(5));
        swarm.spawnAgents(List.of(SwarmUnderTest.echo("alpha", "t"),
                SwarmUnderTest.echo("beta", "t"))).join();

        AgentLimitExceededException batch = Hostile.assertFailsWith(Hostile.caught(() ->
                swarm.spawnAgents(List.of(SwarmUnderTest.echo("gamma", "t"),
                        SwarmUnderTest.echo("delta", "t"), SwarmUnderTest.echo("epsilon", "t"),
                        SwarmUnderTest.echo("zeta", "t")))), AgentLimitExceededException.class);

        assertThat(batch.maxAgents()).isEqualTo(5);
        assertThat(batch.getMessage()).containsPattern("\\b5\\b").containsPattern("\\b2\\b");
        swarm.spawnAgents(List.of(SwarmUnderTest.echo("gamma", "t"),
                SwarmUnderTest.echo("delta", "t"), SwarmUnderTest.echo("epsilon", "t"))).join();
        AgentLimitExceededException one = Hostile.assertFailsWith(Hostile.caught(() ->
                swarm.spawnAgent(SwarmUnderTest.echo("eta", "t"))),
                AgentLimitExceededException.class);
        assertThat(one.getMessage()).contains("'eta'").containsPattern("\\b5\\b");
    }

    /** The ids item 4 found broken, and the longest the API accepts. */
    static Stream<Arguments> ordinaryLongIds() {
        return Stream.of(
                Arguments.of("60 upper-case agent id", null, Hostile.upper(60)),
                Arguments.of("24 CJK agent id", null, Hostile.cjk(24)),
                Arguments.of("180 lower-case agent id", null, Hostile.lower(180)),
                Arguments.of("256-character agent id", null, Hostile.odd(256)),
                Arguments.of("70-character swarm id", Hostile.upper(70), "agent"),
                Arguments.of("256-character swarm and agent ids", Hostile.odd(256),
                        Hostile.sized(Hostile.cjk(300), 256, "")));
    }

    /** Another id of the same kind and length: its first character changed. */
    private static String variant(String id) {
        char first = id.charAt(0);
        char other = Character.isUpperCase(first) ? 'Z' : Character.isLowerCase(first) ? 'z'
                : '\u9fa5';
        return other + id.substring(1);
    }

    /** A session that records what it is asked to do, and checkpoints. */
    final class Recording implements AgentSession {
        final List<String> events = new CopyOnWriteArrayList<>();
        private final String peer;

        Recording(String peer) {
            this.peer = peer;
        }

        @Override
        public Object execute(TaskContext ctx) {
            events.add("execute " + ctx.task().id());
            if (peer != null && "delegate".equals(ctx.task().payload())) {
                ctx.sendToPeer(peer, "note", "hello").join();
                return ctx.delegate(task(ctx.task().id() + "-sub", "help").build());
            }
            return ctx.agentId();
        }

        @Override
        public void onPause() {
            events.add("pause");
        }

        @Override
        public void onResume(String checkpointId) {
            events.add("resume " + checkpointId);
        }

        @Override
        public byte[] checkpoint() {
            return "context".getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Item 4. Ids the API accepts work everywhere: two agents with such ids (or in a swarm with
     * such an id) spawn without an exception, are listed, run tasks, delegate to and message
     * each other, pause with checkpoints on, and resume from their checkpoint.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ordinaryLongIds")
    default void longOrdinaryIds_workEverywhere(String label, String swarmId, String agentId) {
        var settings = config(4).checkpointsEnabled(true);
        if (swarmId != null) {
            settings.swarmId(swarmId);
        }
        ICoordinator swarm = swarm(settings);
        String helperId = variant(agentId);
        Recording lead = new Recording(helperId);
        Recording helper = new Recording(null);
        List<Object> notes = new CopyOnWriteArrayList<>();
        List<CompletableFuture<AgentHandle>> spawns = new ArrayList<>();

        assertThatCode(() -> {
            spawns.add(swarm.spawnAgent(AgentDefinition.builder().id(agentId)
                    .capabilities("lead").session(lead).build()));
            spawns.add(swarm.spawnAgent(AgentDefinition.builder().id(helperId)
                    .capabilities("help").session(helper)
                    .messageHandler(message -> notes.add(message.payload())).build()));
        }).as("spawning agents with a %s", label).doesNotThrowAnyException();
        assertThat(spawns.get(0).join().id()).isEqualTo(agentId);
        assertThat(spawns.get(1).join().id()).isEqualTo(helperId);
        assertThat(ids(swarm)).containsExactlyInAnyOrder(agentId, helperId);

        TaskResult first = swarm.submitTask(task("first", "lead").payload("delegate").build())
                .join();
        assertThat(first.agentId()).isEqualTo(agentId);
        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join()).isTrue();
        assertThat(helper.events).containsExactly("execute first-sub");
        Hostile.waiting().until(() -> notes.equals(List.of("hello")));
        Hostile.awaitIdle(swarm, agentId);
        Hostile.awaitIdle(swarm, helperId);

        String checkpoint = swarm.queryController().pauseAgent(agentId).join();
        assertThat(checkpoint).isNotNull();
        assertThat(Hostile.agentState(swarm, agentId)).contains(AgentState.PAUSED);
        swarm.queryController().resumeAgent(agentId, checkpoint).join();
        String helperCheckpoint = swarm.queryController().pauseAgent(helperId).join();
        TaskResult second = swarm.submitTask(task("second", "lead").payload("delegate")
                .build()).join();

        assertThat(second.agentId()).isEqualTo(agentId);
        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join()).isTrue();
        assertThat(lead.events).containsExactly("execute first", "pause",
                "resume " + checkpoint, "execute second");
        assertThat(helper.events).containsExactly("execute first-sub", "pause",
                "resume " + helperCheckpoint, "execute second-sub");
    }

    /** Tasks queued on one agent to push its shared state past 64 MiB with 256-character ids. */
    int LONGEST_ID_TASKS = 90_000;

    /**
     * Item 5. One agent holds {@value #LONGEST_ID_TASKS} queued tasks whose ids are the
     * longest allowed (256 CJK characters, 768 UTF-8 bytes each — together more than a stored
     * artifact may hold) when it becomes busy and shares its state. Nothing is logged as an
     * error, the swarm's views stay readable, and every task runs.
     */
    @Test
    default void manyQueuedTasksWithTheLongestIds_keepPeerStatePublishing() {
        ICoordinator swarm = swarm(config(3));
        CountDownLatch resume = gate();
        CountDownLatch first = gate();
        AtomicInteger ran = new AtomicInteger();
        swarm.spawnAgent(AgentDefinition.builder().id("holder").capabilities("t")
                .maxConcurrentTasks(1).session(new AgentSession() {
                    @Override
                    public Object execute(TaskContext ctx) throws Exception {
                        if ("first".equals(ctx.task().payload())) {
                            pass(first);
                        }
                        ran.incrementAndGet();
                        return null;
                    }

                    @Override
                    public void onResume(String checkpointId) throws Exception {
                        // tasks queue while the agent resumes; it shares its state once busy
                        pass(resume);
                    }
                }).build()).join();
        swarm.queryController().pauseAgent("holder").join();
        String base = Hostile.cjk(250);
        List<Task> tasks = new ArrayList<>(LONGEST_ID_TASKS);
        for (int i = 0; i < LONGEST_ID_TASKS; i++) {
            tasks.add(task(base + String.format("%06d", i), "t").payload(i == 0 ? "first" : null)
                    .build());
        }
        String last = tasks.get(LONGEST_ID_TASKS - 1).id();

        try (LogCapture logs = LogCapture.library(Level.ERROR)) {
            for (Task task : tasks) {
                swarm.submitTask(task);
            }
            if (topology() == Topology.MESH) {
                // every task in the agent's own queue, none still on its way
                Hostile.waiting().atMost(Duration.ofMinutes(1)).until(() -> tasks.stream().allMatch(t ->
                        Hostile.stateOf(swarm, t.id()) == TaskState.ASSIGNED));
            }
            resume.countDown();
            Hostile.waiting().until(() -> Hostile.stateOf(swarm, tasks.get(0)
                    .id()) == TaskState.RUNNING);
            // busy now: its state is shared a fraction of a second later, and must not fail
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> logs.lines(Level.ERROR).isEmpty());
            assertThat(swarm.agents()).extracting(AgentHandle::id).containsExactly("holder");
            assertThat(swarm.queryController().getTokenSavings("holder")).isNotNull();
            first.countDown();
            assertThat(swarm.waitForCompletion(Duration.ofMinutes(2)).join()).isTrue();
            assertThat(ran).hasValue(LONGEST_ID_TASKS);
            assertThat(logs.lines(Level.ERROR)).as("errors").isEmpty();
        }
    }
}
