package io.github.hivemesh.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.TaskFailedException;
import io.github.hivemesh.task.TaskResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The tools a {@link ChatAgent}'s model is offered — the swarm's own ({@value #DELEGATE}, to
 * hand a subtask to an agent by capability; {@value #SEND}, to message a peer) and the
 * application's — and how a call of each is answered: always with a stage, so a tool that waits
 * for a subtask holds no thread. A tool that fails answers the model with an error result; only
 * the model decides whether the task goes on.
 *
 * <p>Immutable and thread-safe.
 */
final class Tools {

    static final String DELEGATE = "delegate_task";
    static final String SEND = "send_message";
    static final String MESSAGE_TYPE = "chat";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> delegateTo;
    private final Set<String> messageTo;
    private final BiFunction<String, String, Task> subtasks;
    private final Function<TaskResult, String> subtaskResults;
    private final Map<String, SwarmTool> custom;
    private final List<ToolSpecification> specifications;

    Tools(Set<String> delegateTo, Set<String> messageTo, BiFunction<String, String, Task> subtasks,
            Function<TaskResult, String> subtaskResults,
            Map<ToolSpecification, SwarmTool> custom) {
        this.delegateTo = Set.copyOf(delegateTo);
        this.messageTo = Set.copyOf(messageTo);
        this.subtasks = subtasks;
        this.subtaskResults = subtaskResults;
        List<ToolSpecification> specs = new ArrayList<>();
        if (!delegateTo.isEmpty()) {
            specs.add(ToolSpecification.builder().name(DELEGATE)
                    .description("Hands a subtask to another agent of the swarm that has the "
                            + "given capability, and returns that agent's answer. Several "
                            + "calls in one turn run in parallel.")
                    .parameters(JsonObjectSchema.builder()
                            .addEnumProperty("capability", List.copyOf(delegateTo),
                                    "what the agent doing the subtask must be able to do")
                            .addStringProperty("task", "the subtask, stated fully: the other "
                                    + "agent sees nothing else")
                            .required("capability", "task").build())
                    .build());
        }
        if (!messageTo.isEmpty()) {
            specs.add(ToolSpecification.builder().name(SEND)
                    .description("Sends a message to another agent of the swarm; it reads it "
                            + "with its next task. Returns once the message is delivered.")
                    .parameters(JsonObjectSchema.builder()
                            .addEnumProperty("agent_id", List.copyOf(messageTo),
                                    "the agent to message")
                            .addStringProperty("message", "what to tell it")
                            .required("agent_id", "message").build())
                    .build());
        }
        Map<String, SwarmTool> byName = new LinkedHashMap<>();
        custom.forEach((spec, tool) -> {
            if (spec.name().equals(DELEGATE) || spec.name().equals(SEND)
                    || byName.putIfAbsent(spec.name(), tool) != null) {
                throw new IllegalArgumentException("tool name '" + spec.name()
                        + "' is taken (by the swarm's tools or another tool)");
            }
            specs.add(spec);
        });
        this.custom = byName;
        this.specifications = List.copyOf(specs);
    }

    /** What the model is offered (empty: no tools). */
    List<ToolSpecification> specifications() {
        return specifications;
    }

    /** Answers one tool call; never fails (a failure is an error result for the model). */
    CompletableFuture<ToolExecutionResultMessage> execute(ToolExecutionRequest call,
            TaskContext context) {
        CompletionStage<String> answer;
        try {
            answer = run(call, context);
        } catch (Exception e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.toCompletableFuture().handle((text, failure) -> failure == null
                ? ToolExecutionResultMessage.from(call, text == null ? "" : text)
                : ToolExecutionResultMessage.builder().id(call.id()).toolName(call.name())
                        .text("error: " + describe(failure)).isError(true).build());
    }

    private CompletionStage<String> run(ToolExecutionRequest call, TaskContext context)
            throws Exception {
        String name = call.name();
        if (DELEGATE.equals(name) && !delegateTo.isEmpty()) {
            JsonNode args = arguments(call);
            String capability = argument(args, "capability");
            if (!delegateTo.contains(capability)) {
                throw new IllegalArgumentException("capability '" + capability + "' is not "
                        + "one this agent may delegate to: " + delegateTo);
            }
            Task subtask = subtasks.apply(capability, argument(args, "task"));
            return context.delegate(subtask).thenApply(subtaskResults);
        }
        if (SEND.equals(name) && !messageTo.isEmpty()) {
            JsonNode args = arguments(call);
            String agentId = argument(args, "agent_id");
            if (!messageTo.contains(agentId)) {
                throw new IllegalArgumentException("agent '" + agentId + "' is not one this "
                        + "agent may message: " + messageTo);
            }
            return context.sendToPeer(agentId, MESSAGE_TYPE, argument(args, "message"))
                    .thenApply(sent -> "delivered to " + agentId);
        }
        SwarmTool tool = custom.get(name);
        if (tool == null) {
            throw new IllegalArgumentException("there is no tool '" + name + "'");
        }
        CompletionStage<String> answer = tool.execute(call, context);
        if (answer == null) {
            throw new IllegalStateException("tool '" + name + "' returned no stage");
        }
        return answer;
    }

    private static JsonNode arguments(ToolExecutionRequest call) {
        String json = call.arguments();
        try {
            JsonNode args = JSON.readTree(json == null || json.isBlank() ? "{}" : json);
            if (args == null || !args.isObject()) {
                throw new IllegalArgumentException("the arguments must be a JSON object");
            }
            return args;
        } catch (IOException e) {
            throw new IllegalArgumentException("the arguments are not JSON: " + e.getMessage(),
                    e);
        }
    }

    private static String argument(JsonNode args, String name) {
        JsonNode value = args.get(name);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("argument '" + name + "' (a non-blank string) "
                    + "is required");
        }
        return value.asText();
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TaskFailedException failed && failed.getCause() != null) {
            return "the subtask failed: " + message(failed.getCause());
        }
        return message(cause);
    }

    private static String message(Throwable failure) {
        return failure.getMessage() != null ? failure.getMessage() : failure.toString();
    }
}
