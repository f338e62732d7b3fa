package io.github.hivemesh.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Target (docs/design.md §6): broker point-to-point throughput, seed &gt; 8,000 msg/s, ours
 * ≥ 10 M msg/s and not behind the JDK {@code ArrayBlockingQueue} and JCTools MPSC handoff
 * baselines, which run in the same JMH run through the same code ({@link HandoffTransport}).
 * The other baselines (JDK {@code LinkedBlockingQueue}, LMAX Disruptor, Guava
 * {@code AsyncEventBus}, Pekko typed actors) run beside them so the report can give a ratio to
 * each; many-to-one and broadcast have no target of their own and are reported as ratios.
 *
 * <p>One operation is one message handed to a receiver's handler: each invocation sends
 * {@value #BATCH} messages and waits until the receivers have seen all of them, so the figure is
 * end-to-end delivery, not enqueueing. Broadcast counts one operation per delivery.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BrokerThroughputBenchmark {

    static final int BATCH = 1024;
    static final int PEERS = 6;

    /** The transport under test. */
    @State(Scope.Benchmark)
    public static class Rig {
        @Param({HandoffTransport.HIVEMESH, "ArrayBlockingQueue", "LinkedBlockingQueue",
                "JCTools-MPSC", "Disruptor", "Guava-AsyncEventBus", "Pekko-typed"})
        public String transport;

        HandoffTransport handoff;

        @Setup(Level.Trial)
        public void setUp(BenchmarkParams params) {
            int recipients = params.getBenchmark().endsWith("broadcast") ? PEERS : 1;
            // room for every sender's batch, so no baseline blocks where the broker would not
            int capacity = 8 * BATCH;
            handoff = HandoffTransport.create(transport, recipients, capacity);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            handoff.close();
        }
    }

    /** One sender's identity and running count. */
    @State(Scope.Thread)
    public static class Sender {
        int index;
        long sent;

        @Setup(Level.Trial)
        public void setUp(ThreadParams params) {
            index = params.getThreadIndex();
        }
    }

    /** One sender thread, one receiving peer. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public void pointToPoint(Rig rig, Sender sender) {
        sendBatch(rig.handoff, sender);
    }

    /** Six sender threads, one receiving peer. */
    @Benchmark
    @Threads(PEERS)
    @OperationsPerInvocation(BATCH)
    public void manyToOne(Rig rig, Sender sender) {
        sendBatch(rig.handoff, sender);
    }

    /** One sender broadcasting to six peers; one operation per delivery. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH * PEERS)
    public void broadcast(Rig rig, Sender sender) {
        HandoffTransport handoff = rig.handoff;
        for (int i = 0; i < BATCH; i++) {
            handoff.broadcast(sender.index);
        }
        sender.sent += BATCH;
        for (int r = 0; r < handoff.recipients; r++) {
            handoff.awaitReceived(r, sender.index, sender.sent);
        }
    }

    private static void sendBatch(HandoffTransport handoff, Sender sender) {
        for (int i = 0; i < BATCH; i++) {
            handoff.send(sender.index, 0);
        }
        sender.sent += BATCH;
        handoff.awaitReceived(0, sender.index, sender.sent);
    }
}
