package io.github.hivemesh.mesh;

import static io.github.hivemesh.internal.util.Preconditions.MAX_TIMER;
import static io.github.hivemesh.internal.util.Preconditions.checkPositive;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import io.github.hivemesh.broker.MessageBrokerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of a {@link MeshCoordinator}, with the seed's fields; immutable, built by
 * {@link #builder()}.
 *
 * <p>When the mesh is built through {@code CoordinatorFactory} from a {@code SwarmConfig}, the
 * swarm's {@code maxAgents} and broker configuration take the place of {@link #peerCount()} and
 * {@link #brokerConfig()}.
 */
public final class MeshCoordinatorConfig {

    private final int peerCount;
    private final int maxConcurrentTasksPerPeer;
    private final boolean discoveryEnabled;
    private final Duration discoveryInterval;
    private final boolean loadBalancingEnabled;
    private final Duration completionTimeout;
    private final Path artifactStoragePath;
    private final MessageBrokerConfig brokerConfig;
    private final boolean autoRebalance;
    private final Duration rebalanceInterval;
    private final double imbalanceThreshold;

    private MeshCoordinatorConfig(Builder b) {
        this.peerCount = b.peerCount;
        this.maxConcurrentTasksPerPeer = b.maxConcurrentTasksPerPeer;
        this.discoveryEnabled = b.discoveryEnabled;
        this.discoveryInterval = b.discoveryInterval;
        this.loadBalancingEnabled = b.loadBalancingEnabled;
        this.completionTimeout = b.completionTimeout;
        this.artifactStoragePath = b.artifactStoragePath;
        this.brokerConfig = b.brokerConfig;
        this.autoRebalance = b.autoRebalance;
        this.rebalanceInterval = b.rebalanceInterval;
        this.imbalanceThreshold = b.imbalanceThreshold;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the default configuration} */
    public static MeshCoordinatorConfig defaults() {
        return builder().build();
    }

    /**
     * {@return most peers the mesh holds (default 7); the swarm's {@code maxAgents} when built from
     * one}
     */
    public int peerCount() {
        return peerCount;
    }

    /**
     * {@return tasks one peer runs at once (default 4); further tasks queue at the peer by
     * priority}
     */
    public int maxConcurrentTasksPerPeer() {
        return maxConcurrentTasksPerPeer;
    }

    /** {@return whether peers announce themselves and heartbeat over the broker (default true)} */
    public boolean discoveryEnabled() {
        return discoveryEnabled;
    }

    /** {@return how often peers re-announce and heartbeat (default 5 s)} */
    public Duration discoveryInterval() {
        return discoveryInterval;
    }

    /**
     * {@return least-loaded placement (default true); when false, a random capable peer is chosen}
     */
    public boolean loadBalancingEnabled() {
        return loadBalancingEnabled;
    }

    /** {@return timeout of {@link IMeshCoordinator#waitForMeshCompletion()} (default 30 s)} */
    public Duration completionTimeout() {
        return completionTimeout;
    }

    /**
     * {@return directory of the durable artifact store; empty for the in-memory store (default)}
     */
    public Optional<Path> artifactStoragePath() {
        return Optional.ofNullable(artifactStoragePath);
    }

    /** {@return the broker's configuration, when the mesh creates its own broker} */
    public MessageBrokerConfig brokerConfig() {
        return brokerConfig;
    }

    /**
     * {@return whether the mesh rebalances queued tasks every {@link #rebalanceInterval()} (default
     * false)}
     */
    public boolean autoRebalance() {
        return autoRebalance;
    }

    /** {@return period of automatic rebalancing (default 10 s)} */
    public Duration rebalanceInterval() {
        return rebalanceInterval;
    }

    /**
     * {@return relative spread of load, {@code (max - min) / max(1, average)}, above which the mesh
     * counts as imbalanced and rebalances (default 0.5)}
     */
    public double imbalanceThreshold() {
        return imbalanceThreshold;
    }

    /** {@return a builder starting from this configuration} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.peerCount = peerCount;
        b.maxConcurrentTasksPerPeer = maxConcurrentTasksPerPeer;
        b.discoveryEnabled = discoveryEnabled;
        b.discoveryInterval = discoveryInterval;
        b.loadBalancingEnabled = loadBalancingEnabled;
        b.completionTimeout = completionTimeout;
        b.artifactStoragePath = artifactStoragePath;
        b.brokerConfig = brokerConfig;
        b.autoRebalance = autoRebalance;
        b.rebalanceInterval = rebalanceInterval;
        b.imbalanceThreshold = imbalanceThreshold;
        return b;
    }

    @Override
    public String toString() {
        return "MeshCoordinatorConfig[peerCount=" + peerCount
                + ", maxConcurrentTasksPerPeer=" + maxConcurrentTasksPerPeer
                + ", discoveryEnabled=" + discoveryEnabled
                + ", discoveryInterval=" + discoveryInterval
                + ", loadBalancingEnabled=" + loadBalancingEnabled
                + ", completionTimeout=" + completionTimeout
                + ", artifactStoragePath=" + artifactStoragePath
                + ", autoRebalance=" + autoRebalance
                + ", rebalanceInterval=" + rebalanceInterval
                + ", imbalanceThreshold=" + imbalanceThreshold + "]";
    }

    /** Builds a {@link MeshCoordinatorConfig}; values are checked at {@link #build()}. */
    public static final class Builder {
        private int peerCount = 7;
        private int maxConcurrentTasksPerPeer = 4;
        private boolean discoveryEnabled = true;
        private Duration discoveryInterval = Duration.ofSeconds(5);
        private boolean loadBalancingEnabled = true;
        private Duration completionTimeout = Duration.ofSeconds(30);
        private Path artifactStoragePath;
        private MessageBrokerConfig brokerConfig = MessageBrokerConfig.defaults();
        private boolean autoRebalance;
        private Duration rebalanceInterval = Duration.ofSeconds(10);
        private double imbalanceThreshold = 0.5;

        private Builder() {
        }

        /**
         * Most peers, in [1, 100000].
         *
         * @param peerCount most peers the mesh holds (default 7); the swarm's {@code maxAgents}
         *     when built from one
         * @return this builder
         */
        public Builder peerCount(int peerCount) {
            this.peerCount = peerCount;
            return this;
        }

        /**
         * Tasks one peer runs at once, in [1, 10000].
         *
         * @param max tasks one peer runs at once (default 4); further tasks queue at the peer by
         *     priority
         * @return this builder
         */
        public Builder maxConcurrentTasksPerPeer(int max) {
            this.maxConcurrentTasksPerPeer = max;
            return this;
        }

        /**
         * Turns discovery on or off.
         *
         * @param enabled whether peers announce themselves and heartbeat over the broker (default
         *     true)
         * @return this builder
         */
        public Builder discoveryEnabled(boolean enabled) {
            this.discoveryEnabled = enabled;
            return this;
        }

        /**
         * Announce and heartbeat period; positive, at most 20 months (a sixth of 10 years).
         *
         * @param interval how often peers re-announce and heartbeat (default 5 s)
         * @return this builder
         */
        public Builder discoveryInterval(Duration interval) {
            this.discoveryInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Turns least-loaded placement on or off.
         *
         * @param enabled least-loaded placement (default true); when false, a random capable peer
         *     is chosen
         * @return this builder
         */
        public Builder loadBalancingEnabled(boolean enabled) {
            this.loadBalancingEnabled = enabled;
            return this;
        }

        /**
         * Default completion timeout; positive.
         *
         * @param timeout timeout of {@link IMeshCoordinator#waitForMeshCompletion()} (default 30 s)
         * @return this builder
         */
        public Builder completionTimeout(Duration timeout) {
            this.completionTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Directory of the durable artifact store.
         *
         * @param path directory of the durable artifact store; empty for the in-memory store
         *     (default)
         * @return this builder
         */
        public Builder artifactStoragePath(Path path) {
            this.artifactStoragePath = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * The broker's configuration.
         *
         * @param config the broker's configuration, when the mesh creates its own broker
         * @return this builder
         */
        public Builder brokerConfig(MessageBrokerConfig config) {
            this.brokerConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Turns periodic rebalancing on or off.
         *
         * @param enabled whether the mesh rebalances queued tasks every
         *     {@link #rebalanceInterval()} (default false)
         * @return this builder
         */
        public Builder autoRebalance(boolean enabled) {
            this.autoRebalance = enabled;
            return this;
        }

        /**
         * Rebalancing period; positive, at most 10 years.
         *
         * @param interval period of automatic rebalancing (default 10 s)
         * @return this builder
         */
        public Builder rebalanceInterval(Duration interval) {
            this.rebalanceInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Imbalance threshold, in [0, 1000].
         *
         * @param threshold relative spread of load, {@code (max - min) / max(1, average)}, above
         *     which the mesh counts as imbalanced and rebalances (default 0.5)
         * @return this builder
         */
        public Builder imbalanceThreshold(double threshold) {
            this.imbalanceThreshold = threshold;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return a new {@code MeshCoordinatorConfig} with this builder's settings
         */
        public MeshCoordinatorConfig build() {
            checkRange("peerCount", peerCount, 1, 100_000);
            checkRange("maxConcurrentTasksPerPeer", maxConcurrentTasksPerPeer, 1, 10_000);
            // peers re-announce every six intervals (PeerDiscoveryConfig.discoveryInterval)
            checkPositive("discoveryInterval", discoveryInterval, MAX_TIMER.dividedBy(6));
            checkPositive("completionTimeout", completionTimeout);
            checkPositive("rebalanceInterval", rebalanceInterval, MAX_TIMER);
            checkRange("imbalanceThreshold", imbalanceThreshold, 0.0, 1000.0);
            return new MeshCoordinatorConfig(this);
        }
    }
}
