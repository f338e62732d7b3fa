package io.github.hivemesh;

import static io.github.hivemesh.internal.util.Preconditions.MAX_TIMER;
import static io.github.hivemesh.internal.util.Preconditions.checkId;
import static io.github.hivemesh.internal.util.Preconditions.checkPositive;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.agent.TokenCostModel;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.MessageBrokerConfig;
import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.hierarchy.HierarchicalCoordinatorConfig;
import io.github.hivemesh.mesh.MeshCoordinatorConfig;
import io.github.hivemesh.wire.PayloadCodec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

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
 *
 * <h2>Wire encoding</h2>
 * In one JVM a swarm passes task payloads, outputs, errors and its own messages as objects.
 * {@link Builder#forceWireEncoding} makes it encode and decode everything that would cross a
 * process — every wire message, payload, output and error — on its way, through
 * {@link #payloadCodec()}, as cluster mode will: a test suite run with it shows that what the
 * application passes can travel, and that the swarm's protocol is complete. The system property
 * {@value #FORCE_WIRE_ENCODING_PROPERTY} ({@code true} or {@code false}) sets the default of
 * every builder that does not choose, so a whole test run can be forced:
 * {@code mvn verify -Dhivemesh.wire.forceEncoding=true}. The format is in {@code docs/wire.md}.
 */
public final class SwarmConfig {

    /** What {@code submitTask} does when {@link #maxPendingTasks()} tasks have not ended. */
    public enum Saturation {
        /** The submitting thread waits for room (back-pressure). */
        BLOCK,
        /** The submission fails at once with a {@link SwarmSaturatedException}. */
        REJECT
    }

    /** Default bound on submitted tasks that have not ended. */
    public static final int DEFAULT_MAX_PENDING_TASKS = 100_000;
    /** Default bound on delegated subtasks that have not ended. */
    public static final int DEFAULT_MAX_PENDING_SUBTASKS = 100_000;

    /** Most agents a swarm may be configured for. */
    public static final int MAX_AGENTS_LIMIT = 100_000;
    /** Default number of ended tasks whose status the swarm remembers. */
    public static final int DEFAULT_TASK_RETENTION = 10_000;
    /**
     * The system property giving {@link #forceWireEncoding()} its default when the builder is
     * not told: {@code true} or {@code false} (any case); absent or empty means {@code false}.
     */
    public static final String FORCE_WIRE_ENCODING_PROPERTY = "hivemesh.wire.forceEncoding";

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
    private final TokenCostModel tokenCostModel;
    private final Supplier<IdlePausePolicy> idlePausePolicy;
    private final boolean autoPause;
    private final Duration pauseCheckInterval;
    private final boolean checkpointsEnabled;
    private final Path artifactStoragePath;
    private final Duration defaultTaskTimeout;
    private final int maxPendingTasks;
    private final int maxPendingSubtasks;
    private final Saturation saturation;
    private final boolean forceWireEncoding;
    private final PayloadCodec payloadCodec;
    private final ClusterConfig cluster;

    private SwarmConfig(Builder b, boolean forceWireEncoding) {
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
        this.tokenCostModel = b.tokenCostModel;
        this.idlePausePolicy = b.idlePausePolicy != null ? b.idlePausePolicy
                : () -> IdlePausePolicy.adaptive(b.tokenCostModel);
        this.autoPause = b.autoPause;
        this.pauseCheckInterval = b.pauseCheckInterval;
        this.checkpointsEnabled = b.checkpointsEnabled;
        this.artifactStoragePath = b.artifactStoragePath != null ? b.artifactStoragePath
                : b.meshConfig.artifactStoragePath().orElse(null);
        this.defaultTaskTimeout = b.defaultTaskTimeout;
        this.maxPendingTasks = b.maxPendingTasks;
        this.maxPendingSubtasks = b.maxPendingSubtasks;
        this.saturation = b.saturation;
        this.forceWireEncoding = forceWireEncoding;
        this.payloadCodec = b.payloadCodec;
        this.cluster = b.cluster;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the swarm's id (generated when not given)} */
    public String swarmId() {
        return swarmId;
    }

    /** {@return the requested topology (default {@link Topology#AUTO})} */
    public Topology topology() {
        return topology;
    }

    /** {@return most agents the swarm holds (default 7); spawning beyond fails} */
    public int maxAgents() {
        return maxAgents;
    }

    /** {@return settings of the mesh coordinator} */
    public MeshCoordinatorConfig meshConfig() {
        return meshConfig;
    }

    /** {@return settings of the hierarchical coordinator (queen, teams, queue capacity)} */
    public HierarchicalCoordinatorConfig hierarchicalConfig() {
        return hierarchicalConfig;
    }

    /** {@return settings of the broker the swarm creates (unused with an injected broker)} */
    public MessageBrokerConfig brokerConfig() {
        return brokerConfig;
    }

    /** {@return an injected broker, used as is and not closed by the swarm} */
    public Optional<IMessageBroker> broker() {
        return Optional.ofNullable(broker);
    }

    /** {@return an injected executor for sessions} */
    public Optional<Executor> workerExecutor() {
        return Optional.ofNullable(workerExecutor);
    }

    /** {@return an injected scheduler for timers (timeouts, heartbeats, rebalancing)} */
    public Optional<ScheduledExecutorService> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    /** {@return the clock for timestamps and timeouts (default UTC system clock)} */
    public Clock clock() {
        return clock;
    }

    /**
     * {@return ended tasks whose status {@code taskStatus} still answers for (default 10,000; older
     * ones are forgotten first, so memory stays bounded and the heap's live set small)}
     */
    public int taskRetention() {
        return taskRetention;
    }

    /**
     * {@return the seed of the swarm's random choices (tie-breaks in placement), for runs that must
     * replay exactly; empty for a seed drawn at creation}
     */
    public java.util.OptionalLong randomSeed() {
        return randomSeed == null ? java.util.OptionalLong.empty()
                : java.util.OptionalLong.of(randomSeed);
    }

    /**
     * {@return what idle agents cost, for token accounting and pausing (default: docs/design.md
     * §6's)}
     */
    public TokenCostModel tokenCostModel() {
        return tokenCostModel;
    }

    /**
     * {@return a fresh idle pausing policy for a new swarm (default:
     * {@link IdlePausePolicy#adaptive} over {@link #tokenCostModel()}); unused when
     * {@link #autoPause()} is off}
     */
    public IdlePausePolicy newIdlePausePolicy() {
        return idlePausePolicy.get();
    }

    /**
     * {@return whether idle agents are paused automatically by the policy (default on: idle agents
     * should cost no tokens, and the default policy never pauses a gap it expects to be short)}
     */
    public boolean autoPause() {
        return autoPause;
    }

    /** {@return how often idle agents are checked against the policy (default 100 ms)} */
    public Duration pauseCheckInterval() {
        return pauseCheckInterval;
    }

    /** {@return whether pausing stores the session's {@code checkpoint()} (default off)} */
    public boolean checkpointsEnabled() {
        return checkpointsEnabled;
    }

    /**
     * {@return the directory of the swarm's durable artifact store — peer states, checkpoints, and
     * what tasks and handlers store through {@code artifacts()} — or empty (the default, unless the
     * mesh configuration names one) for an in-memory store}
     */
    public Optional<Path> artifactStoragePath() {
        return Optional.ofNullable(artifactStoragePath);
    }

    /**
     * {@return how long a task that sets no timeout may run once started; empty (the default) for
     * no limit} A task that runs longer fails with a {@code TaskTimeoutException} and its session
     * is interrupted.
     */
    public Optional<Duration> defaultTaskTimeout() {
        return Optional.ofNullable(defaultTaskTimeout);
    }

    /**
     * {@return most tasks submitted by the application ({@code submitTask}) that may be not yet
     * ended at once (default 100,000); delegated subtasks are bounded apart, by
     * {@link #maxPendingSubtasks()}}
     */
    public int maxPendingTasks() {
        return maxPendingTasks;
    }

    /**
     * {@return most delegated subtasks ({@code TaskContext.delegate}) that may be not yet ended at
     * once (default 100,000)} A delegation beyond it never waits — blocking a session could
     * deadlock the work that would make room — it fails the subtask's future with a
     * {@link SwarmSaturatedException}. With {@link #maxPendingTasks()} this bounds every task the
     * swarm holds, so no load, submitted or delegated, ends in an {@code OutOfMemoryError}.
     */
    public int maxPendingSubtasks() {
        return maxPendingSubtasks;
    }

    /**
     * {@return what a submission beyond {@link #maxPendingTasks()} does (default {@code BLOCK})}
     */
    public Saturation saturation() {
        return saturation;
    }

    /**
     * Whether everything that would cross a process is encoded and decoded on its way, in this
     * JVM too (default: the system property {@value #FORCE_WIRE_ENCODING_PROPERTY}, else off).
     * When on, every wire message, task payload, output, user message payload and error
     * crosses as bytes: sessions and handlers see decoded copies of the types
     * {@link #payloadCodec()} gives back; the library's exceptions arrive as themselves, any
     * other as a {@link io.github.hivemesh.wire.RemoteTaskException}. A task whose payload the
     * codec refuses fails at submission or delegation with an
     * {@link io.github.hivemesh.wire.UnsupportedPayloadException} naming the value's type; a
     * message whose payload it refuses fails the send's future; an output it refuses fails the
     * task. Meant for tests: it costs an encoding and a decoding per message.
     *
     * @return whether everything that would cross a process is encoded on its way
     */
    public boolean forceWireEncoding() {
        return forceWireEncoding;
    }

    /**
     * The codec of task payloads, outputs and user message payloads, whenever they cross as
     * bytes (default {@link PayloadCodec#defaults()}: {@code null}, booleans, {@code Integer},
     * {@code Long}, {@code Float}, {@code Double}, {@code String}, {@code byte[]}, and lists and
     * maps of these). Unused while {@link #forceWireEncoding()} is off in one JVM.
     *
     * @return the codec of what crosses as bytes
     */
    public PayloadCodec payloadCodec() {
        return payloadCodec;
    }

    /**
     * {@return the cluster this swarm's coordinator joins as a member (cluster mode), or empty
     * for a swarm in one JVM} In cluster mode the swarm is a mesh across the members; see
     * {@code docs/cluster.md} for what is member-local and what cluster-wide.
     */
    public Optional<ClusterConfig> cluster() {
        return Optional.ofNullable(cluster);
    }

    /** {@return a builder starting from this configuration} */
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
        b.tokenCostModel = tokenCostModel;
        b.idlePausePolicy = idlePausePolicy;
        b.autoPause = autoPause;
        b.pauseCheckInterval = pauseCheckInterval;
        b.checkpointsEnabled = checkpointsEnabled;
        b.artifactStoragePath = artifactStoragePath;
        b.defaultTaskTimeout = defaultTaskTimeout;
        b.maxPendingTasks = maxPendingTasks;
        b.maxPendingSubtasks = maxPendingSubtasks;
        b.saturation = saturation;
        b.forceWireEncoding = forceWireEncoding;
        b.payloadCodec = payloadCodec;
        b.cluster = cluster;
        return b;
    }

    /** The default of {@link #forceWireEncoding()}: the system property, read now. */
    private static boolean forcedByProperty() {
        String value = System.getProperty(FORCE_WIRE_ENCODING_PROPERTY);
        if (value == null) {
            return false;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
            case "":
                return false;
            default:
                throw new IllegalArgumentException("system property "
                        + FORCE_WIRE_ENCODING_PROPERTY + " must be true or false, was '" + value
                        + "' (or set SwarmConfig.Builder.forceWireEncoding)");
        }
    }

    @Override
    public String toString() {
        return "SwarmConfig[swarmId=" + swarmId + ", topology=" + topology
                + ", maxAgents=" + maxAgents + ", taskRetention=" + taskRetention
                + (forceWireEncoding ? ", forceWireEncoding=true" : "") + "]";
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
        private TokenCostModel tokenCostModel = TokenCostModel.REFERENCE;
        private Supplier<IdlePausePolicy> idlePausePolicy;
        private boolean autoPause = true;
        private Duration pauseCheckInterval = Duration.ofMillis(100);
        private boolean checkpointsEnabled;
        private Path artifactStoragePath;
        private Duration defaultTaskTimeout;
        private int maxPendingTasks = DEFAULT_MAX_PENDING_TASKS;
        private int maxPendingSubtasks = DEFAULT_MAX_PENDING_SUBTASKS;
        private Saturation saturation = Saturation.BLOCK;
        /** Null: not chosen, the system property decides at {@link #build()}. */
        private Boolean forceWireEncoding;
        private PayloadCodec payloadCodec = PayloadCodec.defaults();
        private ClusterConfig cluster;

        private Builder() {
        }

        /**
         * Sets the swarm id.
         *
         * @param swarmId the swarm's id (generated when not given)
         * @return this builder
         */
        public Builder swarmId(String swarmId) {
            this.swarmId = Objects.requireNonNull(swarmId, "swarmId");
            return this;
        }

        /**
         * Sets the topology.
         *
         * @param topology the requested topology (default {@link Topology#AUTO})
         * @return this builder
         */
        public Builder topology(Topology topology) {
            this.topology = Objects.requireNonNull(topology, "topology");
            return this;
        }

        /**
         * Caps the number of agents, in [1, 100000].
         *
         * @param maxAgents most agents the swarm holds (default 7); spawning beyond fails
         * @return this builder
         */
        public Builder maxAgents(int maxAgents) {
            this.maxAgents = maxAgents;
            return this;
        }

        /**
         * Sets the mesh coordinator's settings.
         *
         * @param config settings of the mesh coordinator
         * @return this builder
         */
        public Builder meshConfig(MeshCoordinatorConfig config) {
            this.meshConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Sets the hierarchical coordinator's settings.
         *
         * @param config settings of the hierarchical coordinator (queen, teams, queue capacity)
         * @return this builder
         */
        public Builder hierarchicalConfig(HierarchicalCoordinatorConfig config) {
            this.hierarchicalConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Sets the settings of the broker the swarm creates.
         *
         * @param config settings of the broker the swarm creates (unused with an injected broker)
         * @return this builder
         */
        public Builder brokerConfig(MessageBrokerConfig config) {
            this.brokerConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Uses this broker instead of creating one; the swarm does not close it.
         *
         * @param broker an injected broker, used as is and not closed by the swarm
         * @return this builder
         */
        public Builder broker(IMessageBroker broker) {
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /**
         * Runs sessions on this executor; the swarm does not shut it down.
         *
         * @param executor an injected executor for sessions
         * @return this builder
         */
        public Builder workerExecutor(Executor executor) {
            this.workerExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Runs timers on this scheduler; the swarm does not shut it down.
         *
         * @param scheduler an injected scheduler for timers (timeouts, heartbeats, rebalancing)
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Uses this clock for timestamps and timeouts.
         *
         * @param clock the clock for timestamps and timeouts (default UTC system clock)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Ended tasks whose status is remembered, in [0, 100000000].
         *
         * @param taskRetention ended tasks whose status {@code taskStatus} still answers for
         *     (default 10,000; older ones are forgotten first, so memory stays bounded and the
         *     heap's live set small)
         * @return this builder
         */
        public Builder taskRetention(int taskRetention) {
            this.taskRetention = taskRetention;
            return this;
        }

        /**
         * Seeds the swarm's random choices, so a run replays exactly.
         *
         * @param seed the seed of the swarm's random choices (tie-breaks in placement), for runs
         *     that must replay exactly; empty for a seed drawn at creation
         * @return this builder
         */
        public Builder randomSeed(long seed) {
            this.randomSeed = seed;
            return this;
        }

        /**
         * Sets what idle agents cost.
         *
         * @param model what idle agents cost, for token accounting and pausing (default:
         *     docs/design.md §6's)
         * @return this builder
         */
        public Builder tokenCostModel(TokenCostModel model) {
            this.tokenCostModel = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * Supplies the idle pausing policy, one per swarm (policies learn).
         *
         * @param policy the idle pausing policy, one per swarm (policies learn)
         * @return this builder
         */
        public Builder idlePausePolicy(Supplier<IdlePausePolicy> policy) {
            this.idlePausePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Turns automatic pausing of idle agents on or off.
         *
         * @param enabled whether idle agents are paused automatically by the policy (default on:
         *     idle agents should cost no tokens, and the default policy never pauses a gap it
         *     expects to be short)
         * @return this builder
         */
        public Builder autoPause(boolean enabled) {
            this.autoPause = enabled;
            return this;
        }

        /**
         * How often idle agents are checked against the policy; positive, at most 10 years.
         *
         * @param interval how often idle agents are checked against the policy (default 100 ms)
         * @return this builder
         */
        public Builder pauseCheckInterval(Duration interval) {
            this.pauseCheckInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Keeps the swarm's artifacts in a durable file store under {@code directory}.
         *
         * @param directory the directory of the swarm's durable artifact store — peer states,
         *     checkpoints, and what tasks and handlers store through {@code artifacts()} — or empty
         *     (the default, unless the mesh configuration names one) for an in-memory store
         * @return this builder
         */
        public Builder artifactStoragePath(Path directory) {
            this.artifactStoragePath = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Stores sessions' checkpoints when they are paused.
         *
         * @param enabled whether pausing stores the session's {@code checkpoint()} (default off)
         * @return this builder
         */
        public Builder checkpointsEnabled(boolean enabled) {
            this.checkpointsEnabled = enabled;
            return this;
        }

        /**
         * Limits how long tasks that set no timeout may run once started; positive, at most 10
         * years.
         *
         * @param timeout how long a task that sets no timeout may run once started; empty (the
         *     default) for no limit
         * @return this builder
         */
        public Builder defaultTaskTimeout(Duration timeout) {
            this.defaultTaskTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Bounds submitted tasks not yet ended, in [1, 100000000].
         *
         * @param max most tasks submitted by the application ({@code submitTask}) that may be not
         *     yet ended at once (default 100,000); delegated subtasks are bounded apart, by
         *     {@link #maxPendingSubtasks()}
         * @return this builder
         */
        public Builder maxPendingTasks(int max) {
            this.maxPendingTasks = max;
            return this;
        }

        /**
         * Bounds delegated subtasks not yet ended, in [1, 100000000].
         *
         * @param max most delegated subtasks ({@code TaskContext.delegate}) that may be not yet
         *     ended at once (default 100,000)
         * @return this builder
         */
        public Builder maxPendingSubtasks(int max) {
            this.maxPendingSubtasks = max;
            return this;
        }

        /**
         * What a submission beyond the bound does.
         *
         * @param policy what a submission beyond {@link #maxPendingTasks()} does (default
         *     {@code BLOCK})
         * @return this builder
         */
        public Builder saturation(Saturation policy) {
            this.saturation = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Encodes and decodes everything that would cross a process, in this JVM too (see
         * {@link SwarmConfig#forceWireEncoding()}); overrides the system property
         * {@value SwarmConfig#FORCE_WIRE_ENCODING_PROPERTY}.
         *
         * @param enabled whether to encode everything that would cross a process
         * @return this builder
         */
        public Builder forceWireEncoding(boolean enabled) {
            this.forceWireEncoding = enabled;
            return this;
        }

        /**
         * Sets the codec of payloads and outputs that cross as bytes.
         *
         * @param codec the codec
         * @return this builder
         */
        public Builder payloadCodec(PayloadCodec codec) {
            this.payloadCodec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * Makes the swarm's coordinator a member of a cluster (cluster mode): creating it joins
         * the cluster (blocking up to the cluster's join timeout), its agents are placement
         * candidates on every member, and tasks submitted on any member may run on any of
         * them. Cluster mode runs the mesh ({@link Topology#MESH}, or {@link Topology#AUTO}
         * with at most 7 agents, counted over every member); the hierarchy across members is
         * not built yet. Needs JGroups on the class path unless the configuration brings its
         * own transport.
         *
         * @param config the cluster to join
         * @return this builder
         */
        public Builder cluster(ClusterConfig config) {
            this.cluster = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return a new {@code SwarmConfig} with this builder's settings
         *
         * @throws IllegalArgumentException naming the field, the value and the allowed range
         *         (or the system property {@value SwarmConfig#FORCE_WIRE_ENCODING_PROPERTY}
         *         and the values it may have, when it decides and is neither)
         */
        public SwarmConfig build() {
            checkRange("maxPendingTasks", maxPendingTasks, 1, 100_000_000);
            checkRange("maxPendingSubtasks", maxPendingSubtasks, 1, 100_000_000);
            checkPositive("pauseCheckInterval", pauseCheckInterval, MAX_TIMER);
            if (defaultTaskTimeout != null) {
                checkPositive("defaultTaskTimeout", defaultTaskTimeout, MAX_TIMER);
            }
            if (swarmId != null) {
                checkId("swarmId", swarmId);
            }
            checkRange("maxAgents", maxAgents, 1, MAX_AGENTS_LIMIT);
            checkRange("taskRetention", taskRetention, 0, 100_000_000);
            if (cluster != null) {
                if (topology == Topology.HIERARCHICAL
                        || topology == Topology.AUTO && maxAgents > TopologyRouter.MESH_MAX_AGENTS) {
                    throw new IllegalArgumentException("cluster mode runs the mesh: topology "
                            + "must be MESH, or AUTO with maxAgents at most " + TopologyRouter.MESH_MAX_AGENTS
                            + ", was " + topology + " with maxAgents " + maxAgents);
                }
                if (broker != null) {
                    throw new IllegalArgumentException("cluster mode creates its own broker: "
                            + "an injected broker cannot be used with cluster(...)");
                }
            }
            return new SwarmConfig(this, forceWireEncoding != null ? forceWireEncoding
                    : forcedByProperty());
        }
    }
}
