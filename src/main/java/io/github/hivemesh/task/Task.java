package io.github.hivemesh.task;

import static io.github.hivemesh.internal.util.Preconditions.MAX_TIMER;
import static io.github.hivemesh.internal.util.Preconditions.checkId;
import static io.github.hivemesh.internal.util.Preconditions.checkPositive;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A unit of work for the swarm; immutable, built by {@link #builder()}.
 *
 * <p>Priorities run from 1 to 10; 10 runs first, and tasks of one priority run in submission
 * order. A task whose {@link #dependencies()} have not all completed waits; if one fails, the
 * task fails too. The {@link #payload()} is any object (it never leaves the JVM in-process).
 *
 * <p>A task may carry a {@link #costEstimate()}: what it is expected to cost to run, in a unit
 * the application chooses and keeps the same for all its tasks (expected seconds, expected
 * tokens...). Placement then balances the estimated work queued and running on each agent
 * rather than the number of tasks, and a queue may start the longest tasks of a priority first
 * ({@code docs/placement.md}). Without an estimate a task counts as an average one.
 *
 * <pre>{@code
 * Task review = Task.builder()
 *         .type("code-review")
 *         .requiredCapabilities("code-review")
 *         .priority(8)
 *         .payload(diff)
 *         .build();
 * }</pre>
 */
public final class Task {

    /** Lowest priority. */
    public static final int MIN_PRIORITY = 1;
    /** Highest priority. */
    public static final int MAX_PRIORITY = 10;
    /** Priority of a task that does not set one. */
    public static final int DEFAULT_PRIORITY = 5;
    /**
     * The longest id or name anywhere in the API, in {@code char}s: task, agent and swarm ids,
     * dependency ids, capability names and task types. A longer one is refused when it is set
     * or built, so an id the API accepts works everywhere (artifact keys, peer states).
     */
    public static final int MAX_ID_LENGTH = io.github.hivemesh.internal.util.Preconditions.MAX_ID_LENGTH;

    private static final String ID_PREFIX =
            "task-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 24, 36) + "-";
    private static final AtomicLong IDS = new AtomicLong();

    private final String id;
    private final String type;
    private final String description;
    private final Set<String> requiredCapabilities;
    private final int priority;
    private final Set<String> dependencies;
    private final Object payload;
    private final Duration timeout;
    /** NaN when not given. */
    private final double costEstimate;

    private Task(Builder b) {
        this.id = b.id != null ? b.id : ID_PREFIX + IDS.incrementAndGet();
        this.type = b.type;
        this.description = b.description;
        this.requiredCapabilities = Collections.unmodifiableSet(new LinkedHashSet<>(b.capabilities));
        this.priority = b.priority;
        this.dependencies = Collections.unmodifiableSet(new LinkedHashSet<>(b.dependencies));
        this.payload = b.payload;
        this.timeout = b.timeout;
        this.costEstimate = b.costEstimate;
    }

    /** {@return a builder; {@code type} is required} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return unique within a swarm; generated when the builder was not given one} */
    public String id() {
        return id;
    }

    /** {@return what kind of work this is} */
    public String type() {
        return type;
    }

    /** {@return free text for people; empty when not given} */
    public String description() {
        return description;
    }

    /** {@return capabilities an agent must all have to run this task (may be empty: any agent)} */
    public Set<String> requiredCapabilities() {
        return requiredCapabilities;
    }

    /** {@return 1 (lowest) to 10 (highest)} */
    public int priority() {
        return priority;
    }

    /** {@return ids of tasks that must complete before this one may start} */
    public Set<String> dependencies() {
        return dependencies;
    }

    /** {@return the task's input, any object, may be {@code null}} */
    public Object payload() {
        return payload;
    }

    /** {@return the time this task may run once started; empty for the coordinator's default} */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /**
     * {@return the expected cost of running this task (positive, finite, in the application's
     * unit), or empty when none was given}
     */
    public OptionalDouble costEstimate() {
        return Double.isNaN(costEstimate) ? OptionalDouble.empty() : OptionalDouble.of(costEstimate);
    }

    /** {@return a builder holding all of this task's values, for a variant} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.type = type;
        b.description = description;
        b.capabilities.addAll(requiredCapabilities);
        b.priority = priority;
        b.dependencies.addAll(dependencies);
        b.payload = payload;
        b.timeout = timeout;
        b.costEstimate = costEstimate;
        return b;
    }

    @Override
    public String toString() {
        return "Task[id=" + id + ", type=" + type + ", priority=" + priority
                + (requiredCapabilities.isEmpty() ? "" : ", requires=" + requiredCapabilities)
                + (dependencies.isEmpty() ? "" : ", dependsOn=" + dependencies)
                + (Double.isNaN(costEstimate) ? "" : ", costEstimate=" + costEstimate) + "]";
    }

    /** Builds a {@link Task}; values are checked at {@link #build()}. */
    public static final class Builder {
        private String id;
        private String type;
        private String description = "";
        private final Set<String> capabilities = new LinkedHashSet<>();
        private int priority = DEFAULT_PRIORITY;
        private final Set<String> dependencies = new LinkedHashSet<>();
        private Object payload;
        private Duration timeout;
        private double costEstimate = Double.NaN;
        private boolean costEstimateSet;

        private Builder() {
        }

        /**
         * Sets the id (otherwise one is generated).
         *
         * @param id unique within a swarm; generated when the builder was not given one
         * @return this builder
         */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * Sets the type (required).
         *
         * @param type what kind of work this is
         * @return this builder
         */
        public Builder type(String type) {
            this.type = Objects.requireNonNull(type, "type");
            return this;
        }

        /**
         * Sets the description.
         *
         * @param description free text for people; empty when not given
         * @return this builder
         */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /**
         * Replaces the required capabilities.
         *
         * @param capabilities capabilities an agent must all have to run this task (may be empty:
         *     any agent)
         * @return this builder
         */
        public Builder requiredCapabilities(String... capabilities) {
            Objects.requireNonNull(capabilities, "capabilities");
            return requiredCapabilities(Arrays.asList(capabilities));
        }

        /**
         * Replaces the required capabilities.
         *
         * @param capabilities capabilities an agent must all have to run this task (may be empty:
         *     any agent)
         * @return this builder
         */
        public Builder requiredCapabilities(Collection<String> capabilities) {
            Objects.requireNonNull(capabilities, "capabilities");
            this.capabilities.clear();
            for (String capability : capabilities) {
                this.capabilities.add(checkId("capability", capability));
            }
            return this;
        }

        /**
         * Sets the priority, 1 to 10 (default 5).
         *
         * @param priority 1 (lowest) to 10 (highest)
         * @return this builder
         */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /**
         * Replaces the dependencies (task ids).
         *
         * @param taskIds ids of tasks that must complete before this one may start
         * @return this builder
         */
        public Builder dependencies(String... taskIds) {
            Objects.requireNonNull(taskIds, "taskIds");
            return dependencies(Arrays.asList(taskIds));
        }

        /**
         * Replaces the dependencies (task ids).
         *
         * @param taskIds ids of tasks that must complete before this one may start
         * @return this builder
         */
        public Builder dependencies(Collection<String> taskIds) {
            Objects.requireNonNull(taskIds, "taskIds");
            this.dependencies.clear();
            for (String taskId : taskIds) {
                this.dependencies.add(checkId("dependency", taskId));
            }
            return this;
        }

        /**
         * Sets the payload (may be null).
         *
         * @param payload the task's input, any object, may be {@code null}
         * @return this builder
         */
        public Builder payload(Object payload) {
            this.payload = payload;
            return this;
        }

        /**
         * Limits how long the task may run once started; positive, at most 10 years.
         *
         * @param timeout the time this task may run once started; empty for the coordinator's
         *     default
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Sets the expected cost of running the task (e.g. expected seconds or tokens; one unit
         * for all tasks of a swarm): positive and finite, checked at {@link #build()}. Optional.
         *
         * @param costEstimate the expected cost of running this task (positive, finite, in the
         *     application's unit), or empty when none was given
         * @return this builder
         */
        public Builder costEstimate(double costEstimate) {
            this.costEstimate = costEstimate;
            this.costEstimateSet = true;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return a new {@code Task} with this builder's settings
         */
        public Task build() {
            if (id != null) {
                checkId("id", id);
            }
            if (type == null) {
                throw new IllegalArgumentException("type is required");
            }
            checkId("type", type);
            checkRange("priority", priority, MIN_PRIORITY, MAX_PRIORITY);
            if (timeout != null) {
                checkPositive("timeout", timeout, MAX_TIMER);
            }
            if (costEstimateSet && !(costEstimate > 0 && costEstimate <= Double.MAX_VALUE)) {
                throw new IllegalArgumentException("costEstimate must be positive and finite, in "
                        + "(0, " + Double.MAX_VALUE + "], was " + costEstimate);
            }
            if (id != null && dependencies.contains(id)) {
                throw new CyclicDependencyException(java.util.List.of(id, id));
            }
            return new Task(this);
        }
    }
}
