package io.github.hivemesh.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One model, called the same way whatever its kind: a request in, a stage of its response out.
 *
 * <p>A {@code ChatModel} blocks the calling thread for the whole call. The first call of a task
 * runs on the session's own worker thread; a later one (after the tools of a round answered,
 * on whatever thread completed the last of them — maybe a swarm dispatcher) is handed to
 * {@code executor} first, so no dispatcher ever waits for a model. A {@code StreamingChatModel}
 * returns at once and answers on its own thread; it is still started from the executor after
 * the first call, since starting a stream may do some work (open a connection) inline.
 */
interface ModelCall {

    /**
     * Calls the model.
     *
     * @param inline   true on the session's worker thread (which may block), false on a thread
     *                 that must not
     * @param executor where blocking work goes when {@code inline} is false
     */
    CompletableFuture<ChatResponse> chat(ChatRequest request, boolean inline, Executor executor);

    /** Whether the session this model drives is asynchronous from its first call. */
    boolean streaming();

    static ModelCall of(ChatModel model) {
        Objects.requireNonNull(model, "model");
        return new ModelCall() {
            @Override
            public CompletableFuture<ChatResponse> chat(ChatRequest request, boolean inline,
                    Executor executor) {
                if (inline) {
                    try {
                        return CompletableFuture.completedFuture(model.chat(request));
                    } catch (RuntimeException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                }
                try {
                    return CompletableFuture.supplyAsync(() -> model.chat(request), executor);
                } catch (RuntimeException e) {
                    // the executor refused: the swarm is shutting down
                    return CompletableFuture.failedFuture(e);
                }
            }

            @Override
            public boolean streaming() {
                return false;
            }
        };
    }

    static ModelCall of(StreamingChatModel model) {
        Objects.requireNonNull(model, "model");
        return new ModelCall() {
            @Override
            public CompletableFuture<ChatResponse> chat(ChatRequest request, boolean inline,
                    Executor executor) {
                CompletableFuture<ChatResponse> response = new CompletableFuture<>();
                Runnable start = () -> {
                    try {
                        model.chat(request, new StreamingChatResponseHandler() {
                            @Override
                            public void onCompleteResponse(ChatResponse complete) {
                                response.complete(complete);
                            }

                            @Override
                            public void onError(Throwable error) {
                                response.completeExceptionally(error);
                            }
                        });
                    } catch (RuntimeException e) {
                        response.completeExceptionally(e);
                    }
                };
                if (inline) {
                    start.run();
                } else {
                    try {
                        executor.execute(start);
                    } catch (RuntimeException e) {
                        response.completeExceptionally(e);
                    }
                }
                return response;
            }

            @Override
            public boolean streaming() {
                return true;
            }
        };
    }
}
