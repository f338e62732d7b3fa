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
 * Cross-member messages between two members in one JVM over TCP on 127.0.0.1, default stack,
 * with and without mutual TLS: the raw {@code JChannel} baseline beside HiveMesh's cluster
 * transport and the cluster broker (user mail between two endpoints, as the mesh sends it) in
 * the same run, so the ratio docs/design.md §6 asks for (≥ 0.8 × raw throughput, p50 overhead
 * ≤ 20 µs) is read from one run. No acknowledgments flow here: {@link ClusterAckBenchmark}
 * adds the Dijkstra–Scholten signals back to the sender.
 *
 * <ul>
 * <li>{@link #throughput}: one operation is one message of {@link #payloadBytes} bytes, A to B,
 * with at most {@value #WINDOW} unreceived (while the window is full the sender waits,
 * spinning briefly, then yielding: {@link ClusterLink#backOff}), so the figure is what flows,
 * not what queues.</li>
 * <li>{@link #oneWay}: one message with nothing else in flight, timed from the send call to
 * the receiver's callback (the same JVM's clock, so it is one way).</li>
 * </ul>
 *
 * <p>Six 2 s warm-up iterations: on two cores the broker's path (its frame, the wire and
 * payload codecs) is still being compiled after ten seconds, and its throughput climbs until
 * then.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@State(Scope.Thread)
public class ClusterTransportBenchmark {

    static final int WINDOW = 1_000;

    @Param({ClusterLink.RAW, ClusterLink.TRANSPORT, ClusterLink.BROKER})
    public String transport;

    /** Plaintext, mutual TLS, or mutual TLS with member identity bound and frames sealed. */
    @Param({ClusterLink.PLAINTEXT, ClusterLink.TLS, ClusterLink.IDENTITY})
    public String security;

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
        link = ClusterLink.create(transport, security, 0, tcpNoDelay);
        payload = new byte[payloadBytes];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            link.check();
        } finally {
            link.close();
        }
    }

    /** Messages per second from A to B, at most {@value #WINDOW} in flight. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long throughput() throws Exception {
        for (int round = 0; sent - link.received.get() >= WINDOW; round++) {
            ClusterLink.backOff(round);
        }
        link.send(payload);
        return ++sent;
    }

    /** One message, nothing else in flight: send call to receiver callback. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long oneWay() throws Exception {
        while (link.received.get() < sent) {
            Thread.onSpinWait();                // drain what throughput left in flight
        }
        link.send(payload);
        ++sent;
        while (link.received.get() < sent) {
            Thread.onSpinWait();
        }
        return sent;
    }
}
