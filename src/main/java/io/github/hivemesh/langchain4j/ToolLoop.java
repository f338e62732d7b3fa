package io.github.hivemesh.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.github.hivemesh.task.TaskCancelledException;
import io.github.hivemesh.task.TaskContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One task of a {@link ChatAgent}: ask the model; if it calls tools, answer them all (in
 * parallel) and ask again; stop at its first answer without tool calls, which becomes the
 * task's output.
 *
 * <h2>Why it holds no thread</h2>
 * Every step is a continuation of a stage: a subtask delegated through a tool is a
 * {@code TaskContext.delegate} future, and the next model call starts when the last tool of the
 * round has answered. So the task's stage — what the session returns — completes exactly when
 * the model's final answer is in, after every subtask it delegated has ended (their results are
 * in the conversation); the swarm is quiescent only after that. A cancelled task (a timeout, a
 * shutdown) stops before its next model call.
 *
 * <p>Each model response's token usage is recorded on the task as it arrives, input and output
 * apart, whether or not the task later succeeds.
 *
 * <p>Not shared: one per task; its steps run one after another (each starts when the one before
 * ended), on whichever thread ended the step before.
 */
final class ToolLoop {

    private final ChatAgent agent;
    private final TaskContext context;
    private final AgentMemory.Turn memory;
    private final CompletableFuture<Object> result = new CompletableFuture<>();
    private int rounds;

    ToolLoop(ChatAgent agent, TaskContext context, AgentMemory.Turn memory) {
        this.agent = agent;
        this.context = context;
        this.memory = memory;
    }

    /**
     * Starts the task on the session's thread. The stage completes with its output; the swarm
     * cancelling it (a timeout, a shutdown) stops the loop before its next step.
     */
    CompletableFuture<Object> start(List<ChatMessage> prompt) {
        try {
            prompt.forEach(memory::add);
            ask(true);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    private void ask(boolean inline) {
        if (result.isDone()) {
            return;
        }
        if (context.isCancelled()) {
            result.completeExceptionally(new TaskCancelledException(context.task().id(),
                    "cancelled before its next model call"));
            return;
        }
        ChatRequest request;
        try {
            List<ChatMessage> messages = new ArrayList<>();
            agent.systemPrompt().ifPresent(text -> messages.add(SystemMessage.from(text)));
            messages.addAll(memory.messages());
            ChatRequest.Builder builder = ChatRequest.builder().messages(messages);
            if (!agent.tools().specifications().isEmpty()) {
                builder.toolSpecifications(agent.tools().specifications());
            }
            request = builder.build();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        agent.model().chat(request, inline, context.executor())
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(unwrap(failure));
                    } else {
                        answered(response);
                    }
                });
    }

    private void answered(ChatResponse response) {
        try {
            recordTokens(response.tokenUsage());
            AiMessage answer = response.aiMessage();
            memory.add(answer);
            if (!answer.hasToolExecutionRequests()) {
                result.complete(agent.output().apply(response));
                return;
            }
            if (++rounds > agent.maxToolRounds()) {
                throw new ToolRoundsExceededException(context.task().id(), agent.maxToolRounds());
            }
            List<CompletableFuture<ToolExecutionResultMessage>> calls = new ArrayList<>();
            answer.toolExecutionRequests().forEach(call ->
                    calls.add(agent.tools().execute(call, context)));
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                    .whenComplete((ignored, failure) -> {
                        // tool answers never fail; the results go in in the order of the calls
                        try {
                            calls.forEach(call -> memory.add(call.join()));
                        } catch (RuntimeException e) {
                            result.completeExceptionally(unwrap(e));
                            return;
                        }
                        ask(false);
                    });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private void recordTokens(TokenUsage usage) {
        if (usage == null) {
            return;
        }
        Integer input = usage.inputTokenCount();
        Integer output = usage.outputTokenCount();
        if (input != null || output != null) {
            // a provider's count is never negative; a broken one must not fail the task
            context.recordTokens(input == null ? 0 : Math.max(0, input),
                    output == null ? 0 : Math.max(0, output));
        } else if (usage.totalTokenCount() != null) {
            context.recordTokens(Math.max(0, usage.totalTokenCount()));
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }
}
