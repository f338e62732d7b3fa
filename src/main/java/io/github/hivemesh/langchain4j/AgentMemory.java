package io.github.hivemesh.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.memory.ChatMemory;
import io.github.hivemesh.artifact.ArtifactFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One conversation of a {@link ChatAgent}: a LangChain4j {@link ChatMemory}, the task that is
 * adding to it, and the peer messages that arrived meanwhile.
 *
 * <p>A task's turn is all-or-nothing: a task that fails leaves the memory as it found it (a
 * half-finished turn — a tool call without its result — would make the next request invalid
 * for most providers). A peer message that arrives during a task waits until the task's turn is
 * in, so it never lands between a tool call and its result.
 *
 * <p>Checkpoints are JSON: {@code {"format":"hivemesh.chat-memory","version":1,"messages":[...]}},
 * the messages as LangChain4j's {@link ChatMessageSerializer} writes them (no Java
 * serialization); an unknown format or a newer version is refused with a clear error.
 *
 * <p>Thread-safe: every method holds this object's monitor (the task's thread, the model's
 * callback threads, the message handler and the pause hooks all reach it).
 */
final class AgentMemory {

    static final String FORMAT = "hivemesh.chat-memory";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChatMemory memory;
    private final List<ChatMessage> inbox = new ArrayList<>();
    private Turn active;

    AgentMemory(ChatMemory memory) {
        this.memory = Objects.requireNonNull(memory, "memory");
    }

    /**
     * A task starts its turn.
     *
     * @throws IllegalStateException if another task's turn is under way (an agent with memory
     *                               per agent runs one task at a time)
     */
    synchronized Turn begin(String taskId) {
        if (active != null) {
            throw new IllegalStateException("task '" + taskId + "' cannot start: task '"
                    + active.taskId + "' is using this agent's chat memory (MemoryScope.AGENT "
                    + "runs one task at a time; use MemoryScope.TASK for concurrent tasks)");
        }
        active = new Turn(taskId, memory.messages());
        return active;
    }

    /**
     * One task's use of the memory. Once ended — by its own end, or by the swarm ending the
     * task (a timeout) while its tools still run — it writes nothing more, so a late tool
     * result of an abandoned task cannot land in a later task's conversation.
     */
    final class Turn {
        private final String taskId;
        private final List<ChatMessage> before;

        private Turn(String taskId, List<ChatMessage> before) {
            this.taskId = taskId;
            this.before = before;
        }

        void add(ChatMessage message) {
            synchronized (AgentMemory.this) {
                if (active == this) {
                    memory.add(message);
                }
            }
        }

        List<ChatMessage> messages() {
            synchronized (AgentMemory.this) {
                return memory.messages();
            }
        }

        /** Kept if the task succeeded, undone if not; waiting messages land. Idempotent. */
        void end(boolean keep) {
            synchronized (AgentMemory.this) {
                if (active != this) {
                    return;
                }
                if (!keep) {
                    replace(before);
                }
                active = null;
                inbox.forEach(memory::add);
                inbox.clear();
            }
        }
    }

    synchronized List<ChatMessage> messages() {
        return memory.messages();
    }

    /** A message from a peer: into the memory now, or after the running task's turn. */
    synchronized void receive(ChatMessage message) {
        if (active != null) {
            inbox.add(message);
        } else {
            memory.add(message);
        }
    }

    /** The conversation as checkpoint bytes (messages still waiting for a turn included). */
    synchronized byte[] checkpoint() {
        List<ChatMessage> all = new ArrayList<>(active != null ? active.before
                : memory.messages());
        all.addAll(inbox);
        try {
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("version", VERSION);
            root.set("messages", JSON.readTree(ChatMessageSerializer.messagesToJson(all)));
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the chat memory checkpoint", e);
        }
    }

    /** Replaces the conversation with a checkpoint's. */
    synchronized void restore(byte[] checkpoint) {
        replace(decode(checkpoint));
        inbox.clear();
    }

    static List<ChatMessage> decode(byte[] checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        JsonNode root;
        try {
            root = JSON.readTree(checkpoint);
        } catch (IOException e) {
            throw new ArtifactFormatException("not a chat memory checkpoint (no JSON): "
                    + e.getMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText(null))) {
            throw new ArtifactFormatException("not a chat memory checkpoint (format is not '"
                    + FORMAT + "')");
        }
        int version = root.path("version").asInt(-1);
        if (version < 1 || version > VERSION) {
            throw new ArtifactFormatException("chat memory checkpoint version " + version
                    + " is not supported (this library reads 1 to " + VERSION + ")");
        }
        JsonNode messages = root.get("messages");
        if (messages == null || !messages.isArray()) {
            throw new ArtifactFormatException("chat memory checkpoint without a messages array");
        }
        try {
            return ChatMessageDeserializer.messagesFromJson(messages.toString());
        } catch (RuntimeException e) {
            throw new ArtifactFormatException("chat memory checkpoint holds a message "
                    + "LangChain4j cannot read: " + e.getMessage(), e);
        }
    }

    private void replace(List<ChatMessage> messages) {
        memory.clear();
        if (!messages.isEmpty()) {
            memory.set(messages);
        }
    }
}
