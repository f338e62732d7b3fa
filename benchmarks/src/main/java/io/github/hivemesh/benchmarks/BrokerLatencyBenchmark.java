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
 * Broker latency percentiles (docs/design.md §6 gives the broker a throughput target only; this is
 * the latency the issue asks for beside it), with every baseline of
 * {@link BrokerThroughputBenchmark} in the same run through the same {@link HandoffTransport}
 * code.
 *
 * <p>One operation is one message, one way: the sender hands it over, then spins until the
 * recipient's handler has counted it. Nothing else is in flight, so the recipient is idle when
 * each message arrives: the figure includes waking it (a dispatcher task for the broker and
 * Pekko, an unpark for the blocking queues and the executor, the end of a back-off for JCTools
 * and the Disruptor). {@code SampleTime} gives p50/p90/p99/p99.9.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class BrokerLatencyBenchmark {

    private static final int SENDER = 0;

    @Param({HandoffTransport.HIVEMESH, "ArrayBlockingQueue", "LinkedBlockingQueue",
            "JCTools-MPSC", "Disruptor", "Guava-AsyncEventBus", "Pekko-typed"})
    public String transport;

    private HandoffTransport handoff;
    private long sent;

    @Setup(Level.Trial)
    public void setUp() {
        handoff = HandoffTransport.create(transport, 1, 1024);
    }

    /** Send one message and wait until the recipient's handler has seen it. */
    @Benchmark
    public long oneWay() {
        handoff.send(SENDER, 0);
        handoff.awaitReceived(0, SENDER, ++sent);
        return sent;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        handoff.close();
    }
}
