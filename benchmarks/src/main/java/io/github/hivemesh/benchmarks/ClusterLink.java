package io.github.hivemesh.benchmarks;

import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.MessageBrokerConfig;
import io.github.hivemesh.cluster.ClusterBrokerMetrics;
import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.ClusterListener;
import io.github.hivemesh.cluster.ClusterMessageBroker;
import io.github.hivemesh.cluster.ClusterTls;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.ClusterView;
import io.github.hivemesh.cluster.MemberId;
import io.github.hivemesh.cluster.jgroups.JGroupsTransportFactory;
import io.github.hivemesh.internal.AgentMail;
import io.github.hivemesh.internal.wire.Signal;
import io.github.hivemesh.internal.wire.SignalCodec;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.wire.PayloadCodec;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.protocols.TCP;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.TLSClientAuth;

/**
 * Two cluster members in this JVM over TCP on 127.0.0.1 — sender A, receiver B — on the
 * default stack, so the cluster benchmarks compare implementations on one code path:
 * {@link #RAW} is bare {@link JChannel}s with {@link BytesMessage}s (the baseline),
 * {@link #TRANSPORT} HiveMesh's {@link ClusterTransport} on the same stack, {@link #BROKER} the
 * cluster broker ({@link ClusterMessageBroker}) over that transport, carrying user messages
 * between an endpoint of A and one of B as the mesh sends them.
 *
 * <p><b>Acknowledgments.</b> With a signal batch above 0, B acknowledges what it receives to A
 * the way a mesh peer does with Dijkstra–Scholten: it holds the ids of the messages it
 * received and, each time {@code signalBatch} of them are held, sends one wire {@link Signal}
 * carrying them back to A ({@code DistributedCompletionConfig.signalBatchSize}; 1 is the
 * production default, one signal per message). A counts what the signals acknowledge in
 * {@link #acknowledged}. Every kind sends the same signal the same way it sends its messages:
 * the broker as a control message between the endpoints ({@code sendControl}, as
 * {@code MeshRouter.signal} does), the transport and the raw channels as the signal's wire
 * codec bytes ({@link SignalCodec}), which A decodes — so the raw baseline with
 * acknowledgments pays for the same signals, without the broker's frame and mailboxes.
 */
abstract class ClusterLink implements AutoCloseable {

    /** Bare JChannels: the baseline. */
    static final String RAW = "raw-jchannel";
    /** HiveMesh's cluster transport over JGroups. */
    static final String TRANSPORT = "hivemesh-transport";
    /** HiveMesh's cluster broker over that transport: user mail between two endpoints. */
    static final String BROKER = "cluster-broker";

    /** No TLS. */
    static final String PLAINTEXT = "plaintext";
    /** Mutual TLS from an {@code SSLContext}: no identity binding. */
    static final String TLS = "tls";
    /** Mutual TLS from key stores: identity bound to the certificate, every frame sealed. */
    static final String IDENTITY = "tls-identity";

    /** The root (member A's) the broker's user messages and signals name, as in the mesh. */
    static final String ROOT = "member-a";
    /** The broker endpoints: A's sending peer, B's receiving peer. */
    static final String ENDPOINT_A = "bench.peer-a";
    static final String ENDPOINT_B = "bench.peer-b";

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

    /** Messages B has received, written by B's receiving thread. */
    final AtomicLong received = new AtomicLong();
    /** Messages A has had acknowledged by B's signals, written by A's receiving thread. */
    final AtomicLong acknowledged = new AtomicLong();
    /** Receive time of the last message, for one-way latency. */
    volatile long lastReceivedNanos;
    /** Set when closing starts: B stops signalling (what is still in flight drains unseen). */
    volatile boolean closing;

    /** Acknowledgments per signal; 0: B sends none. */
    private final int signalBatch;
    /** The ids B holds, not signalled yet (B's receiving side only, under this). */
    private final long[] held;
    private int heldCount;

    ClusterLink(int signalBatch) {
        this.signalBatch = signalBatch;
        this.held = new long[Math.max(signalBatch, 1)];
    }

    abstract void send(byte[] payload) throws Exception;

    /** Sends the signal of {@code messageIds} from B back to A. B's receiving side. */
    abstract void signal(long[] messageIds);

