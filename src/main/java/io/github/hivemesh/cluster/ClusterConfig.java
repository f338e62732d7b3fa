package io.github.hivemesh.cluster;

import static io.github.hivemesh.internal.util.Preconditions.checkNotBlank;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a member joins a cluster; immutable, built by {@link #builder()}. A bad value fails at
 * {@link Builder#build()} naming the field, the value and the allowed range.
 *
 * <h2>The default stack</h2>
 * Without {@link #stackXml()} or {@link #transportFactory()}, the JGroups transport builds the
 * protocols of JGroups 5.5's own {@code tcp.xml} (TCP, TCPPING, MERGE3, FD_SOCK2, FD_ALL3,
 * VERIFY_SUSPECT2, NAKACK2, UNICAST3, STABLE, GMS, MFC, UFC, FRAG2) from the fields below: TCP
 * bound to {@link #bindAddress()} (loopback by default, so nothing leaves the machine unless
 * asked), discovery only by asking {@link #initialMembers()} (no multicast), JGroups'
 * diagnostics probe off. Failure detection: a crashed process's sockets close and FD_SOCK2
 * suspects it at once; a hung one misses heartbeats ({@link #failureDetectionInterval()}) for
 * {@link #failureDetectionTimeout()}; either is then given
 * {@link #suspectVerificationTimeout()} to answer before it is excluded (docs/cluster.md has
 * the times these defaults give).
 *
 * <h2>Behind NAT, a port mapping or a proxy</h2>
 * Other members connect to the address a member advertises, which is the address TCP bound
 * unless {@link #advertisedAddress()} says otherwise (JGroups' {@code external_addr} and
 * {@code external_port}). FD_SOCK2 derives its own port from the advertised one: it listens on
 * the bind address at the advertised port + 100 (or one of the 3 above it), and other members
 * connect to the advertised host at that port, so whatever forwards the advertised port must
 * forward that port, unchanged, too. A stack XML sets {@code external_addr} and
 * {@code external_port} on its TCP itself.
 *
 * <h2>TLS</h2>
 * {@link #tls()} turns on mutual TLS on the TCP transport. {@link #requireTls()} makes a
 * transport refuse to start without it; binding to a non-loopback address without TLS, or
 * binding to loopback but advertising a non-loopback {@link #advertisedAddress()}, logs a
 * warning at start.
 */
public final class ClusterConfig {

    /** Default cluster name. */
    public static final String DEFAULT_CLUSTER_NAME = "hivemesh";
    /** Default TCP port (JGroups' own default). */
    public static final int DEFAULT_BIND_PORT = 7800;
    /** Default number of ports above the bind port tried, and probed by discovery. */
    public static final int DEFAULT_PORT_RANGE = 2;
    /** Default interval between heartbeats (and checks for missing ones). */
    public static final Duration DEFAULT_FAILURE_DETECTION_INTERVAL = Duration.ofSeconds(1);
    /** Default time without a heartbeat after which a member is suspected. */
    public static final Duration DEFAULT_FAILURE_DETECTION_TIMEOUT = Duration.ofSeconds(5);
    /** Default time a suspected member has to answer before it is excluded. */
    public static final Duration DEFAULT_SUSPECT_VERIFICATION_TIMEOUT = Duration.ofSeconds(1);
    /** Default time a joining member waits for the coordinator (or for anyone to answer). */
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(2);
    /** Default shortest interval between two checks for partitions to merge. */
    public static final Duration DEFAULT_MERGE_MIN_INTERVAL = Duration.ofSeconds(5);
    /** Default longest interval between two checks for partitions to merge. */
    public static final Duration DEFAULT_MERGE_MAX_INTERVAL = Duration.ofSeconds(15);
    /** Default largest payload of one message. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 << 20;

    private static final Pattern HOST_PORT = Pattern.compile("([^\\[\\],\\s]+)\\[(\\d{1,5})]");
    /** The fields only the default stack reads; a stack XML sets them itself. */
    private static final List<String> STACK_FIELDS = List.of("bindAddress", "bindPort",
            "portRange", "advertisedAddress", "initialMembers", "failureDetectionInterval",
            "failureDetectionTimeout", "suspectVerificationTimeout", "joinTimeout",
            "mergeMinInterval", "mergeMaxInterval");

    private final String clusterName;
    private final String memberName;
    private final InetAddress bindAddress;
    private final int bindPort;
    private final int portRange;
    private final InetSocketAddress advertisedAddress;
    private final List<String> initialMembers;
    private final Duration failureDetectionInterval;
    private final Duration failureDetectionTimeout;
    private final Duration suspectVerificationTimeout;
    private final Duration joinTimeout;
    private final Duration mergeMinInterval;
    private final Duration mergeMaxInterval;
    private final int maxMessageSize;
    private final URL stackXml;
    private final ClusterTransportFactory transportFactory;
    private final ClusterTls tls;
    private final boolean requireTls;
    private final Builder source;

    private ClusterConfig(Builder b) {
        this.clusterName = b.clusterName;
        this.memberName = b.memberName != null ? b.memberName
                : "member-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 24, 36);
        this.bindAddress = b.bindAddress;
        this.bindPort = b.bindPort;
        this.portRange = b.portRange;
        this.advertisedAddress = b.advertisedAddress;
        this.initialMembers = b.initialMembers.isEmpty()
                ? List.of(hostPort(b.bindAddress, b.bindPort)) : List.copyOf(b.initialMembers);
        this.failureDetectionInterval = b.failureDetectionInterval;
        this.failureDetectionTimeout = b.failureDetectionTimeout;
        this.suspectVerificationTimeout = b.suspectVerificationTimeout;
        this.joinTimeout = b.joinTimeout;
        this.mergeMinInterval = b.mergeMinInterval;
        this.mergeMaxInterval = b.mergeMaxInterval;
        this.maxMessageSize = b.maxMessageSize;
        this.stackXml = b.stackXml;
        this.transportFactory = b.transportFactory;
        this.tls = b.tls;
        this.requireTls = b.requireTls;
        this.source = b.copy();
        this.source.memberName = memberName;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the default configuration (a random member name)} */
    public static ClusterConfig defaults() {
        return builder().build();
    }

    /**
     * {@return the cluster (JGroups cluster name) to join; members of different clusters never
     * talk}
     */
    public String clusterName() {
        return clusterName;
    }

    /** {@return the stable name of this member (default: {@code member-} and a random suffix)} */
    public String memberName() {
        return memberName;
    }

    /** {@return the address TCP binds to (default loopback)} */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** {@return the first TCP port tried (default 7800; 0 picks a free one)} */
    public int bindPort() {
        return bindPort;
    }

    /**
     * Ports above {@link #bindPort()} tried when it is taken, and probed by discovery.
     *
     * @return how many ports above the bind port are tried
     */
    public int portRange() {
        return portRange;
    }

    /**
     * The address other members connect to, when it is not the one TCP bound: a member behind
     * NAT, a container's port mapping or a proxy advertises the outside address. Port 0
     * advertises the port TCP bound, on the given host. Empty by default: the bound address is
     * advertised. See the class comment for the port FD_SOCK2 uses.
     *
     * @return the address other members connect to, if it is not the bound one
     */
    public Optional<InetSocketAddress> advertisedAddress() {
        return Optional.ofNullable(advertisedAddress);
    }

    /**
     * {@return members asked at join, as {@code host[port]} (default: {@link #bindAddress()} at
     * {@link #bindPort()}); each is probed at its port and the {@link #portRange()} above it}
     */
    public List<String> initialMembers() {
        return initialMembers;
    }

    /** {@return interval between heartbeats, and between checks for missing ones (FD_ALL3)} */
    public Duration failureDetectionInterval() {
        return failureDetectionInterval;
    }

    /**
     * {@return time without any message or heartbeat after which a member is suspected (FD_ALL3)}
     */
    public Duration failureDetectionTimeout() {
        return failureDetectionTimeout;
    }

    /** {@return time a suspected member has to answer before it is excluded (VERIFY_SUSPECT2)} */
    public Duration suspectVerificationTimeout() {
        return suspectVerificationTimeout;
    }

    /** {@return time a joining member waits for answers and for the coordinator (GMS)} */
    public Duration joinTimeout() {
        return joinTimeout;
    }

    /** {@return shortest interval between checks for partitions to merge (MERGE3)} */
    public Duration mergeMinInterval() {
        return mergeMinInterval;
    }

    /** {@return longest interval between checks for partitions to merge (MERGE3)} */
    public Duration mergeMaxInterval() {
        return mergeMaxInterval;
    }

    /** {@return largest payload of one message, in bytes; larger ones are refused or dropped} */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** {@return a JGroups XML stack of the user's, in place of the default stack} */
    public Optional<URL> stackXml() {
        return Optional.ofNullable(stackXml);
    }

    /** {@return a transport factory of the user's (e.g. one handing out ready JGroups channels)} */
    public Optional<ClusterTransportFactory> transportFactory() {
        return Optional.ofNullable(transportFactory);
    }

    /** {@return mutual TLS settings, if any} */
    public Optional<ClusterTls> tls() {
        return Optional.ofNullable(tls);
    }

    /** {@return whether a transport refuses to start without mutual TLS (default off)} */
    public boolean requireTls() {
        return requireTls;
    }

    /** {@return a builder starting from this configuration (with this member name)} */
    public Builder toBuilder() {
        return source.copy();
    }

    @Override
    public String toString() {
        return "ClusterConfig[clusterName=" + clusterName + ", memberName=" + memberName
                + ", bindAddress=" + bindAddress.getHostAddress() + ", bindPort=" + bindPort
                + ", portRange=" + portRange + ", advertisedAddress="
                + (advertisedAddress == null ? "bound" : hostPort(advertisedAddress.getAddress(),
                        advertisedAddress.getPort())) + ", initialMembers=" + initialMembers
                + ", failureDetectionInterval=" + failureDetectionInterval
                + ", failureDetectionTimeout=" + failureDetectionTimeout
                + ", suspectVerificationTimeout=" + suspectVerificationTimeout
                + ", joinTimeout=" + joinTimeout + ", mergeMinInterval=" + mergeMinInterval
                + ", mergeMaxInterval=" + mergeMaxInterval + ", maxMessageSize="
                + maxMessageSize + ", stackXml=" + stackXml + ", transportFactory="
                + (transportFactory == null ? "default" : transportFactory) + ", tls="
                + (tls == null ? "off" : tls) + ", requireTls=" + requireTls + "]";
    }

    private static String hostPort(InetAddress address, int port) {
        return address.getHostAddress() + "[" + port + "]";
    }

    /** Builds a {@link ClusterConfig}; every setter validates at {@link #build()}. */
    public static final class Builder {
        private String clusterName = DEFAULT_CLUSTER_NAME;
        private String memberName;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int bindPort = DEFAULT_BIND_PORT;
        private int portRange = DEFAULT_PORT_RANGE;
        private InetSocketAddress advertisedAddress;
        private List<String> initialMembers = List.of();
        private Duration failureDetectionInterval = DEFAULT_FAILURE_DETECTION_INTERVAL;
        private Duration failureDetectionTimeout = DEFAULT_FAILURE_DETECTION_TIMEOUT;
        private Duration suspectVerificationTimeout = DEFAULT_SUSPECT_VERIFICATION_TIMEOUT;
        private Duration joinTimeout = DEFAULT_JOIN_TIMEOUT;
        private Duration mergeMinInterval = DEFAULT_MERGE_MIN_INTERVAL;
        private Duration mergeMaxInterval = DEFAULT_MERGE_MAX_INTERVAL;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private URL stackXml;
        private ClusterTransportFactory transportFactory;
        private ClusterTls tls;
        private boolean requireTls;
        private Set<String> stackFieldsSet = new LinkedHashSet<>();

        private Builder() {
        }

        private Builder copy() {
            Builder b = new Builder();
            b.clusterName = clusterName;
            b.memberName = memberName;
            b.bindAddress = bindAddress;
            b.bindPort = bindPort;
            b.portRange = portRange;
            b.advertisedAddress = advertisedAddress;
            b.initialMembers = initialMembers;
            b.failureDetectionInterval = failureDetectionInterval;
            b.failureDetectionTimeout = failureDetectionTimeout;
            b.suspectVerificationTimeout = suspectVerificationTimeout;
            b.joinTimeout = joinTimeout;
            b.mergeMinInterval = mergeMinInterval;
            b.mergeMaxInterval = mergeMaxInterval;
            b.maxMessageSize = maxMessageSize;
            b.stackXml = stackXml;
            b.transportFactory = transportFactory;
            b.tls = tls;
            b.requireTls = requireTls;
            b.stackFieldsSet = new LinkedHashSet<>(stackFieldsSet);
            return b;
        }

        /**
         * The cluster to join: not blank, at most 255 characters.
         *
         * @param name the cluster (JGroups cluster name) to join; members of different clusters
         *     never talk
         * @return this builder
         */
        public Builder clusterName(String name) {
            this.clusterName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * This member's stable name: not blank, at most 255 bytes of UTF-8.
         *
         * @param name the stable name of this member (default: {@code member-} and a random suffix)
         * @return this builder
         */
        public Builder memberName(String name) {
            this.memberName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * The address to bind to (default loopback).
         *
         * @param address the address TCP binds to (default loopback)
         * @return this builder
         */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "address");
            stackFieldsSet.add("bindAddress");
            return this;
        }

        /**
         * The first port tried, in [0, 65535]; 0 picks a free one.
         *
         * @param port the first TCP port tried (default 7800; 0 picks a free one)
         * @return this builder
         */
        public Builder bindPort(int port) {
            this.bindPort = port;
            stackFieldsSet.add("bindPort");
            return this;
        }

        /**
         * Ports above the bind port tried and probed, in [0, 100].
         *
         * @param range ports above {@link #bindPort()} tried when it is taken, and probed by
         *     discovery
         * @return this builder
         */
        public Builder portRange(int range) {
            this.portRange = range;
            stackFieldsSet.add("portRange");
            return this;
        }

        /**
         * The address other members connect to, for a member behind NAT, a port mapping or a
         * proxy: resolved, neither the wildcard nor a multicast address; port 0 advertises the
         * port TCP bound. Whatever forwards its port must forward its port + 100 (FD_SOCK2's,
         * see {@link ClusterConfig}) to the same port on this member too.
         *
         * @param address the address other members connect to, if it is not the bound one
         * @return this builder
         */
        public Builder advertisedAddress(InetSocketAddress address) {
            this.advertisedAddress = Objects.requireNonNull(address, "address");
            stackFieldsSet.add("advertisedAddress");
            return this;
        }

        /**
         * Members to ask at join, each {@code host[port]} with a port in [1, 65535].
         *
         * @param members members asked at join, as {@code host[port]} (default:
         *     {@link #bindAddress()} at {@link #bindPort()}); each is probed at its port and the
         *     {@link #portRange()} above it
         * @return this builder
         */
        public Builder initialMembers(List<String> members) {
            Objects.requireNonNull(members, "members");
            this.initialMembers = new ArrayList<>(members);
            stackFieldsSet.add("initialMembers");
            return this;
        }

        /**
         * Heartbeat interval, in [10 ms, 1 min].
         *
         * @param interval interval between heartbeats, and between checks for missing ones
         *     (FD_ALL3)
         * @return this builder
         */
        public Builder failureDetectionInterval(Duration interval) {
            this.failureDetectionInterval = Objects.requireNonNull(interval, "interval");
            stackFieldsSet.add("failureDetectionInterval");
            return this;
        }

        /**
         * Time without heartbeats before suspicion, in [20 ms, 10 min], ≥ 2 × interval.
         *
         * @param timeout time without any message or heartbeat after which a member is suspected
         *     (FD_ALL3)
         * @return this builder
         */
        public Builder failureDetectionTimeout(Duration timeout) {
            this.failureDetectionTimeout = Objects.requireNonNull(timeout, "timeout");
            stackFieldsSet.add("failureDetectionTimeout");
            return this;
        }

        /**
         * Time a suspect has to answer, in [1 ms, 1 min].
         *
         * @param timeout time a suspected member has to answer before it is excluded
         *     (VERIFY_SUSPECT2)
         * @return this builder
         */
        public Builder suspectVerificationTimeout(Duration timeout) {
            this.suspectVerificationTimeout = Objects.requireNonNull(timeout, "timeout");
            stackFieldsSet.add("suspectVerificationTimeout");
            return this;
        }

        /**
         * Join timeout, in [10 ms, 10 min].
         *
         * @param timeout time a joining member waits for answers and for the coordinator (GMS)
         * @return this builder
         */
        public Builder joinTimeout(Duration timeout) {
            this.joinTimeout = Objects.requireNonNull(timeout, "timeout");
            stackFieldsSet.add("joinTimeout");
            return this;
        }

        /**
         * Shortest merge-check interval, in [100 ms, 1 h], below the longest.
         *
         * @param interval shortest interval between checks for partitions to merge (MERGE3)
         * @return this builder
         */
        public Builder mergeMinInterval(Duration interval) {
            this.mergeMinInterval = Objects.requireNonNull(interval, "interval");
            stackFieldsSet.add("mergeMinInterval");
            return this;
        }

        /**
         * Longest merge-check interval, in [100 ms, 1 h], above the shortest.
         *
         * @param interval longest interval between checks for partitions to merge (MERGE3)
         * @return this builder
         */
        public Builder mergeMaxInterval(Duration interval) {
            this.mergeMaxInterval = Objects.requireNonNull(interval, "interval");
            stackFieldsSet.add("mergeMaxInterval");
            return this;
        }

        /**
         * Largest payload, in bytes, in [1024, 2^30].
         *
         * @param bytes largest payload of one message, in bytes; larger ones are refused or dropped
         * @return this builder
         */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * A JGroups XML stack file instead of the default stack.
         *
         * @param file a JGroups XML stack of the user's, in place of the default stack
         * @return this builder
         */
        public Builder stackXml(Path file) {
            Objects.requireNonNull(file, "file");
            try {
                this.stackXml = file.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("stackXml must be a file path, was " + file, e);
            }
            return this;
        }

        /**
         * A JGroups XML stack (file, jar or class-path URL) instead of the default stack.
         *
         * @param url a JGroups XML stack of the user's, in place of the default stack
         * @return this builder
         */
        public Builder stackXml(URL url) {
            this.stackXml = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * A transport factory instead of the default JGroups one.
         *
         * @param factory a transport factory of the user's (e.g. one handing out ready JGroups
         *     channels)
         * @return this builder
         */
        public Builder transportFactory(ClusterTransportFactory factory) {
            this.transportFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Mutual TLS on the transport.
         *
         * @param settings mutual TLS settings, if any
         * @return this builder
         */
        public Builder tls(ClusterTls settings) {
            this.tls = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Refuse to start without mutual TLS (default off).
         *
         * @param required whether a transport refuses to start without mutual TLS (default off)
         * @return this builder
         */
        public Builder requireTls(boolean required) {
            this.requireTls = required;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return a new {@code ClusterConfig} with this builder's settings
         */
        public ClusterConfig build() {
            checkNotBlank("clusterName", clusterName);
            checkRange("clusterName length", clusterName.length(), 1, 255);
            if (memberName != null) {
                try {
                    new MemberId(memberName, 0);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("memberName: " + e.getMessage(), e);
                }
            }
            checkRange("bindPort", bindPort, 0, 65_535);
            checkRange("portRange", portRange, 0, 100);
            if (advertisedAddress != null) {
                checkAdvertised(advertisedAddress);
            }
            for (int i = 0; i < initialMembers.size(); i++) {
                checkHostPort("initialMembers[" + i + "]", initialMembers.get(i));
            }
            checkDuration("failureDetectionInterval", failureDetectionInterval,
                    Duration.ofMillis(10), Duration.ofMinutes(1));
            checkDuration("failureDetectionTimeout", failureDetectionTimeout,
                    Duration.ofMillis(20), Duration.ofMinutes(10));
            if (failureDetectionTimeout.compareTo(failureDetectionInterval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("failureDetectionTimeout must be at least "
                        + "2 × failureDetectionInterval (" + failureDetectionInterval
                        .multipliedBy(2) + "), was " + failureDetectionTimeout);
            }
            checkDuration("suspectVerificationTimeout", suspectVerificationTimeout,
                    Duration.ofMillis(1), Duration.ofMinutes(1));
            checkDuration("joinTimeout", joinTimeout, Duration.ofMillis(10),
                    Duration.ofMinutes(10));
            checkDuration("mergeMinInterval", mergeMinInterval, Duration.ofMillis(100),
                    Duration.ofHours(1));
            checkDuration("mergeMaxInterval", mergeMaxInterval, Duration.ofMillis(100),
                    Duration.ofHours(1));
            if (mergeMaxInterval.compareTo(mergeMinInterval) <= 0) {
                throw new IllegalArgumentException("mergeMaxInterval must be longer than "
                        + "mergeMinInterval (" + mergeMinInterval + "), was " + mergeMaxInterval);
            }
            checkRange("maxMessageSize", maxMessageSize, 1024, 1 << 30);
            if (stackXml != null && transportFactory != null) {
                throw new IllegalArgumentException("stackXml and transportFactory are "
                        + "alternatives: give one");
            }
            if (stackXml != null && !stackFieldsSet.isEmpty()) {
                throw new IllegalArgumentException(stackFieldsSet.iterator().next()
                        + " cannot be combined with stackXml: the XML's own settings apply, "
                        + "set it there (fields of the default stack: " + STACK_FIELDS + ")");
            }
            if (requireTls && tls == null && stackXml == null && transportFactory == null) {
                throw new IllegalArgumentException("requireTls is set but no tls(...) is "
                        + "given: the default stack would run in plaintext");
            }
            return new ClusterConfig(this);
        }

        private static void checkAdvertised(InetSocketAddress address) {
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("advertisedAddress must be resolved (an IP "
                        + "address, or a host name that resolves), was " + address);
            }
            if (address.getAddress().isAnyLocalAddress()
                    || address.getAddress().isMulticastAddress()) {
                throw new IllegalArgumentException("advertisedAddress must be an address other "
                        + "members can connect to, not a wildcard or multicast one, was "
                        + address);
            }
        }

        private static void checkHostPort(String field, String value) {
            Objects.requireNonNull(value, field);
            Matcher m = HOST_PORT.matcher(value);
            if (!m.matches() || Integer.parseInt(m.group(2)) < 1
                    || Integer.parseInt(m.group(2)) > 65_535) {
                throw new IllegalArgumentException(field + " must be host[port] with a port in "
                        + "[1, 65535], was '" + value + "'");
            }
        }

        private static void checkDuration(String field, Duration value, Duration min,
                Duration max) {
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(field + " must be in [" + min + ", " + max
                        + "], was " + value);
            }
        }
    }
}
