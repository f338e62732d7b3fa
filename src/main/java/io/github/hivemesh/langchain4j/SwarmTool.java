package io.github.hivemesh.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import io.github.hivemesh.task.TaskContext;
import java.util.concurrent.CompletionStage;

/**
 * A tool of the application's own, offered to a {@link ChatAgent}'s model beside the swarm's
 * tools. Unlike a LangChain4j {@code ToolExecutor} it answers with a stage, so a tool that waits
 * (for a subtask, a remote call) holds no thread; the model is called again once every tool of
 * its round has answered.
 */
// "exports": LangChain4j types appear in this type's signatures, and the module requires
// LangChain4j "static" only (see module-info.java): a modular user requires it itself.
@SuppressWarnings("exports")
@FunctionalInterface
public interface SwarmTool {

    /**
     * Runs one call of the tool.
     *
     * @param request the model's call: its id, the tool's name and its arguments (JSON)
     * @param context the task being worked on (delegate, send messages, record tokens)
     * @return completes with the text the model reads as the tool's result; a failure (or a thrown
     *     exception) is shown to the model as an error result, and the task goes on
     * @throws Exception any failure: the model is told the call failed
     */
    CompletionStage<String> execute(ToolExecutionRequest request, TaskContext context)
            throws Exception;
}
