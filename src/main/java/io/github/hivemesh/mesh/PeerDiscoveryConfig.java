package io.github.hivemesh.mesh;

import static io.github.hivemesh.internal.util.Preconditions.MAX_TIMER;
import static io.github.hivemesh.internal.util.Preconditions.checkPositive;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of a {@link PeerDiscoverySystem}; immutable, built by {@link #builder()}.
 *
 * <ul>
 *   <li>{@link #heartbeatInterval()}: how often a peer tells every peer it knows that it is
 *       alive, and checks who has gone silent.</li>
 *   <li>{@link #peerTimeout()}: a peer silent for longer is stale: excluded from lookups until
 *       it is heard again. Must exceed the heartbeat interval.</li>
 *   <li>{@link #discoveryInterval()}: how often a peer re-announces itself to the whole swarm,
 *       which every peer answers (rediscovery: heals views after partitions).</li>
 *   <li>{@link #evictionTimeout()}: a peer silent for longer is forgotten altogether (it is found
 *       again by its next heartbeat or announcement). At least the peer timeout.</li>
 *   <li>{@link #enableArtifactSharing()}: announcements carry {@link PeerInfo} as MessagePack
 *       bytes ({@link PeerInfoCodec}) instead of an object — what a broker between JVMs
 *       needs; off by default in-process.</li>
 * </ul>
 */
public final class PeerDiscoveryConfig {

    /** Default heartbeat interval. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    /** Default peer timeout. */
    public static final Duration DEFAULT_PEER_TIMEOUT = Duration.ofSeconds(15);
    /** Default discovery interval. */
    public static final Duration DEFAULT_DISCOVERY_INTERVAL = Duration.ofSeconds(30);
    /** Default eviction timeout. */
    public static final Duration DEFAULT_EVICTION_TIMEOUT = Duration.ofMinutes(5);

    private final Duration heartbeatInterval;
    private final Duration peerTimeout;
    private final Duration discoveryInterval;
    private final Duration evictionTimeout;
    private final boolean enableArtifactSharing;

    private PeerDiscoveryConfig(Builder b) {
        this.heartbeatInterval = b.heartbeatInterval;
        this.peerTimeout = b.peerTimeout;
        this.discoveryInterval = b.discoveryInterval;
        this.evictionTimeout = b.evictionTimeout;
        this.enableArtifactSharing = b.enableArtifactSharing;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the default configuration} */
    public static PeerDiscoveryConfig defaults() {
        return builder().build();
    }

    /** {@return how often heartbeats are sent and silence is checked} */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** {@return silence after which a peer is stale} */
    public Duration peerTimeout() {
        return peerTimeout;
    }

    /** {@return how often the peer re-announces itself to the swarm} */
    public Duration discoveryInterval() {
        return discoveryInterval;
    }

    /** {@return silence after which a peer is forgotten} */
    public Duration evictionTimeout() {
        return evictionTimeout;
    }

    /** {@return whether announcements carry MessagePack bytes rather than objects} */
    public boolean enableArtifactSharing() {
        return enableArtifactSharing;
    }

    /** {@return a builder starting from this configuration} */
    public Builder toBuilder() {
        return new Builder().heartbeatInterval(heartbeatInterval).peerTimeout(peerTimeout)
                .discoveryInterval(discoveryInterval).evictionTimeout(evictionTimeout)
                .enableArtifactSharing(enableArtifactSharing);
    }

    @Override
    public String toString() {
        return "PeerDiscoveryConfig[heartbeatInterval=" + heartbeatInterval + ", peerTimeout="
                + peerTimeout + ", discoveryInterval=" + discoveryInterval + ", evictionTimeout="
                + evictionTimeout + ", enableArtifactSharing=" + enableArtifactSharing + "]";
    }

    /** Builds a {@link PeerDiscoveryConfig}; values are checked at {@link #build()}. */
    public static final class Builder {
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration peerTimeout = DEFAULT_PEER_TIMEOUT;
        private Duration discoveryInterval = DEFAULT_DISCOVERY_INTERVAL;
        private Duration evictionTimeout = DEFAULT_EVICTION_TIMEOUT;
        private boolean enableArtifactSharing;

        private Builder() {
        }

        /**
         * Heartbeat interval; positive, less than the peer timeout, at most 10 years.
         *
         * @param interval how often heartbeats are sent and silence is checked
         * @return this builder
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Peer timeout; greater than the heartbeat interval, at most 10 years.
         *
         * @param timeout silence after which a peer is stale
         * @return this builder
         */
        public Builder peerTimeout(Duration timeout) {
            this.peerTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Rediscovery interval; positive, at most 10 years.
         *
         * @param interval how often the peer re-announces itself to the swarm
         * @return this builder
         */
        public Builder discoveryInterval(Duration interval) {
            this.discoveryInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Eviction timeout; at least the peer timeout, at most 10 years.
         *
         * @param timeout silence after which a peer is forgotten
         * @return this builder
         */
        public Builder evictionTimeout(Duration timeout) {
            this.evictionTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Send {@link PeerInfo} as MessagePack bytes (default off).
         *
         * @param enabled whether announcements carry MessagePack bytes rather than objects
         * @return this builder
         */
        public Builder enableArtifactSharing(boolean enabled) {
            this.enableArtifactSharing = enabled;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return a new {@code PeerDiscoveryConfig} with this builder's settings
         */
        public PeerDiscoveryConfig build() {
            checkPositive("heartbeatInterval", heartbeatInterval, MAX_TIMER);
            checkPositive("peerTimeout", peerTimeout, MAX_TIMER);
            checkPositive("discoveryInterval", discoveryInterval, MAX_TIMER);
            checkPositive("evictionTimeout", evictionTimeout, MAX_TIMER);
            if (peerTimeout.compareTo(heartbeatInterval) <= 0) {
                throw new IllegalArgumentException("peerTimeout must be greater than "
                        + "heartbeatInterval (" + heartbeatInterval + "), was " + peerTimeout);
            }
            if (evictionTimeout.compareTo(peerTimeout) < 0) {
                throw new IllegalArgumentException("evictionTimeout must be at least "
                        + "peerTimeout (" + peerTimeout + "), was " + evictionTimeout);
            }
            return new PeerDiscoveryConfig(this);
        }
    }
}
