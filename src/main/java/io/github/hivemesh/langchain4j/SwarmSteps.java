package io.github.hivemesh.langchain4j;

import static io.github.hivemesh.internal.util.Preconditions.checkId;

import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.scope.AgenticScope;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.task.Task;
import java.util.Objects;
import java.util.function.Function;

/**
 * Steps of a {@code langchain4j-agentic} workflow that run on a swarm's agents: each step is a
 * task submitted to the swarm, routed by capability to the least-loaded capable agent, its
 * output written into the workflow's {@code AgenticScope}.
 *
 * <pre>{@code
 * UntypedAgent review = AgenticServices.sequenceBuilder()
 *         .subAgents(SwarmSteps.step(swarm, "security", "diff", "security"),
 *                    SwarmSteps.step(swarm, "style", "diff", "style"))
 *         .outputKey("style")
 *         .build();
 * review.invoke(Map.of("diff", diff));
 * }</pre>
 *
 * <p>The workflow keeps its own shape (sequence, parallel with an {@code Executor}, loops,
 * conditions, a supervisor's plan) and its users' API; the swarm adds what agentic lacks: a
 * limit on how much runs at once (agents' concurrency, {@code SwarmConfig.maxPendingTasks}),
 * least-loaded placement across agents with the same capability, token accounting per agent,
 * idle agents paused with their memory checkpointed, and exact completion of everything a step
 * delegated. An agentic step is synchronous: it waits (blocking the workflow's thread) for its
 * task's future, which for a {@link ChatAgent} completes after every subtask it delegated.
 * A failed task makes the step throw (a {@code CompletionException} whose cause is the
 * {@code TaskFailedException}), which the workflow's error handling sees.
 */
// "exports": LangChain4j types appear in this type's signatures, and the module requires
// LangChain4j "static" only (see module-info.java): a modular user requires it itself.
@SuppressWarnings("exports")
public final class SwarmSteps {

    private SwarmSteps() {
    }

    /**
     * A step: reads {@code inputKey} from the scope, runs it as a task requiring
     * {@code capability} (type {@code capability}, payload the value read), and writes the
     * task's output to {@code outputKey}.
     *
     * @param swarm the swarm that runs the step's task
     * @param capability the capability
     * @param inputKey the scope key whose value becomes the task's payload
     * @param outputKey the scope key the task's output is written to
     * @return an agent object for {@code subAgents(...)}
     */
    public static Object step(ICoordinator swarm, String capability, String inputKey,
            String outputKey) {
        checkId("capability", Objects.requireNonNull(capability, "capability"));
        Objects.requireNonNull(inputKey, "inputKey");
        return step(swarm, scope -> Task.builder().type(capability)
                .requiredCapabilities(capability).payload(scope.readState(inputKey)).build(),
                outputKey);
    }

    /**
     * A step whose task the workflow's scope decides (several inputs, a priority, a timeout);
     * the task's output goes to {@code outputKey}.
     *
     * @param swarm the swarm that runs the step's task
     * @param task the task
     * @param outputKey the scope key the task's output is written to
     * @return an agent object for {@code subAgents(...)}
     */
    public static Object step(ICoordinator swarm, Function<AgenticScope, Task> task,
            String outputKey) {
        Objects.requireNonNull(swarm, "swarm");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(outputKey, "outputKey");
        return AgenticServices.agentAction(scope -> {
            Task submitted = Objects.requireNonNull(task.apply(scope),
                    "the step's task function returned null");
            scope.writeState(outputKey, swarm.submitTask(submitted).join().output());
        });
    }
}
