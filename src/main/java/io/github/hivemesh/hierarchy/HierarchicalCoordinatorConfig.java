package io.github.hivemesh.hierarchy;

import static io.github.hivemesh.internal.util.Preconditions.checkPositive;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of a {@link HierarchicalCoordinator}; immutable, built by {@link #builder()}.
 * A bad value fails at {@link Builder#build()} naming the field, the value and the allowed
 * range.
 *
 * <h2>Teams</h2>
 * A swarm of {@code maxAgents} agents gets {@code ceil(maxAgents / fanOut)} teams; each agent
 * joins the team with the fewest members, so team sizes differ by at most one when the swarm is
 * full. With a single team (up to {@link #fanOut()} agents) the queen leads the workers herself.
 *
 * <h2>Queue capacity</h2>
 * {@link #queueCapacity()} bounds the tasks the queen holds: accepted (submitted or delegated)
 * and not yet handed to a team, whether they wait for an agent or for their dependencies. A task
 * beyond it is refused with a {@link QueueFullException} — memory stays bounded and nothing
 * accepted is ever dropped. A task holds roughly half a kilobyte while it waits.
 */
public final class HierarchicalCoordinatorConfig {

    /** Default workers per team lead. */
    public static final int DEFAULT_FAN_OUT = 32;
    /** Default number of tasks the queen holds before refusing more. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1_000_000;
    /** Default number of tasks one worker runs at once. */
    public static final int DEFAULT_MAX_CONCURRENT_TASKS_PER_WORKER = 4;
    /** Default timeout of the completion detector. */
    public static final Duration DEFAULT_COMPLETION_TIMEOUT = Duration.ofSeconds(30);

    private final int fanOut;
    private final int queueCapacity;
    private final boolean workStealing;
    private final int maxConcurrentTasksPerWorker;
    private final Duration completionTimeout;

    private HierarchicalCoordinatorConfig(Builder b) {
        this.fanOut = b.fanOut;
        this.queueCapacity = b.queueCapacity;
        this.workStealing = b.workStealing;
        this.maxConcurrentTasksPerWorker = b.maxConcurrentTasksPerWorker;
        this.completionTimeout = b.completionTimeout;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the default configuration} */
    public static HierarchicalCoordinatorConfig defaults() {
        return builder().build();
    }

    /** {@return most workers one team lead owns (default 32)} */
    public int fanOut() {
        return fanOut;
    }

    /**
     * {@return most tasks the queen holds before {@code submitTask} is refused (default 1,000,000)}
     */
    public int queueCapacity() {
        return queueCapacity;
    }

    /**
     * {@return whether a team with free slots takes queued tasks from the busiest team (default
     * true)} Tasks queue at a team only when its free slots belong to workers that cannot run them.
     */
    public boolean workStealing() {
        return workStealing;
    }

    /**
     * {@return tasks one worker runs at once unless its {@code AgentDefinition} says otherwise
     * (default 4)}
     */
    public int maxConcurrentTasksPerWorker() {
        return maxConcurrentTasksPerWorker;
    }

    /** {@return default timeout of the completion detector (default 30 s)} */
    public Duration completionTimeout() {
        return completionTimeout;
    }

    /** {@return a builder starting from this configuration} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.fanOut = fanOut;
        b.queueCapacity = queueCapacity;
        b.workStealing = workStealing;
        b.maxConcurrentTasksPerWorker = maxConcurrentTasksPerWorker;
        b.completionTimeout = completionTimeout;
        return b;
    }

    @Override
    public String toString() {
        return "HierarchicalCoordinatorConfig[fanOut=" + fanOut + ", queueCapacity="
                + queueCapacity + ", workStealing=" + workStealing
                + ", maxConcurrentTasksPerWorker=" + maxConcurrentTasksPerWorker
                + ", completionTimeout=" + completionTimeout + "]";
    }

    /** Builds a {@link HierarchicalCoordinatorConfig}; values are checked at {@link #build()}. */
    public static final class Builder {
        private int fanOut = DEFAULT_FAN_OUT;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private boolean workStealing = true;
        private int maxConcurrentTasksPerWorker = DEFAULT_MAX_CONCURRENT_TASKS_PER_WORKER;
        private Duration completionTimeout = DEFAULT_COMPLETION_TIMEOUT;

        private Builder() {
        }

        /**
         * Workers per team lead, in [1, 100000].
         *
         * @param fanOut most workers one team lead owns (default 32)
         * @return this builder
         */
        public Builder fanOut(int fanOut) {
            this.fanOut = fanOut;
            return this;
        }

        /**
         * Tasks the queen holds before refusing more, in [1, 100000000].
         *
         * @param queueCapacity most tasks the queen holds before {@code submitTask} is refused
         *     (default 1,000,000)
         * @return this builder
         */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
            return this;
        }

        /**
         * Turns work stealing between teams on or off.
         *
         * @param enabled whether a team with free slots takes queued tasks from the busiest team
         *     (default true)
         * @return this builder
         */
        public Builder workStealing(boolean enabled) {
            this.workStealing = enabled;
            return this;
        }

        /**
         * Tasks one worker runs at once, in [1, 10000].
         *
         * @param max tasks one worker runs at once unless its {@code AgentDefinition} says
         *     otherwise (default 4)
         * @return this builder
         */
        public Builder maxConcurrentTasksPerWorker(int max) {
            this.maxConcurrentTasksPerWorker = max;
            return this;
        }

        /**
         * Default completion timeout; positive.
         *
         * @param timeout default timeout of the completion detector (default 30 s)
         * @return this builder
         */
        public Builder completionTimeout(Duration timeout) {
            this.completionTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return a new {@code HierarchicalCoordinatorConfig} with this builder's settings
         */
        public HierarchicalCoordinatorConfig build() {
            checkRange("fanOut", fanOut, 1, 100_000);
            checkRange("queueCapacity", queueCapacity, 1, 100_000_000);
            checkRange("maxConcurrentTasksPerWorker", maxConcurrentTasksPerWorker, 1, 10_000);
            checkPositive("completionTimeout", completionTimeout);
            return new HierarchicalCoordinatorConfig(this);
        }
    }
}
