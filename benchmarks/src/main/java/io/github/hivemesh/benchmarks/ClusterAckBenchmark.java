package io.github.hivemesh.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cross-member throughput with Dijkstra–Scholten acknowledgments, the way the mesh runs: every
 * message A sends B is acknowledged by a wire {@code Signal} from B back to A, one per message
 * ({@link #signalBatch} 1, {@code DistributedCompletionConfig}'s default) or one per
 * {@link #signalBatch} messages (combined signals, {@code signalBatchSize} above 1). The same
 * two members as {@link ClusterTransportBenchmark} ({@link ClusterLink}): the cluster broker
 * sends the signal as a control message between the endpoints; the raw {@code JChannel}
 * baseline sends the same signal's codec bytes back on the same stack, so broker and raw pay
 * for the same acknowledgments. Issue 20's target compares the broker here with the raw
 * channel of {@link ClusterTransportBenchmark#throughput} (no acknowledgments) in the same run:
 * ≥ 0.8 × its throughput with acknowledgments combined.
 *
 * <p>One operation is one message of {@link #payloadBytes} bytes, A to B, with at most
 * {@value #WINDOW} not yet acknowledged (while the window is full the sender waits as in
 * {@link ClusterTransportBenchmark}: {@link ClusterLink#backOff}): the
 * figure is what flows with the acknowledgments keeping up, not what queues. At a batch of
 * {@code n} B holds up to {@code n - 1} acknowledgments, well inside the window. So the figure
 * is also bounded by {@value #WINDOW} ÷ the acknowledgment's round trip: with Nagle on
 * ({@link #tcpNoDelay} false, as tcp.xml has it) a small signal can wait for the peer's delayed
 * TCP acknowledgment, and that bound, not the work per message, limits the raw baseline; the
 * default stack turns Nagle off (docs/cluster.md has both measurements).
 *
 * <p>Only the full-batch rule is modelled, so {@code signalBatch} 16 is the best case of
 * combining. A mesh peer also flushes what it holds whenever it goes idle in the tree
 * ({@code PeerNode.onIdle}), which a peer with a trivial message handler does after nearly
 * every message unless several arrive together; its signals then carry between 1 and 16
 * acknowledgments, and its throughput lies between the two variants measured here. (Nor is
 * the engaging message's acknowledgment held until detach: B acknowledges everything.)
 */
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@State(Scope.Thread)
public class ClusterAckBenchmark {

    static final int WINDOW = 1_000;

    @Param({ClusterLink.RAW, ClusterLink.BROKER})
    public String transport;

    /** Plaintext, mutual TLS, or mutual TLS with member identity bound and frames sealed. */
    @Param({ClusterLink.PLAINTEXT, ClusterLink.TLS, ClusterLink.IDENTITY})
    public String security;

    /** Acknowledgments per signal. */
    @Param({"1", "16"})
    public int signalBatch;

    @Param({"128"})
    public int payloadBytes;

    /**
     * Nagle off on the TCP transport (true: the default stack, which sets {@code tcp_nodelay};
     * false: Nagle on, as tcp.xml has it), for every kind alike.
     */
    @Param({"true"})
    public boolean tcpNoDelay;

    private ClusterLink link;
    private byte[] payload;
    private long sent;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (signalBatch < 1 || signalBatch > WINDOW / 2) {
            throw new IllegalArgumentException("signalBatch must be in [1, " + WINDOW / 2
                    + "], was " + signalBatch);
        }
        link = ClusterLink.create(transport, security, signalBatch, tcpNoDelay);
        payload = new byte[payloadBytes];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            link.check();
            long unacknowledged = link.received.get() - link.acknowledged.get();
            if (unacknowledged < 0) {
                throw new IllegalStateException("more acknowledged than received: "
                        + link.acknowledged.get() + " > " + link.received.get());
            }
        } finally {
            link.close();
        }
    }

    /** Messages per second from A to B, each acknowledged, at most {@value #WINDOW} not yet. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long throughput() throws Exception {
        for (int round = 0; sent - link.acknowledged.get() >= WINDOW; round++) {
            ClusterLink.backOff(round);
        }
        link.send(payload);
        return ++sent;
    }
}
