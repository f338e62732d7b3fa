package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.agent.AgentBusyException;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.IQueryController;
import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.agent.IllegalStateTransitionException;
import io.github.hivemesh.agent.PeerOperationResult;
import io.github.hivemesh.agent.TokenSavings;
import io.github.hivemesh.agent.UnknownAgentException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.testing.VirtualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Part of the coordinator contract: pausing and resuming agents through the query controller,
 * and what it saves. Run against every coordinator by {@link CoordinatorConformanceTest}.
 */
interface PausingContract {

    /** The topology under test. */
    Topology topology();

    /** An initialized swarm of the topology under test, closed after the test. */
    ICoordinator swarm(SwarmConfig.Builder config);

    private ICoordinator mesh(SwarmConfig.Builder config) {
        return swarm(config.maxAgents(topology() == Topology.MESH ? 5 : 8));
    }

    /** The agent's state now, through the public handles. */
    private static AgentState state(ICoordinator swarm, String agentId) {
        return swarm.agents().stream().filter(a -> a.id().equals(agentId)).findFirst()
                .orElseThrow().state();
    }

    /** A session that records its pause hooks and checkpoints its name. */
    final class HookedSession implements AgentSession {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public Object execute(TaskContext ctx) {
            events.add("execute " + ctx.task().id());
            return null;
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
            return "context".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    default void pausedAgent_isResumedByATask_whichThenRuns_andNothingIsLost() {
        ICoordinator mesh = mesh(SwarmConfig.builder().autoPause(false)
                .checkpointsEnabled(true));
        HookedSession session = new HookedSession();
        mesh.spawnAgent(AgentDefinition.builder().id("a").capabilities("t").session(session)
                .build()).join();
        IQueryController control = mesh.queryController();

        String checkpoint = control.pauseAgent("a").join();
        assertThat(state(mesh, "a")).isEqualTo(AgentState.PAUSED);
        assertThat(checkpoint).isNotNull();
        TaskResult result = mesh.submitTask(Task.builder().id("t1").type("t")
                .requiredCapabilities("t").build()).join();

        assertThat(result.agentId()).isEqualTo("a");
        assertThat(session.events).containsExactly("pause", "resume " + checkpoint,
                "execute t1");
        assertThat(mesh.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        // the hierarchy settles agent states just after the count reaches zero
        await().until(() -> state(mesh, "a") == AgentState.IDLE);
        assertThat(control.getTokenSavings("a").resumes()).isEqualTo(1);
    }

    @Test
    default void pauseHookFailing_whileAResumeAndATaskWait_leavesTheAgentActive_andBothProceed()
            throws Exception {
        ICoordinator mesh = mesh(SwarmConfig.builder().autoPause(false));
        CountDownLatch pausing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        AgentSession session = new AgentSession() {
            @Override
            public Object execute(TaskContext ctx) {
                ran.add(ctx.task().id());
                return null;
            }

            @Override
            public void onPause() throws Exception {
                pausing.countDown();
                release.await(10, TimeUnit.SECONDS);
                throw new IllegalStateException("cannot pause now");
            }
        };
        mesh.spawnAgent(AgentDefinition.builder().id("a").capabilities("t").session(session)
                .build()).join();
        IQueryController control = mesh.queryController();

        CompletableFuture<String> pause = control.pauseAgent("a");
        assertThat(pausing.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> resume = control.resumeAgent("a", null);
        CompletableFuture<TaskResult> task = mesh.submitTask(Task.builder().id("t1").type("t")
                .requiredCapabilities("t").build());
        release.countDown();

        assertThatThrownBy(() -> pause.get(10, TimeUnit.SECONDS))
                .hasRootCauseMessage("cannot pause now");
        // the agent never left the active states: the resume it waited for is granted
        resume.get(10, TimeUnit.SECONDS);
        assertThat(task.get(10, TimeUnit.SECONDS).agentId()).isEqualTo("a");
        assertThat(ran).containsExactly("t1");
        assertThat(mesh.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
        await().until(() -> state(mesh, "a") == AgentState.IDLE);
    }

    @Test
    default void explicitResume_handsTheCheckpointToTheSession() {
        ICoordinator mesh = mesh(SwarmConfig.builder().autoPause(false));
        HookedSession session = new HookedSession();
        mesh.spawnAgent(AgentDefinition.builder().id("a").session(session).build()).join();

        mesh.queryController().pauseAgent("a").join();
        mesh.queryController().resumeAgent("a", "cp-7").join();

        assertThat(session.events).containsExactly("pause", "resume cp-7");
        assertThat(state(mesh, "a")).isEqualTo(AgentState.IDLE);
    }

    @Test
    default void illegalRequests_failClearly_andChangeNothing() throws Exception {
        ICoordinator mesh = mesh(SwarmConfig.builder().autoPause(false));
        CountDownLatch release = new CountDownLatch(1);
        mesh.spawnAgent(AgentDefinition.builder().id("busy").capabilities("slow")
                .session(ctx -> release.await(10, TimeUnit.SECONDS)).build()).join();
        mesh.spawnAgent(AgentDefinition.builder().id("idle").session(ctx -> null).build())
                .join();
        CompletableFuture<TaskResult> running = mesh.submitTask(Task.builder().type("slow")
                .requiredCapabilities("slow").build());
        await().until(() -> state(mesh, "busy") == AgentState.BUSY);
        IQueryController control = mesh.queryController();

        assertThatThrownBy(() -> control.pauseAgent("busy").join()).cause()
                .isInstanceOf(AgentBusyException.class).hasMessageContaining("'busy'");
        assertThatThrownBy(() -> control.resumeAgent("busy", null).join()).cause()
                .isInstanceOf(IllegalStateTransitionException.class)
                .hasMessageContaining("from BUSY to IDLE");
        assertThatThrownBy(() -> control.resumeAgent("idle", null).join()).cause()
                .isInstanceOf(IllegalStateTransitionException.class)
                .hasMessageContaining("from IDLE to IDLE");
        control.pauseAgent("idle").join();
        assertThatThrownBy(() -> control.pauseAgent("idle").join()).cause()
                .isInstanceOf(IllegalStateTransitionException.class)
                .hasMessageContaining("from PAUSED to PAUSED");
        assertThatThrownBy(() -> control.pauseAgent("ghost").join()).cause()
                .isInstanceOf(UnknownAgentException.class);
        assertThatThrownBy(() -> control.getMeshTokenSavings("other-swarm"))
                .hasMessageContaining("other-swarm");

        release.countDown();
        assertThat(running.join().agentId()).isEqualTo("busy");
        mesh.removeAgent("idle").join();
        assertThatThrownBy(() -> control.pauseAgent("idle").join()).cause()
                .isInstanceOf(UnknownAgentException.class).hasMessageContaining("'idle'");
    }

    @Test
    default void batchOperations_reportEachFailureByName() throws Exception {
        ICoordinator mesh = mesh(SwarmConfig.builder().autoPause(false));
        CountDownLatch release = new CountDownLatch(1);
        mesh.spawnAgent(AgentDefinition.builder().id("busy").capabilities("slow")
                .session(ctx -> release.await(10, TimeUnit.SECONDS)).build()).join();
        mesh.spawnAgent(AgentDefinition.builder().id("a").session(ctx -> null).build()).join();
        mesh.spawnAgent(AgentDefinition.builder().id("b").session(ctx -> null).build()).join();
        mesh.submitTask(Task.builder().type("slow").requiredCapabilities("slow").build());
        await().until(() -> state(mesh, "busy") == AgentState.BUSY);

        PeerOperationResult paused = mesh.queryController()
                .pausePeers(List.of("a", "busy", "ghost", "b"), "night shift").join();
        PeerOperationResult resumed = mesh.queryController()
                .resumePeers(List.of("a", "busy")).join();
        release.countDown();

        assertThat(paused.succeeded()).containsExactly("a", "b");
        assertThat(paused.allSucceeded()).isFalse();
        assertThat(paused.failed()).containsOnlyKeys("busy", "ghost");
        assertThat(paused.failed().get("busy")).isInstanceOf(AgentBusyException.class);
        assertThat(paused.failed().get("ghost")).isInstanceOf(UnknownAgentException.class);
        assertThat(resumed.succeeded()).containsExactly("a");
        assertThat(resumed.failed().get("busy"))
                .isInstanceOf(IllegalStateTransitionException.class);
    }

    @Test
    default void tokenAccounting_matchesAHandComputedScenario_exactly() {
        VirtualScheduler time = new VirtualScheduler();
        ICoordinator mesh = mesh(SwarmConfig.builder().autoPause(false).scheduler(time)
                .clock(time.clock()));
        mesh.spawnAgent(AgentDefinition.builder().id("a").capabilities("t").session(ctx -> {
            ctx.recordTokens(500);
            return null;
        }).build()).join();
        IQueryController control = mesh.queryController();

        time.advance(Duration.ofSeconds(10));          // idle 10 s
        control.pauseAgent("a").join();
        time.advance(Duration.ofSeconds(20));          // paused 20 s
        control.resumeAgent("a", null).join();
        time.advance(Duration.ofSeconds(5));           // idle 5 s
        mesh.submitTask(Task.builder().type("t").requiredCapabilities("t").build()).join();
        await().until(() -> state(mesh, "a") == AgentState.IDLE);

        // without pausing: 500 work tokens + 35 s idle x 20 tokens/s = 1,200
        // pausing saved 20 s x 20 tokens/s - 1 resume x 100 tokens = 300
        TokenSavings savings = control.getTokenSavings("a");
        assertThat(savings.totalTokens()).isEqualTo(1_200.0);
        assertThat(savings.savedTokens()).isEqualTo(300.0);
        assertThat(savings.percentage()).isEqualTo(25.0);
        assertThat(savings.idleTokensUnpaused()).isEqualTo(700.0);
        assertThat(savings.idleSavingsPercentage()).isCloseTo(300.0 / 7, within(1e-9));
        assertThat(savings.pauseDuration()).isEqualTo(Duration.ofSeconds(20));
        assertThat(savings.activeDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(savings.resumes()).isEqualTo(1);
        assertThat(control.getMeshTokenSavings(mesh.swarmId())).isEqualTo(savings);
    }

    @Test
    default void autoPause_pausesAnAgentIdlePastThePolicy_andWorkWakesIt() {
        VirtualScheduler time = new VirtualScheduler();
        ICoordinator mesh = mesh(SwarmConfig.builder().scheduler(time).clock(time.clock())
                .idlePausePolicy(() -> IdlePausePolicy.fixed(Duration.ofSeconds(2))));
        mesh.spawnAgent(AgentDefinition.builder().id("a").capabilities("t")
                .session(ctx -> "done").build()).join();

        time.advance(Duration.ofSeconds(1));
        assertThat(state(mesh, "a")).isEqualTo(AgentState.IDLE);
        time.advance(Duration.ofMillis(1_100));
        await().until(() -> state(mesh, "a") == AgentState.PAUSED);

        assertThat(mesh.submitTask(Task.builder().type("t").requiredCapabilities("t").build())
                .join().output()).isEqualTo("done");
        await().until(() -> state(mesh, "a") == AgentState.IDLE);
        assertThat(mesh.queryController().getTokenSavings("a").resumes()).isEqualTo(1);
    }
}