    /**
     * Fails if anything was dropped or refused on the way (so a trial that lost messages does
     * not report a figure). Nothing by default.
     */
    void check() {
    }

    @Override
    public abstract void close();

    static ClusterLink create(String kind, String security) throws Exception {
        return create(kind, security, 0, false);
    }

    /**
     * The link of {@code kind}, joined (both members in one view, and for the broker each
     * member knowing the other's endpoint) when this returns.
     *
     * @param security    {@link #PLAINTEXT}, {@link #TLS} (mutual TLS from an SSLContext) or
     *                    {@link #IDENTITY} (mutual TLS from key stores: the transport also binds
     *                    each member's identity to its certificate and seals every frame; the
     *                    raw channel has TLS only, as JGroups gives it)
     * @param signalBatch acknowledgments per signal from B to A; 0 for none
     * @param tcpNoDelay  Nagle off on the TCP transport (true is the default stack; false the
     *                    same stack with {@code tcp_nodelay} false, as tcp.xml has it), for every
     *                    kind alike (the transport and broker through
     *                    {@link JGroupsTransportFactory#fromChannels})
     */
    static ClusterLink create(String kind, String security, int signalBatch,
            boolean tcpNoDelay) throws Exception {
        if (signalBatch < 0) {
            throw new IllegalArgumentException("signalBatch must be >= 0, was " + signalBatch);
        }
        String cluster = "bench-" + System.nanoTime();
        List<Integer> ports = freePorts(2);
        if (!List.of(PLAINTEXT, TLS, IDENTITY).contains(security)) {
            throw new IllegalArgumentException("unknown security " + security);
        }
        BenchmarkTls pki = security.equals(PLAINTEXT) ? null : new BenchmarkTls();
        List<ClusterConfig> configs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ClusterConfig.Builder b = ClusterConfig.builder().clusterName(cluster)
                    .memberName(i == 0 ? "a" : "b").bindAddress(InetAddress.getLoopbackAddress())
                    .bindPort(ports.get(i)).portRange(0)
                    .initialMembers(List.of("127.0.0.1[" + ports.get(0) + "]",
                            "127.0.0.1[" + ports.get(1) + "]"));
            if (pki != null) {
                String name = i == 0 ? "a" : "b";
                b.tls(security.equals(TLS) ? ClusterTls.of(pki.member(name))
                        : pki.memberStores(name)).requireTls(true);
            }
            ClusterConfig base = b.build();
            // the default stack of this very config, Nagle as asked, supplied as a channel
            // (the transport applies the config's TLS to it as to its own)
            configs.add(base.toBuilder().transportFactory(JGroupsTransportFactory.fromChannels(
                    () -> bareChannel(base, tcpNoDelay))).build());
        }
        return switch (kind) {
            case RAW -> new Raw(configs, signalBatch, tcpNoDelay);
            case TRANSPORT -> new Transport(configs, signalBatch);
            case BROKER -> new Broker(configs, signalBatch);
            default -> throw new IllegalArgumentException("unknown cluster link " + kind);
        };
    }

    private static List<Integer> freePorts(int count) throws Exception {
        List<Integer> ports = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        while (ports.size() < count) {
            ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            held.add(socket);
            if (socket.getLocalPort() + 110 < 65_536) {
                ports.add(socket.getLocalPort());
            }
        }
        for (ServerSocket socket : held) {
            socket.close();
        }
        return ports;
    }

    /** Spins of {@link #backOff} before it yields. */
    private static final int SPINS = 64;

    /**
     * One round of a sender's wait for its window (round 0, 1, …): a short spin, then
     * {@link Thread#yield()} — on two cores a sender spinning for the whole wait holds a core
     * the receiving member's threads need, which costs the implementation with more work per
     * message the most (docs/cluster.md, "Benchmark baseline", has the measurement).
     */
    static void backOff(int round) {
        if (round < SPINS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("not joined after " + JOIN_TIMEOUT + ": " + what);
            }
            Thread.onSpinWait();
        }
    }

    /** A channel of the default stack for {@code config}, diagnostics off, without TLS. */
    static JChannel bareChannel(ClusterConfig config, boolean tcpNoDelay) throws Exception {
        JChannel channel = new JChannel(JGroupsTransportFactory.defaultProtocols(config));
        TCP tcp = (TCP) channel.getProtocolStack().getTransport();
        tcp.getDiagnosticsHandler().setEnabled(false);
        tcp.tcpNodelay(tcpNoDelay);
        return channel;
    }

    /** B received message {@code messageId}: counted, and acknowledged when signals are on. */
    final void arrived(long messageId) {
        lastReceivedNanos = System.nanoTime();
        received.incrementAndGet();
        if (signalBatch > 0) {
            hold(messageId);
        }
    }

    private synchronized void hold(long messageId) {
        held[heldCount++] = messageId;
        if (heldCount == signalBatch) {
            heldCount = 0;
            if (!closing) {
                try {
                    signal(Arrays.copyOf(held, signalBatch));
                } catch (RuntimeException e) {
                    if (!closing) {
                        throw e;
                    }
                }
            }
        }
    }

    /** A received a signal's bytes (raw and transport kinds): decoded, its count counted. */
    final void signalled(byte[] bytes, int offset, int length) {
        byte[] exact = offset == 0 && length == bytes.length ? bytes
                : Arrays.copyOfRange(bytes, offset, offset + length);
        acknowledged.addAndGet(SignalCodec.INSTANCE.decode(exact, DecodeLimits.DEFAULT).count());
    }

    static byte[] signalBytes(long[] messageIds) {
        return SignalCodec.INSTANCE.encode(new Signal(0, ENDPOINT_A, ENDPOINT_B, messageIds,
                ROOT));
    }

    /** Bare JChannels built from the default stack, configured as the transport does. */
    private static final class Raw extends ClusterLink {
        private final JChannel a;
        private final JChannel b;
        private final Address toB;
        private final Address toA;
        /** B's count of what it received: the raw messages carry no id, FIFO numbers them. */
        private long sequence;

        Raw(List<ClusterConfig> configs, int signalBatch, boolean tcpNoDelay) throws Exception {
            super(signalBatch);
            a = channel(configs.get(0), tcpNoDelay);
            b = channel(configs.get(1), tcpNoDelay);
            a.setReceiver(new Receiver() {
                @Override
                public void receive(Message message) {
                    BytesMessage bytes = (BytesMessage) message;
                    signalled(bytes.getArray(), bytes.getOffset(), bytes.getLength());
                }
            });
            b.setReceiver(new Receiver() {
                @Override
                public void receive(Message message) {
                    arrived(++sequence);
                }

                @Override
                public void receive(MessageBatch batch) {
                    for (int i = batch.size(); i > 0; i--) {
                        arrived(++sequence);
                    }
                }
            });
            a.connect(configs.get(0).clusterName());
            b.connect(configs.get(1).clusterName());
            await(() -> a.getView().size() == 2 && b.getView().size() == 2, "raw channels");
            toB = b.getAddress();
            toA = a.getAddress();
        }

        private static JChannel channel(ClusterConfig config, boolean tcpNoDelay)
                throws Exception {
            JChannel channel = bareChannel(config, tcpNoDelay);
            TCP tcp = (TCP) channel.getProtocolStack().getTransport();
            if (config.tls().isPresent()) {
                SSLContext context = config.tls().get().sslContext();
                tcp.tls().enabled(true).setSSLContext(context)
                        .setClientAuth(TLSClientAuth.NEED).setProtocols(new String[] {"TLSv1.3"});
            }
            return channel;
        }

        @Override
        void send(byte[] payload) throws Exception {
            a.send(new BytesMessage(toB, payload));
        }

        @Override
        void signal(long[] messageIds) {
            try {
                b.send(new BytesMessage(toA, signalBytes(messageIds)));
            } catch (Exception e) {
                throw new IllegalStateException("signal not sent", e);
            }
        }

        @Override
        public void close() {
            closing = true;
            b.close();
            a.close();
        }
    }

    /** HiveMesh's ClusterTransport on the same stack. */
    private static final class Transport extends ClusterLink {
        private final ClusterTransport a;
        private final ClusterTransport b;
        private final MemberId toB;
        private long sequence;

        Transport(List<ClusterConfig> configs, int signalBatch) {
            super(signalBatch);
            a = ClusterTransport.create(configs.get(0));
            b = ClusterTransport.create(configs.get(1));
            a.start(new ClusterListener() {
                @Override
                public void onView(ClusterView view) {
                }

                @Override
                public void onMessage(MemberId from, byte[] payload) {
                    signalled(payload, 0, payload.length);
                }
            });
            b.start(new ClusterListener() {
                @Override
                public void onView(ClusterView view) {
                }

                @Override
                public void onMessage(MemberId from, byte[] payload) {
                    arrived(++sequence);
                }
            });
            await(() -> a.view().size() == 2 && b.view().size() == 2, "transports");
            toB = b.self();
        }

        @Override
        void send(byte[] payload) {
            if (!a.send(toB, payload)) {
                throw new IllegalStateException("b left the view");
            }
        }

        @Override
        void signal(long[] messageIds) {
            if (!b.send(a.self(), signalBytes(messageIds))) {
                throw new IllegalStateException("a left the view");
            }
        }

        @Override
        public void close() {
            closing = true;
            b.close();
            a.close();
        }
    }

    /**
     * The cluster broker on each member, over the transport, with an in-process broker for
     * the member's own endpoint: A's peer sends user mail ({@link UserMail}, wrapped as
     * {@code MeshRouter.sendMails} does) to B's peer with {@code sendToPeer}; B's handler
     * counts it (and signals with {@code sendControl}). The payload travels through the
     * payload codec, the mail through its wire codec, inside the broker's frame.
     */
    private static final class Broker extends ClusterLink {
        private final ClusterMessageBroker a;
        private final ClusterMessageBroker b;

        Broker(List<ClusterConfig> configs, int signalBatch) {
            super(signalBatch);
            a = member(configs.get(0));
            b = member(configs.get(1));
            a.onPeerMessage(ENDPOINT_A, message -> {
                if (message.payload() instanceof Signal signal) {
                    acknowledged.addAndGet(signal.count());
                }
            });
            b.onPeerMessage(ENDPOINT_B, message -> {
                if (message.payload() instanceof UserMail) {
                    arrived(message.messageId());
                }
            });
            await(() -> a.isRegistered(ENDPOINT_B) && b.isRegistered(ENDPOINT_A),
                    "broker endpoints");
        }

        private static ClusterMessageBroker member(ClusterConfig config) {
            return ClusterMessageBroker.start(ClusterTransport.create(config),
                    new InProcessMessageBroker(MessageBrokerConfig.builder()
                            .closeTimeout(Duration.ofSeconds(2)).build()),
                    PayloadCodec.defaults(), DecodeLimits.DEFAULT);
        }

        @Override
        void send(byte[] payload) {
            io.github.hivemesh.broker.Message message = AgentMail.wrap(new UserMail("agent-a", "agent-b", "bench",
                    payload, ROOT, 0), ENDPOINT_A, ENDPOINT_B);
            refusedIfFailed(a.sendToPeer(ENDPOINT_A, ENDPOINT_B, message), "user mail");
        }

        @Override
        void signal(long[] messageIds) {
            Signal signal = new Signal(0, ENDPOINT_A, ENDPOINT_B, messageIds, ROOT);
            refusedIfFailed(b.sendControl(ENDPOINT_B, ENDPOINT_A,
                    io.github.hivemesh.broker.Message.of(Signal.TYPE, signal, ENDPOINT_B,
                            ENDPOINT_A)), "signal");
        }

        private static void refusedIfFailed(CompletableFuture<Void> sent, String what) {
            if (sent.isCompletedExceptionally()) {
                try {
                    sent.get(0, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(what + " refused", e);
                }
            }
        }

        @Override
        void check() {
            for (ClusterMessageBroker member : List.of(a, b)) {
                ClusterBrokerMetrics metrics = member.clusterMetrics();
                if (metrics.dropped() != 0 || metrics.refusedOnArrival() != 0) {
                    throw new IllegalStateException("the cluster broker lost messages: "
                            + member.self() + " " + metrics);
                }
            }
        }

        @Override
        public void close() {
            closing = true;
            b.close();
            a.close();
        }
    }
}
