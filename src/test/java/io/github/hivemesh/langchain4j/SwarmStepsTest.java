package io.github.hivemesh.langchain4j;

import static io.github.hivemesh.langchain4j.Scripted.answer;
import static io.github.hivemesh.langchain4j.Scripted.lastUserText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskFailedException;
import io.github.hivemesh.testing.HandlerFailureWatch;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** langchain4j-agentic workflows whose steps run on swarm agents. */
@ExtendWith(HandlerFailureWatch.class)
class SwarmStepsTest {

    private ICoordinator swarm;
    private ExecutorService workflowThreads;

    @BeforeEach
    void start() {
        swarm = CoordinatorFactory.createWithTopology(SwarmConfig.builder().maxAgents(4)
                .autoPause(false).build());
        swarm.initialize().join();
        workflowThreads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() throws InterruptedException {
        swarm.close();
        workflowThreads.shutdownNow();
        assertThat(workflowThreads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private void reviewer(String capability, int input) {
        swarm.spawnAgent(ChatAgent.builder().id(capability).capabilities(capability)
                .chatModel(Scripted.chat(request -> answer(capability + " ok: "
                        + lastUserText(request), input, 1))).build()).join();
    }

    @Test
    void aSequence_runsEachStepAsASwarmTask_andPassesOutputsOn() {
        reviewer("security", 10);
        reviewer("summary", 20);
        UntypedAgent workflow = AgenticServices.sequenceBuilder()
                .subAgents(SwarmSteps.step(swarm, "security", "diff", "findings"),
                        SwarmSteps.step(swarm, "summary", "findings", "verdict"))
                .outputKey("verdict").build();

        Object verdict = workflow.invoke(Map.of("diff", "+x"));

        assertThat(verdict).isEqualTo("summary ok: security ok: +x");
        assertThat(swarm.getMetrics().tasksCompleted()).isEqualTo(2);
        assertThat(swarm.queryController().getMeshTokenSavings(swarm.swarmId()).inputTokens())
                .isEqualTo(30);
    }

    @Test
    void aParallelWorkflow_runsItsStepsOnSwarmAgentsAtOnce() {
        CountDownLatch bothRunning = new CountDownLatch(2);
        for (String capability : new String[] {"security", "style"}) {
            swarm.spawnAgent(AgentDefinition.builder().id(capability).capabilities(capability)
                    .session(ctx -> {
                        bothRunning.countDown();
                        // each waits for the other: only steps running at once get past this
                        return bothRunning.await(30, TimeUnit.SECONDS) ? capability + " done"
                                : "alone";
                    }).build()).join();
        }
        UntypedAgent workflow = AgenticServices.parallelBuilder()
                .subAgents(SwarmSteps.step(swarm, "security", "diff", "security"),
                        SwarmSteps.step(swarm, scope -> Task.builder().type("style")
                                .requiredCapabilities("style").payload(scope.readState("diff"))
                                .priority(9).build(), "style"))
                .executor(workflowThreads)
                .output(scope -> scope.readState("security") + ", " + scope.readState("style"))
                .build();

        assertThat(workflow.invoke(Map.of("diff", "+x"))).isEqualTo("security done, style done");
        assertThat(swarm.waitForCompletion(Duration.ofSeconds(30)).join()).isTrue();
    }

    @Test
    void aFailedTask_failsItsStep() {
        swarm.spawnAgent(AgentDefinition.builder().id("broken").capabilities("broken")
                .session(ctx -> {
                    throw new IllegalStateException("no reviewer today");
                }).build()).join();
        UntypedAgent workflow = AgenticServices.sequenceBuilder()
                .subAgents(SwarmSteps.step(swarm, "broken", "diff", "out")).outputKey("out")
                .build();

        assertThatThrownBy(() -> workflow.invoke(Map.of("diff", "+x")))
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasStackTraceContaining(TaskFailedException.class.getSimpleName())
                .hasRootCauseMessage("no reviewer today");
    }

    @Test
    void badArguments_areRefused() {
        assertThatThrownBy(() -> SwarmSteps.step(null, "a", "in", "out"))
                .isInstanceOf(NullPointerException.class).hasMessage("swarm");
        assertThatThrownBy(() -> SwarmSteps.step(swarm, " ", "in", "out"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SwarmSteps.step(swarm, scope -> null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("outputKey");
    }
}
