package io.github.hivemesh.agent;

import static io.github.hivemesh.internal.util.Preconditions.checkId;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import io.github.hivemesh.broker.MessageHandler;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an agent is before it is spawned: id, capabilities, session. Immutable, built by
 * {@link #builder()}.
 *
 * <pre>{@code
 * AgentDefinition reviewer = AgentDefinition.builder()
 *         .id("reviewer-1")
 *         .capabilities(Set.of("code-review"))
 *         .session(ctx -> review(ctx.task().payload()))
 *         .build();
 * }</pre>
 */
public final class AgentDefinition {

    private static final AtomicLong IDS = new AtomicLong();

    private final String id;
    private final Set<String> capabilities;
    private final AgentSession session;
    private final Integer maxConcurrentTasks;
    private final Map<String, String> metadata;
    private final AgentMessageHandler messageHandler;

    private AgentDefinition(Builder b) {
        this.id = b.id != null ? b.id : "agent-" + IDS.incrementAndGet();
        this.capabilities = Collections.unmodifiableSet(new LinkedHashSet<>(b.capabilities));
        this.session = b.session;
        this.maxConcurrentTasks = b.maxConcurrentTasks;
        this.metadata = Map.copyOf(b.metadata);
        this.messageHandler = b.messageHandler;
    }

    /** {@return a builder; the session is required} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the id (generated as {@code agent-N} when not given)} */
    public String id() {
        return id;
    }

    /**
     * {@return what the agent can do; tasks route to agents holding all their required
     * capabilities}
     */
    public Set<String> capabilities() {
        return capabilities;
    }

    /** {@return the agent's work} */
    public AgentSession session() {
        return session;
    }

    /** {@return tasks it runs at once, if it overrides the coordinator's default} */
    public OptionalInt maxConcurrentTasks() {
        return maxConcurrentTasks == null ? OptionalInt.empty() : OptionalInt.of(maxConcurrentTasks);
    }

    /** {@return free-form labels} */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Receives the application messages sent to it ({@code sendToPeer}, broadcasts); called on
     * the worker executor, one message at a time. Empty when the agent accepts no messages
     * (sends to it then fail).
     *
     * @return the agent's message handler, or empty when it takes no application messages
     */
    public Optional<AgentMessageHandler> messageHandler() {
        return Optional.ofNullable(messageHandler);
    }

    @Override
    public String toString() {
        return "AgentDefinition[id=" + id + ", capabilities=" + capabilities + "]";
    }

    /** Builds an {@link AgentDefinition}. */
    public static final class Builder {
        private String id;
        private final Set<String> capabilities = new LinkedHashSet<>();
        private AgentSession session;
        private Integer maxConcurrentTasks;
        private Map<String, String> metadata = Map.of();
        private AgentMessageHandler messageHandler;

        private Builder() {
        }

        /**
         * Sets the id.
         *
         * @param id the id (generated as {@code agent-N} when not given)
         * @return this builder
         */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Replaces the capabilities.
         *
         * @param capabilities what the agent can do; tasks route to agents holding all their
         *     required capabilities
         * @return this builder
         */
        public Builder capabilities(Collection<String> capabilities) {
            Objects.requireNonNull(capabilities, "capabilities");
            this.capabilities.clear();
            for (String capability : capabilities) {
                this.capabilities.add(checkId("capability", capability));
            }
            return this;
        }

        /**
         * Replaces the capabilities.
         *
         * @param capabilities what the agent can do; tasks route to agents holding all their
         *     required capabilities
         * @return this builder
         */
        public Builder capabilities(String... capabilities) {
            Objects.requireNonNull(capabilities, "capabilities");
            return capabilities(Arrays.asList(capabilities));
        }

        /**
         * Sets the session (required).
         *
         * @param session the agent's work
         * @return this builder
         */
        public Builder session(AgentSession session) {
            this.session = Objects.requireNonNull(session, "session");
            return this;
        }

        /**
         * Overrides the coordinator's per-agent concurrency, in [1, 10000].
         *
         * @param maxConcurrentTasks tasks it runs at once, if it overrides the coordinator's
         *     default
         * @return this builder
         */
        public Builder maxConcurrentTasks(int maxConcurrentTasks) {
            this.maxConcurrentTasks = maxConcurrentTasks;
            return this;
        }

        /**
         * Sets labels.
         *
         * @param metadata free-form labels
         * @return this builder
         */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata = Objects.requireNonNull(metadata, "metadata");
            return this;
        }

        /**
         * Lets the agent receive application messages; the handler gets a context to send
         * messages on and reach the swarm's memory.
         *
         * @param handler receives the application messages sent to it ({@code sendToPeer},
         *     broadcasts); called on the worker executor, one message at a time
         * @return this builder
         */
        public Builder messageHandler(AgentMessageHandler handler) {
            this.messageHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Lets the agent receive application messages, with a handler that needs no context.
         *
         * @param handler receives the application messages sent to it ({@code sendToPeer},
         *     broadcasts); called on the worker executor, one message at a time
         * @return this builder
         */
        public Builder messageHandler(MessageHandler handler) {
            Objects.requireNonNull(handler, "handler");
            this.messageHandler = (message, context) -> handler.onMessage(message);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return a new {@code AgentDefinition} with this builder's settings
         */
        public AgentDefinition build() {
            if (id != null) {
                checkId("id", id);
            }
            if (session == null) {
                throw new IllegalArgumentException("session is required");
            }
            if (maxConcurrentTasks != null) {
                checkRange("maxConcurrentTasks", maxConcurrentTasks, 1, 10_000);
            }
            return new AgentDefinition(this);
        }
    }
}
