package io.github.hivemesh.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Scripted LangChain4j models for tests: a script maps each request to a response (so it can
 * read what the model was sent, tool results included); every request is kept. No network.
 */
final class Scripted {

    private static final AtomicInteger CALL_IDS = new AtomicInteger();

    private Scripted() {
    }

    /** A blocking model answering by {@code script}, on the caller's thread. */
    static Chat chat(Function<ChatRequest, ChatResponse> script) {
        return new Chat(script);
    }

    /** A streaming model answering by {@code script} on {@code executor}, a word at a time. */
    static Streaming streaming(Executor executor, Function<ChatRequest, ChatResponse> script) {
        return new Streaming(executor, script);
    }

    /** A blocking scripted model. */
    static final class Chat implements ChatModel {
        final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
        private final Function<ChatRequest, ChatResponse> script;

        private Chat(Function<ChatRequest, ChatResponse> script) {
            this.script = script;
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            requests.add(request);
            return script.apply(request);
        }
    }

    /** A streaming scripted model. */
    static final class Streaming implements StreamingChatModel {
        final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
        private final Executor executor;
        private final Function<ChatRequest, ChatResponse> script;

        private Streaming(Executor executor, Function<ChatRequest, ChatResponse> script) {
            this.executor = executor;
            this.script = script;
        }

        @Override
        public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
            requests.add(request);
            executor.execute(() -> {
                ChatResponse response;
                try {
                    response = script.apply(request);
                } catch (RuntimeException e) {
                    handler.onError(e);
                    return;
                }
                String text = response.aiMessage().text();
                if (text != null) {
                    for (String word : text.split(" ")) {
                        handler.onPartialResponse(word);
                    }
                }
                handler.onCompleteResponse(response);
            });
        }
    }

    /** A final answer. */
    static ChatResponse answer(String text, int input, int output) {
        return ChatResponse.builder().aiMessage(AiMessage.from(text))
                .tokenUsage(new TokenUsage(input, output)).build();
    }

    /** Tool calls. */
    static ChatResponse call(int input, int output, ToolExecutionRequest... calls) {
        return ChatResponse.builder().aiMessage(AiMessage.from(calls))
                .tokenUsage(new TokenUsage(input, output)).build();
    }

    /** A call of {@code tool} with {@code json} arguments. */
    static ToolExecutionRequest tool(String tool, String json) {
        return ToolExecutionRequest.builder().id("call-" + CALL_IDS.incrementAndGet())
                .name(tool).arguments(json).build();
    }

    /** A delegate_task call. */
    static ToolExecutionRequest delegate(String capability, String task) {
        return tool(Tools.DELEGATE, "{\"capability\":\"" + capability + "\",\"task\":\"" + task
                + "\"}");
    }

    /** A send_message call. */
    static ToolExecutionRequest send(String agentId, String message) {
        return tool(Tools.SEND, "{\"agent_id\":\"" + agentId + "\",\"message\":\"" + message
                + "\"}");
    }

    /** The last message of a request. */
    static ChatMessage last(ChatRequest request) {
        return request.messages().get(request.messages().size() - 1);
    }

    /** Whether the request ends with tool results (the model is being asked again). */
    static boolean afterTools(ChatRequest request) {
        return last(request) instanceof ToolExecutionResultMessage;
    }

    /** The tool results at the end of a request, as "text" or "error: ..." in order. */
    static List<String> toolResults(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        int from = messages.size();
        while (from > 0 && messages.get(from - 1) instanceof ToolExecutionResultMessage) {
            from--;
        }
        return messages.subList(from, messages.size()).stream()
                .map(m -> ((ToolExecutionResultMessage) m).text()).collect(Collectors.toList());
    }

    /** The text of the last user message of a request. */
    static String lastUserText(ChatRequest request) {
        for (int i = request.messages().size() - 1; i >= 0; i--) {
            if (request.messages().get(i) instanceof UserMessage user) {
                return user.singleText();
            }
        }
        throw new AssertionError("no user message in " + request.messages());
    }
}
