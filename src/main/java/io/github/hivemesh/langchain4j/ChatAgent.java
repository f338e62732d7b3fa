package io.github.hivemesh.langchain4j;

import static io.github.hivemesh.internal.util.Preconditions.checkId;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.ChatMemoryProvider;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An agent whose work is a LangChain4j model: {@link #builder()} turns a {@link ChatModel} or a
 * {@link StreamingChatModel} into an {@link AgentDefinition} to spawn.
 *
 * <pre>{@code
 * swarm.spawnAgent(ChatAgent.builder()
 *         .id("lead").capabilities("review")
 *         .chatModel(model)
 *         .systemPrompt("You lead a code review. Delegate security questions.")
 *         .delegateTo("security")            // the model may call delegate_task(capability, task)
 *         .build()).join();
 * }</pre>
 *
 * <h2>What a task does</h2>
 * The task becomes a user message ({@link Builder#prompt}, or {@link Builder#messages} for
 * several), added to the agent's chat memory; the model is asked with the system prompt, the
 * memory and the tools; tool calls are answered (all of one turn in parallel) and the model is
 * asked again, up to {@link Builder#maxToolRounds}; its first answer without tool calls is the
 * task's output ({@link Builder#output}, by default its text). Every response's token usage is
 * recorded on the task ({@code TaskContext.recordTokens(input, output)}).
 *
 * <p>The session is asynchronous (it returns a stage) and holds a thread only during a blocking
 * {@code ChatModel} call: a tool waiting for a subtask holds none. A {@code StreamingChatModel}
 * holds none at all. The first model call runs on the task's worker thread; later ones on the
 * swarm's worker executor.
 *
 * <h2>Tools</h2>
 * {@link Builder#delegateTo} offers {@code delegate_task(capability, task)}: the subtask goes to
 * the least-loaded agent with that capability ({@code TaskContext.delegate}) and its output is
 * the tool's result. {@link Builder#messageTo} offers {@code send_message(agent_id, message)}.
 * {@link Builder#tool} adds the application's own ({@link SwarmTool}). A tool that fails — a
 * subtask that failed, a capability no agent has, bad arguments — answers the model with an
 * error result; the model decides what next.
 *
 * <h2>Memory</h2>
 * {@link MemoryScope#AGENT} (the default): one chat memory per agent across its tasks, the agent
 * runs one task at a time, messages peers send it land in its memory, and pausing checkpoints
 * the memory (when {@code SwarmConfig.checkpointsEnabled}) to restore it on resume.
 * {@link MemoryScope#TASK}: a fresh memory per task. A task that fails leaves the memory as it
 * found it. The system prompt is not kept in the memory: it is sent with every request.
 */
// "exports": LangChain4j types appear in this type's signatures, and the module requires
// LangChain4j "static" only (see module-info.java): a modular user requires it itself.
@SuppressWarnings("exports")
public final class ChatAgent {

    /** The memory of an agent that sets none: the last 100 messages. */
    public static final int DEFAULT_MAX_MESSAGES = 100;
    /** The tool rounds a task may take unless set. */
    public static final int DEFAULT_MAX_TOOL_ROUNDS = 10;

    private final String id;
    private final ModelCall model;
    private final String systemPrompt;
    private final Function<Task, List<ChatMessage>> messages;
    private final Function<ChatResponse, Object> output;
    private final Tools tools;
    private final MemoryScope memoryScope;
    private final ChatMemoryProvider memoryProvider;
    private final Function<Message, ChatMessage> inbox;
    private final int maxToolRounds;

    private ChatAgent(Builder b) {
        this.id = b.id;
        this.model = b.model;
        this.systemPrompt = b.systemPrompt;
        this.messages = b.messages;
        this.output = b.output;
        this.tools = new Tools(b.delegateTo, b.messageTo, b.subtasks, b.subtaskResults, b.tools);
        this.memoryScope = b.memoryScope;
        this.memoryProvider = b.memoryProvider;
        this.inbox = b.inbox;
        this.maxToolRounds = b.maxToolRounds;
    }

    /** {@return a builder; the id, the capabilities and a model are required} */
    public static Builder builder() {
        return new Builder();
    }

    String id() {
        return id;
    }

    ModelCall model() {
        return model;
    }

    Optional<String> systemPrompt() {
        return Optional.ofNullable(systemPrompt);
    }

    Function<Task, List<ChatMessage>> messages() {
        return messages;
    }

    Function<ChatResponse, Object> output() {
        return output;
    }

    Tools tools() {
        return tools;
    }

    MemoryScope memoryScope() {
        return memoryScope;
    }

    ChatMemoryProvider memoryProvider() {
        return memoryProvider;
    }

    Function<Message, ChatMessage> inbox() {
        return inbox;
    }

    int maxToolRounds() {
        return maxToolRounds;
    }

    /** The text a task is asked as unless {@link Builder#prompt} says otherwise. */
    static String defaultPrompt(Task task) {
        if (task.payload() != null) {
            return String.valueOf(task.payload());
        }
        if (task.description() != null && !task.description().isBlank()) {
            return task.description();
        }
        return task.type();
    }

    /** Builds a {@link ChatAgent}'s {@link AgentDefinition}. Not thread-safe. */
    public static final class Builder {
        private String id;
        private final Set<String> capabilities = new LinkedHashSet<>();
        private ModelCall model;
        private String systemPrompt;
        private Function<Task, List<ChatMessage>> messages =
                task -> List.of(UserMessage.from(defaultPrompt(task)));
        private Function<ChatResponse, Object> output = response -> response.aiMessage().text();
        private final Set<String> delegateTo = new LinkedHashSet<>();
        private final Set<String> messageTo = new LinkedHashSet<>();
        private BiFunction<String, String, Task> subtasks = (capability, request) ->
                Task.builder().type(capability).requiredCapabilities(capability)
                        .description(request).payload(request).build();
        private Function<TaskResult, String> subtaskResults =
                result -> String.valueOf(result.output());
        private final Map<ToolSpecification, SwarmTool> tools = new LinkedHashMap<>();
        private MemoryScope memoryScope = MemoryScope.AGENT;
        private ChatMemoryProvider memoryProvider = memoryId -> MessageWindowChatMemory.builder()
                .id(memoryId).maxMessages(DEFAULT_MAX_MESSAGES).build();
        private Function<Message, ChatMessage> inbox = message -> UserMessage.from(
                "Message from agent '" + message.senderId() + "': " + message.payload());
        private int maxToolRounds = DEFAULT_MAX_TOOL_ROUNDS;
        private Integer maxConcurrentTasks;
        private Map<String, String> metadata = Map.of();

        private Builder() {
        }

        /**
         * The agent's id (required: it names its memory and its checkpoints).
         *
         * @param id the id
         * @return this builder
         */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Replaces the capabilities (at least one).
         *
         * @param capabilities the capabilities
         * @return this builder
         */
        public Builder capabilities(Collection<String> capabilities) {
            Objects.requireNonNull(capabilities, "capabilities");
            this.capabilities.clear();
            capabilities.forEach(c -> this.capabilities.add(checkId("capability", c)));
            return this;
        }

        /**
         * Replaces the capabilities (at least one).
         *
         * @param capabilities the capabilities
         * @return this builder
         */
        public Builder capabilities(String... capabilities) {
            Objects.requireNonNull(capabilities, "capabilities");
            return capabilities(Arrays.asList(capabilities));
        }

        /**
         * The model, called synchronously: each call holds a worker thread while it runs
         * (the waits between calls do not). Replaces a model set before.
         *
         * @param model the model
         * @return this builder
         */
        public Builder chatModel(ChatModel model) {
            this.model = ModelCall.of(Objects.requireNonNull(model, "model"));
            return this;
        }

        /**
         * The model, streamed: no thread is held while it answers. Replaces a model set before.
         *
         * @param model the model
         * @return this builder
         */
        public Builder streamingChatModel(StreamingChatModel model) {
            this.model = ModelCall.of(Objects.requireNonNull(model, "model"));
            return this;
        }

        /**
         * The system prompt, sent first with every request.
         *
         * @param systemPrompt the system prompt
         * @return this builder
         */
        public Builder systemPrompt(String systemPrompt) {
            this.systemPrompt = Objects.requireNonNull(systemPrompt, "systemPrompt");
            return this;
        }

        /**
         * The user message a task becomes (default: its payload as text, else its description,
         * else its type).
         *
         * @param prompt turns a task into the user message
         * @return this builder
         */
        public Builder prompt(Function<Task, String> prompt) {
            Objects.requireNonNull(prompt, "prompt");
            this.messages = task -> List.of(UserMessage.from(Objects.requireNonNull(
                    prompt.apply(task), "prompt of task '" + task.id() + "'")));
            return this;
        }

        /**
         * The messages a task becomes (at least one), for more than one user message.
         *
         * @param messages turns a task into the messages sent to the model
         * @return this builder
         */
        public Builder messages(Function<Task, List<ChatMessage>> messages) {
            this.messages = Objects.requireNonNull(messages, "messages");
            return this;
        }

        /**
         * The task's output from the model's final response (default: its text).
         *
         * @param output turns the model's final response into the task's output
         * @return this builder
         */
        public Builder output(Function<ChatResponse, Object> output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /**
         * Offers the model {@code delegate_task}, for subtasks needing one of these
         * capabilities; replaces those set before (none: the tool is not offered).
         *
         * @param capabilities the capabilities
         * @return this builder
         */
        public Builder delegateTo(String... capabilities) {
            Objects.requireNonNull(capabilities, "capabilities");
            delegateTo.clear();
            for (String capability : capabilities) {
                delegateTo.add(checkId("capability", capability));
            }
            return this;
        }

        /**
         * Offers the model {@code send_message}, to these agents; replaces those set before
         * (none: the tool is not offered).
         *
         * @param agentIds the agents the model may send messages to
         * @return this builder
         */
        public Builder messageTo(String... agentIds) {
            Objects.requireNonNull(agentIds, "agentIds");
            messageTo.clear();
            for (String agentId : agentIds) {
                messageTo.add(checkId("agentId", agentId));
            }
            return this;
        }

        /**
         * How {@code delegate_task(capability, task)} becomes a subtask (default: type and
         * required capability {@code capability}, description and payload the model's text).
         *
         * @param subtasks turns a capability and a task description into the subtask
         * @return this builder
         */
        public Builder subtasks(BiFunction<String, String, Task> subtasks) {
            this.subtasks = Objects.requireNonNull(subtasks, "subtasks");
            return this;
        }

        /**
         * What the model reads of a subtask's result (default: its output as text).
         *
         * @param subtaskResults turns a subtask's result into the text the model reads
         * @return this builder
         */
        public Builder subtaskResults(Function<TaskResult, String> subtaskResults) {
            this.subtaskResults = Objects.requireNonNull(subtaskResults, "subtaskResults");
            return this;
        }

        /**
         * Offers the model a tool of the application's own.
         *
         * @param specification the tool as the model sees it: name, description, parameters
         * @param tool runs a call of the tool
         * @return this builder
         */
        public Builder tool(ToolSpecification specification, SwarmTool tool) {
            tools.put(Objects.requireNonNull(specification, "specification"),
                    Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /**
         * Whose conversation the memory holds (default {@link MemoryScope#AGENT}).
         *
         * @param scope whose conversation the memory holds
         * @return this builder
         */
        public Builder memoryScope(MemoryScope scope) {
            this.memoryScope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /**
         * Where memories come from: called with the agent's id ({@link MemoryScope#AGENT}) or
         * each task's id ({@link MemoryScope#TASK}). Default: a {@code MessageWindowChatMemory}
         * of {@value ChatAgent#DEFAULT_MAX_MESSAGES} messages.
         *
         * @param provider gives the memory for an agent's or a task's id
         * @return this builder
         */
        public Builder chatMemory(ChatMemoryProvider provider) {
            this.memoryProvider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * What a message a peer sends this agent becomes in its memory
         * ({@link MemoryScope#AGENT} only; default: a user message naming the sender).
         *
         * @param inbox turns a peer's message into a chat message of the agent's memory
         * @return this builder
         */
        public Builder inbox(Function<Message, ChatMessage> inbox) {
            this.inbox = Objects.requireNonNull(inbox, "inbox");
            return this;
        }

        /**
         * Tool rounds a task may take before it fails, in [1, 1000] (default 10).
         *
         * @param maxToolRounds the most tool rounds per task, in [1, 1000]
         * @return this builder
         */
        public Builder maxToolRounds(int maxToolRounds) {
            this.maxToolRounds = maxToolRounds;
            return this;
        }

        /**
         * Tasks the agent runs at once, in [1, 10000]; {@link MemoryScope#TASK} only (an agent
         * with its memory runs one at a time).
         *
         * @param maxConcurrentTasks tasks the agent runs at once, in [1, 10000]
         * @return this builder
         */
        public Builder maxConcurrentTasks(int maxConcurrentTasks) {
            this.maxConcurrentTasks = maxConcurrentTasks;
            return this;
        }

        /**
         * Labels of the agent's definition.
         *
         * @param metadata the metadata
         * @return this builder
         */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata = Objects.requireNonNull(metadata, "metadata");
            return this;
        }

        /**
         * Validates and builds the agent's definition.
         *
         * @return a new {@code AgentDefinition} with this builder's settings
         */
        public AgentDefinition build() {
            if (id == null) {
                throw new IllegalArgumentException("id is required");
            }
            checkId("id", id);
            if (capabilities.isEmpty()) {
                throw new IllegalArgumentException("capabilities are required (at least one)");
            }
            if (model == null) {
                throw new IllegalArgumentException("a model is required: chatModel(...) or "
                        + "streamingChatModel(...)");
            }
            checkRange("maxToolRounds", maxToolRounds, 1, 1000);
            if (maxConcurrentTasks != null && memoryScope == MemoryScope.AGENT
                    && maxConcurrentTasks != 1) {
                throw new IllegalArgumentException("maxConcurrentTasks must be 1 with "
                        + "MemoryScope.AGENT (one conversation, one task at a time), was "
                        + maxConcurrentTasks + "; use MemoryScope.TASK for concurrent tasks");
            }
            ChatAgent agent = new ChatAgent(this);
            ChatAgentSession session = new ChatAgentSession(agent);
            AgentDefinition.Builder definition = AgentDefinition.builder().id(id)
                    .capabilities(new ArrayList<>(capabilities)).session(session)
                    .metadata(metadata);
            if (memoryScope == MemoryScope.AGENT) {
                definition.maxConcurrentTasks(1).messageHandler(session::receive);
            } else if (maxConcurrentTasks != null) {
                definition.maxConcurrentTasks(maxConcurrentTasks);
            }
            return definition.build();
        }
    }
}
