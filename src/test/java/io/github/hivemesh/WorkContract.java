package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.DuplicateAgentException;
import io.github.hivemesh.agent.UnknownAgentException;
import io.github.hivemesh.task.BroadcastResult;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskFailedException;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskTimeoutException;
import io.github.hivemesh.task.UnknownDependencyException;
import io.github.hivemesh.testing.Crossed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Part of the coordinator contract (issue 16): completion is exact for everything agents do —
 * messages, asynchronous sessions, sessions that wait on their subtasks — and the context,
 * the error rule and the removal rule are the same on both topologies. Each test is the
 * program a user would write. Run against every coordinator by {@link CoordinatorConformanceTest}.
 */
interface WorkContract {

    Duration LONG = Duration.ofSeconds(30);

    /** The topology under test. */
    Topology topology();

    /** An initialized swarm of the topology under test, closed after the test. */
    ICoordinator swarm(SwarmConfig.Builder config);

    /** Whether the swarms are built with wire encoding forced on. */
    boolean encoded();

    private ICoordinator swarm() {
        return swarm(SwarmConfig.builder().maxAgents(topology() == Topology.MESH ? 6 : 8));
    }

    /** Stands for work that takes {@code millis} (a model call): parks, not a wait for a state. */
    private static Object sleep(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
        return null;
    }

    /** Regression (issue 16.1): 0–4 of 100 slow messages were handled when completion came. */
    @Test
    default void messagesBetweenAgents_areWork_completionWaitsForEveryHandler() {
        ICoordinator swarm = swarm();
        AtomicInteger handled = new AtomicInteger();
        swarm.spawnAgent(AgentDefinition.builder().id("listener").session(ctx -> null)
                .messageHandler(message -> {
                    sleep(2);
                    handled.incrementAndGet();
                }).build()).join();
        for (String talker : List.of("t1", "t2")) {
            swarm.spawnAgent(AgentDefinition.builder().id(talker).capabilities(talker)
                    .session(ctx -> {
                        for (int i = 0; i < 50; i++) {
                            ctx.sendToPeer("listener", "note", i).join();
                        }
                        return null;
                    }).build()).join();
        }

        swarm.submitTask(Task.builder().type("talk").requiredCapabilities("t1").build());
        swarm.submitTask(Task.builder().type("talk").requiredCapabilities("t2").build());
        // read at the very moment completion is reported, on the thread that reports it
        int atCompletion = swarm.waitForCompletion(LONG)
                .thenApply(done -> done ? handled.get() : -1).join();

        assertThat(atCompletion).isEqualTo(100);
    }

    @Test
    default void aHandlerSendsOn_andCompletionWaitsForTheWholeChain() {
        ICoordinator swarm = swarm();
        List<String> hops = new CopyOnWriteArrayList<>();
        for (String id : List.of("a", "b")) {
            String other = id.equals("a") ? "b" : "a";
            swarm.spawnAgent(AgentDefinition.builder().id(id).session(ctx -> null)
                    .messageHandler((message, context) -> {
                        int left = (Integer) message.payload();
                        hops.add(context.agentId() + ":" + left);
                        sleep(1);
                        if (left > 0) {
                            context.sendToPeer(other, "hop", left - 1).join();
                        }
                    }).build()).join();
        }

        swarm.sendToPeer("a", "hop", 20).join();
        int atCompletion = swarm.waitForCompletion(LONG)
                .thenApply(done -> done ? hops.size() : -1).join();

        assertThat(atCompletion).isEqualTo(21);
        assertThat(hops.get(0)).isEqualTo("a:20");
        assertThat(hops.get(20)).isEqualTo("a:0");
    }

