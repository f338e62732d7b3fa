package io.github.hivemesh.memory;

import static io.github.hivemesh.internal.util.Preconditions.checkNotBlank;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What to recall from swarm memory; immutable, built by {@link #builder()}. Every filter is
 * optional; entries must pass all that are set.
 *
 * <pre>{@code
 * SwarmMemoryQuery.builder().agentId("reviewer-1").type("finding")
 *         .from(start).to(end).limit(20).build();
 * }</pre>
 */
public final class SwarmMemoryQuery {

    /** Default number of entries returned. */
    public static final int DEFAULT_LIMIT = 100;
    /** Largest {@link #limit()}. */
    public static final int MAX_LIMIT = 100_000;

    private final String agentId;
    private final String type;
    private final Instant from;
    private final Instant to;
    private final int limit;

    private SwarmMemoryQuery(Builder b) {
        this.agentId = b.agentId;
        this.type = b.type;
        this.from = b.from;
        this.to = b.to;
        this.limit = b.limit;
    }

    /** {@return a builder with no filters and the default limit} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return only entries visible to this agent (owned by or shared with it)} */
    public Optional<String> agentId() {
        return Optional.ofNullable(agentId);
    }

    /** {@return only entries of this type} */
    public Optional<String> type() {
        return Optional.ofNullable(type);
    }

    /** {@return only entries created at or after this instant} */
    public Optional<Instant> from() {
        return Optional.ofNullable(from);
    }

    /** {@return only entries created before this instant} */
    public Optional<Instant> to() {
        return Optional.ofNullable(to);
    }

    /** {@return at most this many entries, newest first} */
    public int limit() {
        return limit;
    }

    /**
     * {@return whether an entry passes every filter (the limit aside)}
     *
     * @param entry the entry to test
     */
    public boolean matches(MemoryEntry entry) {
        Objects.requireNonNull(entry, "entry");
        return (agentId == null || entry.isVisibleTo(agentId))
                && (type == null || entry.type().equals(type))
                && (from == null || !entry.createdAt().isBefore(from))
                && (to == null || entry.createdAt().isBefore(to));
    }

    @Override
    public String toString() {
        return "SwarmMemoryQuery[agentId=" + agentId + ", type=" + type + ", from=" + from
                + ", to=" + to + ", limit=" + limit + "]";
    }

    /** Builds a {@link SwarmMemoryQuery}; values are checked at {@link #build()}. */
    public static final class Builder {
        private String agentId;
        private String type;
        private Instant from;
        private Instant to;
        private int limit = DEFAULT_LIMIT;

        private Builder() {
        }

        /**
         * Only entries visible to this agent.
         *
         * @param agentId only entries visible to this agent (owned by or shared with it)
         * @return this builder
         */
        public Builder agentId(String agentId) {
            this.agentId = Objects.requireNonNull(agentId, "agentId");
            return this;
        }

        /**
         * Only entries of this type.
         *
         * @param type only entries of this type
         * @return this builder
         */
        public Builder type(String type) {
            this.type = Objects.requireNonNull(type, "type");
            return this;
        }

        /**
         * Only entries created at or after {@code from}.
         *
         * @param from only entries created at or after this instant
         * @return this builder
         */
        public Builder from(Instant from) {
            this.from = Objects.requireNonNull(from, "from");
            return this;
        }

        /**
         * Only entries created before {@code to}.
         *
         * @param to only entries created before this instant
         * @return this builder
         */
        public Builder to(Instant to) {
            this.to = Objects.requireNonNull(to, "to");
            return this;
        }

        /**
         * At most this many entries, in [1, 100000].
         *
         * @param limit at most this many entries, newest first
         * @return this builder
         */
        public Builder limit(int limit) {
            this.limit = limit;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return a new {@code SwarmMemoryQuery} with this builder's settings
         */
        public SwarmMemoryQuery build() {
            if (agentId != null) {
                checkNotBlank("agentId", agentId);
            }
            if (type != null) {
                checkNotBlank("type", type);
            }
            checkRange("limit", limit, 1, MAX_LIMIT);
            if (from != null && to != null && to.isBefore(from)) {
                throw new IllegalArgumentException("to must not be before from, was from=" + from
                        + ", to=" + to);
            }
            return new SwarmMemoryQuery(this);
        }
    }
}
