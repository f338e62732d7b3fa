package io.github.hivemesh.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.agent.MessageContext;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.task.TaskContext;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The session of a {@link ChatAgent}: each task is a {@link ToolLoop} over the agent's memory
 * (or a fresh one), whose stage the session returns.
 *
 * <h2>Pausing</h2>
 * With {@link MemoryScope#AGENT}, {@link #checkpoint()} writes the memory (the swarm stores the
 * bytes as an artifact when {@code SwarmConfig.checkpointsEnabled}); {@link #onResume} with a
 * checkpoint replaces the memory with it — the same conversation after an ordinary pause, an
 * earlier one when the application resumes from an older checkpoint id, and the whole
 * conversation in a new swarm whose agent is resumed from a checkpoint a durable store kept.
 * The swarm pauses an agent only while it runs nothing, so a checkpoint never holds half a
 * turn.
 *
 * <p>Thread-safe: the memory is guarded by {@link AgentMemory}; the rest is immutable.
 */
final class ChatAgentSession implements AgentSession {

    private final ChatAgent agent;
    /** The agent's memory ({@link MemoryScope#AGENT}), or null for a memory per task. */
    private final AgentMemory agentMemory;

    ChatAgentSession(ChatAgent agent) {
        this.agent = agent;
        this.agentMemory = agent.memoryScope() == MemoryScope.AGENT
                ? new AgentMemory(memory(agent.id())) : null;
    }

    private dev.langchain4j.memory.ChatMemory memory(String memoryId) {
        return Objects.requireNonNull(agent.memoryProvider().get(memoryId),
                "the chat memory provider returned null for '" + memoryId + "'");
    }

    @Override
    public Object execute(TaskContext context) {
        List<ChatMessage> prompt = List.copyOf(agent.messages().apply(context.task()));
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("task '" + context.task().id()
                    + "' became no messages (ChatAgent messages)");
        }
        AgentMemory memory = agentMemory != null ? agentMemory
                : new AgentMemory(memory(context.task().id()));
        AgentMemory.Turn turn = memory.begin(context.task().id());
        CompletableFuture<Object> loop = new ToolLoop(agent, context, turn).start(prompt);
        CompletableFuture<Object> stage = new CompletableFuture<>();
        // the turn ends before the task does, so the agent's next task finds the memory free
        loop.whenComplete((output, failure) -> {
            turn.end(failure == null);
            if (failure == null) {
                stage.complete(output);
            } else {
                stage.completeExceptionally(failure);
            }
        });
        // the swarm ended the task (a timeout, a shutdown): the turn ends now, the loop stops
        stage.whenComplete((output, failure) -> {
            if (stage.isCancelled()) {
                turn.end(false);
                loop.cancel(false);
            }
        });
        return stage;
    }

    /** A peer's message ({@link MemoryScope#AGENT}): into the memory, for the next task. */
    void receive(Message message, MessageContext context) {
        agentMemory.receive(Objects.requireNonNull(agent.inbox().apply(message),
                "the inbox function returned null"));
    }

    @Override
    public byte[] checkpoint() {
        return agentMemory == null ? null : agentMemory.checkpoint();
    }

    @Override
    public void onResume(String checkpointId, byte[] state) {
        if (agentMemory != null && state != null) {
            agentMemory.restore(state);
        }
    }

    /** The agent's conversation now (for tests and the docs' example), empty per task. */
    List<ChatMessage> memorySnapshot() {
        return agentMemory == null ? List.of() : agentMemory.messages();
    }
}
