package io.github.hivemesh;

import static io.github.hivemesh.internal.Preconditions.checkNotBlank;
import static io.github.hivemesh.internal.Preconditions.checkRange;

import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.MessageBrokerConfig;
import io.github.hivemesh.hierarchy.HierarchicalCoordinatorConfig;
import io.github.hivemesh.mesh.MeshCoordinatorConfig;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything a swarm is built from; immutable, built by {@link #builder()}. A bad value fails
 * at {@link Builder#build()} naming the field, the value and the allowed range.
 *
 * <h2>Threads</h2>
 * By default the swarm creates what it needs and stops it on close: a broker with its own
 * dispatcher pool, a worker executor for sessions (virtual threads where the JDK has them,
 * otherwise a bounded pool), and one scheduler thread for timers. Anything injected here
 * ({@link Builder#broker}, {@link Builder#workerExecutor}, {@link Builder#scheduler}) is used
 * as is and never shut down by the swarm.
 */
public final class SwarmConfig {

    /** Most agents a swarm may be configured for. */
    public static final int MAX_AGENTS_LIMIT = 100_000;
    /** Default number of ended tasks whose status the swarm remembers. */
    public static final int DEFAULT_TASK_RETENTION = 100_000;

    private final String swarmId;
    private final Topology topology;
    private final int maxAgents;
    private final MeshCoordinatorConfig meshConfig;
    private final HierarchicalCoordinatorConfig hierarchicalConfig;
    private final MessageBrokerConfig brokerConfig;
    private final IMessageBroker broker;
    private final Executor workerExecutor;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final int taskRetention;
    private final Long randomSeed;

    private SwarmConfig(Builder b) {
        this.swarmId = b.swarmId != null ? b.swarmId
                : "swarm-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 24, 36);
        this.topology = b.topology;
        this.maxAgents = b.maxAgents;
        this.meshConfig = b.meshConfig;
        this.hierarchicalConfig = b.hierarchicalConfig;
        this.brokerConfig = b.brokerConfig;
        this.broker = b.broker;
        this.workerExecutor = b.workerExecutor;
        this.scheduler = b.scheduler;
        this.clock = b.clock;
        this.taskRetention = b.taskRetention;
        this.randomSeed = b.randomSeed;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The swarm's id (generated when not given). */
    public String swarmId() {
        return swarmId;
    }

    /** The requested topology (default {@link Topology#AUTO}). */
    public Topology topology() {
        return topology;
    }

    /** Most agents the swarm holds (default 7); spawning beyond fails. */
    public int maxAgents() {
        return maxAgents;
    }

    /** Settings of the mesh coordinator. */
    public MeshCoordinatorConfig meshConfig() {
        return meshConfig;
    }

    /** Settings of the hierarchical coordinator (queen, teams, queue capacity). */
    public HierarchicalCoordinatorConfig hierarchicalConfig() {
        return hierarchicalConfig;
    }

    /** Settings of the broker the swarm creates (unused with an injected broker). */
    public MessageBrokerConfig brokerConfig() {
        return brokerConfig;
    }

    /** An injected broker, used as is and not closed by the swarm. */
    public Optional<IMessageBroker> broker() {
        return Optional.ofNullable(broker);
    }

    /** An injected executor for sessions. */
    public Optional<Executor> workerExecutor() {
        return Optional.ofNullable(workerExecutor);
    }

    /** An injected scheduler for timers (timeouts, heartbeats, rebalancing). */
    public Optional<ScheduledExecutorService> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    /** The clock for timestamps and timeouts (default UTC system clock). */
    public Clock clock() {
        return clock;
    }

    /** Ended tasks whose status {@code taskStatus} still answers for (default 100,000). */
    public int taskRetention() {
        return taskRetention;
    }

    /**
     * The seed of the swarm's random choices (tie-breaks in placement), for runs that must
     * replay exactly; empty for a seed drawn at creation.
     */
    public java.util.OptionalLong randomSeed() {
        return randomSeed == null ? java.util.OptionalLong.empty()
                : java.util.OptionalLong.of(randomSeed);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.swarmId = swarmId;
        b.topology = topology;
        b.maxAgents = maxAgents;
        b.meshConfig = meshConfig;
        b.hierarchicalConfig = hierarchicalConfig;
        b.brokerConfig = brokerConfig;
        b.broker = broker;
        b.workerExecutor = workerExecutor;
        b.scheduler = scheduler;
        b.clock = clock;
        b.taskRetention = taskRetention;
        b.randomSeed = randomSeed;
        return b;
    }

    @Override
    public String toString() {
        return "SwarmConfig[swarmId=" + swarmId + ", topology=" + topology
                + ", maxAgents=" + maxAgents + ", taskRetention=" + taskRetention + "]";
    }

    /** Builds a {@link SwarmConfig}; values are checked at {@link #build()}. */
    public static final class Builder {
        private String swarmId;
        private Topology topology = Topology.AUTO;
        private int maxAgents = 7;
        private MeshCoordinatorConfig meshConfig = MeshCoordinatorConfig.defaults();
        private HierarchicalCoordinatorConfig hierarchicalConfig =
                HierarchicalCoordinatorConfig.defaults();
        private MessageBrokerConfig brokerConfig = MessageBrokerConfig.defaults();
        private IMessageBroker broker;
        private Executor workerExecutor;
        private ScheduledExecutorService scheduler;
        private Clock clock = Clock.systemUTC();
        private int taskRetention = DEFAULT_TASK_RETENTION;
        private Long randomSeed;

        private Builder() {
        }

        /** Sets the swarm id. */
        public Builder swarmId(String swarmId) {
            this.swarmId = Objects.requireNonNull(swarmId, "swarmId");
            return this;
        }

        /** Sets the topology. */
        public Builder topology(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            return this;
        }

        /** Caps the number of agents, in [1, 100000]. */
        public Builder maxAgents(int maxAgents) {
            this.maxAgents = maxAgents;
            return this;
        }

        /** Sets the mesh coordinator's settings. */
        public Builder meshConfig(MeshCoordinatorConfig config) {
            this.meshConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Sets the hierarchical coordinator's settings. */
        public Builder hierarchicalConfig(HierarchicalCoordinatorConfig config) {
            this.hierarchicalConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Sets the settings of the broker the swarm creates. */
        public Builder brokerConfig(MessageBrokerConfig config) {
            this.brokerConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Uses this broker instead of creating one; the swarm does not close it. */
        public Builder broker(IMessageBroker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /** Runs sessions on this executor; the swarm does not shut it down. */
        public Builder workerExecutor(Executor executor) {
            this.workerExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Runs timers on this scheduler; the swarm does not shut it down. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Uses this clock for timestamps and timeouts. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Ended tasks whose status is remembered, in [0, 100000000]. */
        public Builder taskRetention(int taskRetention) {
            this.taskRetention = taskRetention;
            return this;
        }

        /** Seeds the swarm's random choices, so a run replays exactly. */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /** Validates and builds. */
        public SwarmConfig build() {
            if (swarmId != null) {
                checkNotBlank("swarmId", swarmId);
            }
            checkRange("maxAgents", maxAgents, 1, MAX_AGENTS_LIMIT);
            checkRange("taskRetention", taskRetention, 0, 100_000_000);
            return new SwarmConfig(this);
        }
    }
}
