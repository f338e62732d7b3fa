package io.github.hivemesh.benchmarks;

import io.github.hivemesh.internal.util.DaemonThreadFactory;
import io.github.hivemesh.internal.util.ElasticThreadPool;
import io.github.hivemesh.internal.SwarmRuntime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDK 17 worker pool alone (no swarm), against {@code Executors.newFixedThreadPool(2)} and
 * the pool it replaced, in the same run (issue 19): {@code burst} submits {@value #BATCH}
 * trivial tasks with {@code CompletableFuture.runAsync} and waits on {@code allOf} (what the
 * task-throughput benchmark asks of the pool); {@code oneAtATime} submits one trivial task and
 * waits for it (a lone hand-off to an idle pool: the wake-up a session pays when the swarm is
 * quiet). The library's pools get {@link SwarmRuntime#FALLBACK_WORKERS} threads at most and a
 * keep-alive of 10 s, as the swarm uses them.
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class WorkerPoolBenchmark {

    static final int BATCH = 10_000;

    @Param({"elastic", "elastic-previous", "fixed-2"})
    public String pool;

    private ExecutorService executor;
    private final CompletableFuture<?>[] futures = new CompletableFuture<?>[BATCH];
    private static final Runnable NOOP = () -> { };

    @Setup(Level.Trial)
    public void setUp() {
        DaemonThreadFactory threads = new DaemonThreadFactory("bench-pool-");
        executor = switch (pool) {
            case "elastic" -> ElasticThreadPool.create(SwarmRuntime.FALLBACK_WORKERS, 10,
                    TimeUnit.SECONDS, threads);
            case "elastic-previous" -> PreviousElasticPool.create(SwarmRuntime.FALLBACK_WORKERS,
                    10, TimeUnit.SECONDS, threads);
            case "fixed-2" -> Executors.newFixedThreadPool(2, threads);
            default -> throw new IllegalArgumentException("unknown pool " + pool);
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(1, TimeUnit.MINUTES);
    }

    /** A batch of trivial tasks; one operation per task. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void burst() {
        for (int i = 0; i < BATCH; i++) {
            futures[i] = CompletableFuture.runAsync(NOOP, executor);
        }
        CompletableFuture.allOf(futures).join();
    }

    /** One trivial task, submitted and awaited. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void oneAtATime() {
        CompletableFuture.runAsync(NOOP, executor).join();
    }
}
