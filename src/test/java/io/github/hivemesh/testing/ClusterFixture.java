package io.github.hivemesh.testing;

import static org.awaitility.Awaitility.await;

import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.ClusterView;
import io.github.hivemesh.cluster.MemberId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * A cluster of a few members in this JVM, over JGroups TCP on 127.0.0.1 with free ports and
 * short join and failure-detection timeouts ({@link #fast}), for tests to build on:
 *
 * <pre>{@code
 * try (ClusterFixture cluster = ClusterFixture.start(3)) {
 *     cluster.transport(0).send(cluster.id(1), bytes);
 *     ... cluster.listener(1).messages() ...
 * }
 * }</pre>
 *
 * <p>Members start one after the other (the first forms the cluster, the others join it), so
 * the first view is one view of all, without a merge. Each cluster gets a fresh name, so
 * fixtures of different tests never meet. {@link #close()} closes every member.
 */
public final class ClusterFixture implements AutoCloseable {

    /** Heartbeat interval of {@link #fast}. */
    public static final Duration HEARTBEAT = Duration.ofMillis(200);
    /** Suspicion timeout of {@link #fast}: generous against a loaded CI machine. */
    public static final Duration SUSPECT_AFTER = Duration.ofMillis(1500);
    /** Verification timeout of {@link #fast}. */
    public static final Duration VERIFY = Duration.ofMillis(300);
    /** Join timeout of {@link #fast}. */
    public static final Duration JOIN = Duration.ofMillis(500);

    private final String clusterName;
    private final List<Integer> ports;
    private final List<ClusterTransport> transports = new ArrayList<>();
    private final List<RecordingListener> listeners = new ArrayList<>();

    private ClusterFixture(String clusterName, List<Integer> ports) {
        this.clusterName = clusterName;
        this.ports = ports;
    }

    /** {@code members} members of a new cluster, all in one view. */
    public static ClusterFixture start(int members) {
        return start(members, b -> b);
    }

    /** Likewise, each member's config passed through {@code customize} first. */
    public static ClusterFixture start(int members, UnaryOperator<ClusterConfig.Builder> customize) {
        ClusterFixture fixture = new ClusterFixture(freshClusterName(), freePorts(members));
        try {
            for (int i = 0; i < members; i++) {
                fixture.join(i, customize);
            }
            fixture.awaitOneView();
        } catch (RuntimeException | Error e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    /** A cluster name no other fixture uses. */
    public static String freshClusterName() {
        return "hm-test-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 16, 36);
    }

    /**
     * A config on 127.0.0.1 at {@code ports.get(index)}, asking all of {@code ports} at join,
     * with short timeouts: heartbeats every {@link #HEARTBEAT}, suspicion after
     * {@link #SUSPECT_AFTER}, {@link #VERIFY} to answer, {@link #JOIN} to join, merges checked
     * every 0.5–2 s.
     */
    public static ClusterConfig.Builder fast(String clusterName, String memberName,
            List<Integer> ports, int index) {
        List<String> initial = new ArrayList<>();
        for (int port : ports) {
            initial.add("127.0.0.1[" + port + "]");
        }
        return ClusterConfig.builder().clusterName(clusterName).memberName(memberName)
                .bindAddress(InetAddress.getLoopbackAddress()).bindPort(ports.get(index))
                .portRange(0).initialMembers(initial)
                .failureDetectionInterval(HEARTBEAT).failureDetectionTimeout(SUSPECT_AFTER)
                .suspectVerificationTimeout(VERIFY).joinTimeout(JOIN)
                .mergeMinInterval(Duration.ofMillis(500)).mergeMaxInterval(Duration.ofSeconds(2));
    }

    /**
     * {@code count} distinct TCP ports that were free a moment ago, each with FD_SOCK2's own
     * port (the transport's port + 100) free too. They are taken outside the kernel's
     * ephemeral range: a port from that range (what {@code new ServerSocket(0)} hands out) can
     * be taken between this call and the member's bind as the local port of an outgoing
     * connection — the members' own to each other — and the join then fails with "no
     * available port". They are 4 apart and never 100 apart, so no member's port falls in
     * another's FD_SOCK2 range (port + 100 to port + 103 in JGroups 5.5).
     */
    public static List<Integer> freePorts(int count) {
        int[] gap = portsOutsideEphemeralRange();
        int low = gap[0];
        int slots = (gap[1] - low) / PORT_STEP;
        List<ServerSocket> sockets = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try {
            int slot = ThreadLocalRandom.current().nextInt(slots);
            for (int tried = 0; ports.size() < count; tried++) {
                if (tried == slots) {
                    throw new IllegalStateException("no " + count + " free ports in [" + low
                            + ", " + gap[1] + ")");
                }
                slot = (slot + 1) % slots;
                int candidate = low + slot * PORT_STEP;
                if (ports.contains(candidate - FD_SOCK_OFFSET)
                        || ports.contains(candidate + FD_SOCK_OFFSET)) {
                    continue;
                }
                ServerSocket transport = bound(candidate);
                ServerSocket failureDetection = transport == null ? null
                        : bound(candidate + FD_SOCK_OFFSET);
                if (failureDetection == null) {
                    if (transport != null) {
                        closeQuietly(transport);
                    }
                    continue;
                }
                sockets.add(transport);
                sockets.add(failureDetection);
                ports.add(candidate);
            }
            return ports;
        } finally {
            sockets.forEach(ClusterFixture::closeQuietly);
        }
    }

    private static final int FD_SOCK_OFFSET = 100;
    /** FD_SOCK2 binds one of port + 100 .. port + 103: members 4 apart never share one. */
    private static final int PORT_STEP = 4;
    private static final int LOWEST_PORT = 10_000;
    private static final int ROOM = FD_SOCK_OFFSET + PORT_STEP;

    /**
     * The larger of the port ranges below and above the kernel's ephemeral range (Linux's
     * {@code ip_local_port_range}; 32768–60999 elsewhere), as {@code [from, to)} with room
     * for FD_SOCK2's ports; everything from 10000 up if neither is usable (then a pick
     * may race with an outgoing connection, as before).
     */
    private static int[] portsOutsideEphemeralRange() {
        int ephemeralLow = 32_768;
        int ephemeralHigh = 60_999;
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim().split("\\s+");
            ephemeralLow = Integer.parseInt(range[0]);
            ephemeralHigh = Integer.parseInt(range[1]);
        } catch (IOException | RuntimeException e) {
            // not Linux: the IANA-like default above
        }
        int[] below = {LOWEST_PORT, ephemeralLow - ROOM};
        int[] above = {ephemeralHigh + 1, 65_536 - ROOM};
        int[] larger = below[1] - below[0] >= above[1] - above[0] ? below : above;
        return larger[1] - larger[0] >= 100 * PORT_STEP ? larger
                : new int[] {LOWEST_PORT, 65_536 - ROOM};
    }

    /** A server socket bound to {@code port} on loopback, or null if it is taken. */
    private static ServerSocket bound(int port) {
        try {
            return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
        } catch (IOException taken) {
            return null;
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // it was only held to keep the port from being handed out twice
        }
    }

    private void join(int index, UnaryOperator<ClusterConfig.Builder> customize) {
        ClusterConfig config = customize.apply(fast(clusterName, "m" + index, ports, index))
                .build();
        ClusterTransport transport = ClusterTransport.create(config);
        RecordingListener listener = new RecordingListener();
        transports.add(transport);
        listeners.add(listener);
        transport.start(listener);
    }

    /** Waits until every member's view has all the members (call it before closing any). */
    public void awaitOneView() {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Set<MemberId> all = new HashSet<>(ids());
            for (ClusterTransport transport : transports) {
                ClusterView view = transport.view();
                if (!new HashSet<>(view.members()).equals(all)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The cluster's name. */
    public String clusterName() {
        return clusterName;
    }

    /** The ports of the members, by index. */
    public List<Integer> ports() {
        return List.copyOf(ports);
    }

    /** Member {@code index}'s transport. */
    public ClusterTransport transport(int index) {
        return transports.get(index);
    }

    /** Member {@code index}'s recorded deliveries. */
    public RecordingListener listener(int index) {
        return listeners.get(index);
    }

    /** Member {@code index}'s id. */
    public MemberId id(int index) {
        return transports.get(index).self();
    }

    /** Ids of all members, by index. */
    public List<MemberId> ids() {
        List<MemberId> ids = new ArrayList<>();
        for (ClusterTransport transport : transports) {
            ids.add(transport.self());
        }
        return ids;
    }

    /** Number of members. */
    public int size() {
        return transports.size();
    }

    @Override
    public void close() {
        for (int i = transports.size() - 1; i >= 0; i--) {
            Objects.requireNonNull(transports.get(i)).close();
        }
    }
}