    @Test
    default void broadcast_reachesEveryAgentWithAHandler_andIsWorkUntilAllHandled() {
        ICoordinator swarm = swarm();
        AtomicInteger handled = new AtomicInteger();
        for (String id : List.of("x1", "x2", "y1")) {
            swarm.spawnAgent(AgentDefinition.builder().id(id).capabilities(id.substring(0, 1))
                    .session(ctx -> null).messageHandler((message, context) -> {
                        sleep(20);
                        handled.incrementAndGet();
                    }).build()).join();
        }
        swarm.spawnAgent(AgentDefinition.builder().id("deaf").session(ctx -> null).build())
                .join();

        BroadcastResult all = swarm.broadcast("news", "hi").join();
        BroadcastResult toX = swarm.broadcastToCapability("x", "news", "x only").join();
        int atCompletion = swarm.waitForCompletion(LONG)
                .thenApply(done -> done ? handled.get() : -1).join();

        assertThat(all.delivered()).containsExactlyInAnyOrder("x1", "x2", "y1");
        assertThat(all.isComplete()).isTrue();
        assertThat(toX.delivered()).containsExactlyInAnyOrder("x1", "x2");
        assertThat(atCompletion).isEqualTo(5);
    }

    @Test
    default void messageHandler_reachesTheSwarmMemory_andSendsOnlyWhileItRuns() {
        ICoordinator swarm = swarm();
        AtomicReference<io.github.hivemesh.agent.MessageContext> escaped = new AtomicReference<>();
        swarm.spawnAgent(AgentDefinition.builder().id("keeper").session(ctx -> null)
                .messageHandler((message, context) -> {
                    escaped.set(context);
                    context.memory().remember(context.agentId(), "note", message.payload(),
                            Map.of());
                }).build()).join();

        swarm.sendToPeer("keeper", "keep", "remember me").join();
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();

        assertThat(swarm.memory().recall(io.github.hivemesh.memory.SwarmMemoryQuery.builder()
                .agentId("keeper").build())).extracting(e -> e.content())
                .containsExactly("remember me");
        // a send after the handler returned would be work nothing keeps the swarm busy for
        assertThatThrownBy(() -> escaped.get().sendToPeer("keeper", "late", 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has returned");
    }

    /** Regression (issue 16.2): a session returning a future was finished at once. */
    @Test
    default void anAsynchronousSession_endsItsTaskWhenItsStageCompletes() throws Exception {
        ICoordinator swarm = swarm();
        ScheduledExecutorService model = Executors.newSingleThreadScheduledExecutor();
        try {
            AtomicInteger delegated = new AtomicInteger();
            swarm.spawnAgent(AgentDefinition.builder().id("async").capabilities("llm")
                    .session(ctx -> {
                        CompletableFuture<String> answer = new CompletableFuture<>();
                        model.schedule(() -> {
                            // still the task's work: it may delegate and record tokens
                            ctx.recordTokens(7);
                            ctx.delegate(Task.builder().type("follow-up")
                                    .requiredCapabilities("echo").build());
                            answer.complete("answer to " + ctx.task().payload());
                        }, 100, TimeUnit.MILLISECONDS);
                        return answer;
                    }).build()).join();
            swarm.spawnAgent(AgentDefinition.builder().id("echo").capabilities("echo")
                    .session(ctx -> delegated.incrementAndGet()).build()).join();

            CompletableFuture<TaskResult> result = swarm.submitTask(Task.builder().type("ask")
                    .requiredCapabilities("llm").payload("q").build());
            boolean done = swarm.waitForCompletion(LONG).join();

            assertThat(done).isTrue();
            assertThat(result).isCompleted();
            assertThat(result.join().output()).isEqualTo("answer to q");
            assertThat(delegated).hasValue(1);
            assertThat(swarm.queryController().getTokenSavings("async")).isNotNull();
        } finally {
            model.shutdownNow();
        }
    }

    @Test
    default void tokens_reportedSplitAndUnsplit_areSummedApart_perAgentAndSwarm() {
        ICoordinator swarm = swarm();
        AtomicReference<Throwable> negative = new AtomicReference<>();
        AtomicReference<io.github.hivemesh.task.TaskContext> escaped = new AtomicReference<>();
        swarm.spawnAgent(AgentDefinition.builder().id("model").capabilities("llm")
                .session(ctx -> {
                    escaped.set(ctx);
                    ctx.recordTokens(100, 20);
                    ctx.recordTokens(7);
                    try {
                        ctx.recordTokens(5, -1);
                    } catch (IllegalArgumentException e) {
                        negative.set(e);
                    }
                    // an asynchronous session reports from another thread, until its stage ends
                    return CompletableFuture.runAsync(() -> ctx.recordTokens(3, 4),
                            ctx.executor());
                }).build()).join();
        swarm.spawnAgent(AgentDefinition.builder().id("other").capabilities("other")
                .session(ctx -> {
                    ctx.recordTokens(1000, 1);
                    return null;
                }).build()).join();

        swarm.submitTask(Task.builder().type("ask").requiredCapabilities("llm").build()).join();
        swarm.submitTask(Task.builder().type("ask").requiredCapabilities("other").build()).join();
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        escaped.get().recordTokens(50, 50);

        var model = swarm.queryController().getTokenSavings("model");
        assertThat(model.inputTokens()).isEqualTo(103);
        assertThat(model.outputTokens()).isEqualTo(24);
        assertThat(model.workTokens()).isEqualTo(134);
        var all = swarm.queryController().getMeshTokenSavings(swarm.swarmId());
        assertThat(all.inputTokens()).isEqualTo(1103);
        assertThat(all.outputTokens()).isEqualTo(25);
        assertThat(all.workTokens()).isEqualTo(1135);
        assertThat(negative.get()).hasMessageContaining("outputTokens");
    }

    @Test
    default void anAsynchronousSession_failsWithItsStagesFailure() {
        ICoordinator swarm = swarm();
        swarm.spawnAgent(AgentDefinition.builder().id("async").capabilities("llm")
                .session(ctx -> CompletableFuture.supplyAsync(() -> {
                    throw new IllegalStateException("the model refused");
                })).build()).join();

        CompletableFuture<TaskResult> result = swarm.submitTask(Task.builder().type("ask")
                .requiredCapabilities("llm").build());

        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(cause(result)).isInstanceOf(TaskFailedException.class);
        Crossed.assertFailure(cause(result).getCause(), encoded(), IllegalStateException.class,
                "the model refused");
    }

    @Test
    default void anAsynchronousSessionThatNeverCompletes_endsAtItsTimeout_andALateStageIsDropped() {
        ICoordinator swarm = swarm();
        AtomicReference<CompletableFuture<String>> stage = new AtomicReference<>();
        swarm.spawnAgent(AgentDefinition.builder().id("stuck").capabilities("llm")
                .maxConcurrentTasks(1).session(ctx -> {
                    // a stage that ignores cancellation: its cancel() does not reach the work
                    CompletableFuture<String> never = new CompletableFuture<>();
                    stage.set(never);
                    return never.thenApply(s -> s).minimalCompletionStage();
                }).build()).join();

        CompletableFuture<TaskResult> result = swarm.submitTask(Task.builder().type("ask")
                .requiredCapabilities("llm").timeout(Duration.ofMillis(100)).build());

        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        assertThat(cause(result)).isInstanceOf(TaskFailedException.class)
                .cause().isInstanceOf(TaskTimeoutException.class);
        stage.get().complete("too late");
        await().atMost(LONG).until(() -> swarm.getMetrics().lateCompletions() == 1);
        // its slot is free again: the agent takes the next task
        assertThat(swarm.submitTask(Task.builder().type("ask").requiredCapabilities("llm")
                .timeout(Duration.ofMillis(50)).build())).failsWithin(LONG);
    }

    /**
     * Regression (issue 16.3): in the mesh, subtasks queued on the lead that waits for them
     * while four capable agents sat idle.
     */
    @Test
    default void aSessionWaitingOnItsSubtasks_doesNotDeadlock_idleAgentsTakeThem() {
        ICoordinator swarm = swarm();
        swarm.spawnAgent(AgentDefinition.builder().id("lead").capabilities("lead", "work")
                .maxConcurrentTasks(1).session(ctx -> {
                    List<CompletableFuture<TaskResult>> parts = new ArrayList<>();
                    for (int i = 0; i < 12; i++) {
                        parts.add(ctx.delegate(Task.builder().type("part")
                                .requiredCapabilities("work").payload(i).build()));
                    }
                    CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                            .get(20, TimeUnit.SECONDS);
                    return parts.size();
                }).build()).join();
        for (int w = 0; w < 4; w++) {
            swarm.spawnAgent(AgentDefinition.builder().id("worker-" + w).capabilities("work")
                    .maxConcurrentTasks(1).session(ctx -> sleep(10)).build()).join();
        }

        CompletableFuture<TaskResult> lead = swarm.submitTask(Task.builder().type("plan")
                .requiredCapabilities("lead").build());

        assertThat(lead.join().output()).isEqualTo(12);
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
    }

    @Test
    default void aTask_reachesTheArtifactStoreAndTheMemory() {
        ICoordinator swarm = swarm();
        swarm.spawnAgent(AgentDefinition.builder().id("writer").capabilities("w")
                .session(ctx -> {
                    ctx.artifacts().store("reports/" + ctx.task().id(),
                            "done".getBytes(StandardCharsets.UTF_8));
                    return ctx.memory().remember(ctx.agentId(), "finding", "x", Map.of());
                }).build()).join();

        TaskResult result = swarm.submitTask(Task.builder().id("r1").type("write")
                .requiredCapabilities("w").build()).join();

        assertThat(swarm.artifacts().retrieve("reports/r1")).hasValueSatisfying(bytes ->
                assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("done"));
        assertThat(swarm.memory().get((String) result.output())).isPresent();
    }

    /** Issue 16.4: onResume can read its checkpoint's bytes, on both topologies. */
    @Test
    default void onResume_receivesTheBytesItsCheckpointStored() {
        ICoordinator swarm = swarm(SwarmConfig.builder().maxAgents(topology() == Topology.MESH
                ? 4 : 8).checkpointsEnabled(true).autoPause(false));
        AtomicReference<byte[]> restored = new AtomicReference<>();
        swarm.spawnAgent(AgentDefinition.builder().id("memo").session(
                new io.github.hivemesh.agent.AgentSession() {
                    @Override
                    public Object execute(io.github.hivemesh.task.TaskContext ctx) {
                        return null;
                    }

                    @Override
                    public byte[] checkpoint() {
                        return "conversation so far".getBytes(StandardCharsets.UTF_8);
                    }

                    @Override
                    public void onResume(String checkpointId, byte[] state) {
                        restored.set(state);
                    }
                }).build()).join();

        String checkpoint = swarm.queryController().pauseAgent("memo").join();
        swarm.queryController().resumeAgent("memo", checkpoint).join();

        assertThat(new String(restored.get(), StandardCharsets.UTF_8))
                .isEqualTo("conversation so far");
    }

    /** Issue 16.5: one error rule — the specific exception, never thrown, never wrapped. */
    @Test
    default void errors_failTheFuture_withTheSpecificException() {
        ICoordinator swarm = swarm();
        swarm.spawnAgent(AgentDefinition.builder().id("a").session(ctx -> null).build()).join();

        assertThat(cause(swarm.spawnAgent(AgentDefinition.builder().id("a")
                .session(ctx -> null).build()))).isInstanceOf(DuplicateAgentException.class);
        assertThat(cause(swarm.spawnAgents(List.of(AgentDefinition.builder().id("a")
                .session(ctx -> null).build())))).isInstanceOf(DuplicateAgentException.class);
        assertThat(cause(swarm.removeAgent("nobody"))).isInstanceOf(UnknownAgentException.class);
        assertThat(cause(swarm.queryController().pauseAgent("nobody")))
                .isInstanceOf(UnknownAgentException.class);
        assertThat(cause(swarm.queryController().resumeAgent("nobody", null)))
                .isInstanceOf(UnknownAgentException.class);
        assertThat(cause(swarm.sendToPeer("nobody", "t", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(cause(swarm.submitTask(Task.builder().type("t").dependencies("none")
                .build()))).isInstanceOf(TaskFailedException.class).cause()
                .isInstanceOf(UnknownDependencyException.class);
    }

    /** The exception a future failed with, as a callback sees it (not wrapped by join). */
    private static Throwable cause(CompletableFuture<?> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable direct = future.handle((v, t) -> t).join();
            assertThat(direct).as("failed with the exception itself, not wrapped")
                    .isNotInstanceOf(CompletionException.class);
            return direct;
        } catch (Exception e) {
            throw new AssertionError("the future did not fail in time", e);
        }
        throw new AssertionError("the future completed normally");
    }
}
