package io.github.hivemesh.benchmarks;

import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.ClusterListener;
import io.github.hivemesh.cluster.ClusterTls;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.ClusterView;
import io.github.hivemesh.cluster.MemberId;
import io.github.hivemesh.cluster.jgroups.JGroupsTransportFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
 * {@link #TRANSPORT} HiveMesh's {@link ClusterTransport} on the same stack. The cluster broker
 * (issue 20) joins as a third kind, in the same JMH run.
 */
abstract class ClusterLink implements AutoCloseable {

    /** Bare JChannels: the baseline. */
    static final String RAW = "raw-jchannel";
    /** HiveMesh's cluster transport over JGroups. */
    static final String TRANSPORT = "hivemesh-transport";

    /** Messages B has received, written by B's receiver thread. */
    final AtomicLong received = new AtomicLong();
    /** Receive time of the last message, for one-way latency. */
    volatile long lastReceivedNanos;

    abstract void send(byte[] payload) throws Exception;

    @Override
    public abstract void close();

    static ClusterLink create(String kind, boolean tls) throws Exception {
        String cluster = "bench-" + System.nanoTime();
        List<Integer> ports = freePorts(2);
        BenchmarkTls pki = tls ? new BenchmarkTls() : null;
        List<ClusterConfig> configs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ClusterConfig.Builder b = ClusterConfig.builder().clusterName(cluster)
                    .memberName(i == 0 ? "a" : "b").bindAddress(InetAddress.getLoopbackAddress())
                    .bindPort(ports.get(i)).portRange(0)
                    .initialMembers(List.of("127.0.0.1[" + ports.get(0) + "]",
                            "127.0.0.1[" + ports.get(1) + "]"));
            if (pki != null) {
                b.tls(ClusterTls.of(pki.member(i == 0 ? "a" : "b"))).requireTls(true);
            }
            configs.add(b.build());
        }
        return switch (kind) {
            case RAW -> new Raw(configs);
            case TRANSPORT -> new Transport(configs);
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

    final void arrived() {
        lastReceivedNanos = System.nanoTime();
        received.incrementAndGet();
    }

    /** Bare JChannels built from the default stack, configured as the transport does. */
    private static final class Raw extends ClusterLink {
        private final JChannel a;
        private final JChannel b;
        private final Address toB;

        Raw(List<ClusterConfig> configs) throws Exception {
            a = channel(configs.get(0));
            b = channel(configs.get(1));
            b.setReceiver(new Receiver() {
                @Override
                public void receive(Message message) {
                    arrived();
                }

                @Override
                public void receive(MessageBatch batch) {
                    for (int i = batch.size(); i > 0; i--) {
                        arrived();
                    }
                }
            });
            a.connect(configs.get(0).clusterName());
            b.connect(configs.get(1).clusterName());
            while (a.getView().size() < 2) {
                Thread.onSpinWait();
            }
            toB = b.getAddress();
        }

        private static JChannel channel(ClusterConfig config) throws Exception {
            JChannel channel = new JChannel(JGroupsTransportFactory.defaultProtocols(config));
            TCP tcp = (TCP) channel.getProtocolStack().getTransport();
            tcp.getDiagnosticsHandler().setEnabled(false);
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
        public void close() {
            b.close();
            a.close();
        }
    }

    /** HiveMesh's ClusterTransport on the same stack. */
    private static final class Transport extends ClusterLink {
        private final ClusterTransport a;
        private final ClusterTransport b;
        private final MemberId toB;

        Transport(List<ClusterConfig> configs) {
            a = ClusterTransport.create(configs.get(0));
            b = ClusterTransport.create(configs.get(1));
            a.start(new ClusterListener() {
                @Override
                public void onView(ClusterView view) {
                }

                @Override
                public void onMessage(MemberId from, byte[] payload) {
                }
            });
            b.start(new ClusterListener() {
                @Override
                public void onView(ClusterView view) {
                }

                @Override
                public void onMessage(MemberId from, byte[] payload) {
                    arrived();
                }
            });
            while (a.view().size() < 2) {
                Thread.onSpinWait();
            }
            toB = b.self();
        }

        @Override
        void send(byte[] payload) {
            if (!a.send(toB, payload)) {
                throw new IllegalStateException("b left the view");
            }
        }

        @Override
        public void close() {
            b.close();
            a.close();
        }
    }
}
