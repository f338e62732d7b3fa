package io.github.hivemesh.benchmarks;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.internal.util.DaemonThreadFactory;
import io.github.hivemesh.internal.SwarmRuntime;
import io.github.hivemesh.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * End-to-end task throughput through the public API: one operation is one task submitted,
 * run by a trivial session, and counted as ended. Each invocation submits {@value #BATCH}
 * tasks from one thread and waits for {@code waitForCompletion}, so the figure includes
 * placement, the session hand-off to the worker executor, the result, and exact completion
 * detection — everything but real work.
 *
 * <p>{@code swarm} is the topology and size: the mesh with 7 peers, the hierarchy with 8 (one
 * team, led by the queen), 100 (4 teams) and 1,000 workers (32 teams), all with the library's
 * defaults (4 slots per agent, default broker and worker executor).
 *
 * <p>Two baselines do the same job in the same run, so the report can give ratios
 * (docs/design.md §6: ours ≥ 0.2 × the bare executor, ≥ 3 × Pekko): {@value #BARE} submits
 * the batch's trivial tasks to {@code Executors.newFixedThreadPool(2)} with
 * {@code CompletableFuture.supplyAsync} and waits on {@code allOf} — what a user would write
 * without a coordinator, with no placement, no capabilities, no completion detection; and
 * {@value #PEKKO} routes the batch round-robin to 7 Pekko typed worker actors
 * ({@link PekkoTaskRig}), each replying to a counting actor that completes when the count
 * reaches zero. Same batch size and the same one submitting thread for all.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class TaskThroughputBenchmark {

    static final int BATCH = 10_000;
    /** Baseline: a fixed pool of 2 + {@code CompletableFuture}. */
    static final String BARE = "baseline-executor";
    /** Baseline: Pekko typed actors, 7 workers. */
    static final String PEKKO = "baseline-pekko-7";

    @Param({"mesh-7", "hierarchy-8", "hierarchy-100", "hierarchy-1000", BARE, PEKKO})
    public String swarm;

    /**
     * The swarm's worker executor: the library's default, or (for a same-run comparison, by
     * {@code -p workers=library,previous-elastic}) the JDK 17 pool the library had before its
     * queue-first growth rule ({@link PreviousElasticPool}). Baselines ignore it.
     */
    @Param({"library"})
    public String workers;

    private ICoordinator coordinator;
    private ExecutorService injectedWorkers;
    private ExecutorService bare;
    private PekkoTaskRig pekko;
    private final CompletableFuture<?>[] futures = new CompletableFuture<?>[BATCH];
    private final Task.Builder task = Task.builder().type("noop").requiredCapabilities("work");

    @Setup(Level.Trial)
    public void setUp() {
        if (swarm.equals(BARE)) {
            bare = Executors.newFixedThreadPool(2);
            return;
        }
        if (swarm.equals(PEKKO)) {
            pekko = new PekkoTaskRig(7);
            return;
        }
        String[] spec = swarm.split("-");
        int agents = Integer.parseInt(spec[1]);
        SwarmConfig.Builder config = SwarmConfig.builder()
                .topology(spec[0].equals("mesh") ? Topology.MESH : Topology.HIERARCHICAL)
                .maxAgents(agents);
        if (workers.equals("previous-elastic")) {
            injectedWorkers = PreviousElasticPool.create(SwarmRuntime.FALLBACK_WORKERS, 10,
                    TimeUnit.SECONDS, new DaemonThreadFactory("bench-workers-"));
            config.workerExecutor(injectedWorkers);
        } else if (!workers.equals("library")) {
            throw new IllegalArgumentException("unknown workers " + workers);
        }
        coordinator = CoordinatorFactory.createWithTopology(config.build());
        coordinator.initialize().join();
        List<AgentDefinition> definitions = new ArrayList<>(agents);
        for (int i = 0; i < agents; i++) {
            definitions.add(AgentDefinition.builder().id("agent-" + i).capabilities("work")
                    .session(ctx -> null).build());
        }
        coordinator.spawnAgents(definitions).join();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        if (coordinator != null) {
            coordinator.close();
        }
        if (injectedWorkers != null) {
            injectedWorkers.shutdownNow();
            injectedWorkers.awaitTermination(1, TimeUnit.MINUTES);
        }
        if (bare != null) {
            bare.shutdown();
            bare.awaitTermination(1, TimeUnit.MINUTES);
        }
        if (pekko != null) {
            pekko.close();
        }
    }

    /**
     * Submits a batch of trivial tasks and waits until the swarm is quiescent (or, for the
     * baselines, until every task has run).
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public boolean submitAndAwait() {
        if (bare != null) {
            for (int i = 0; i < BATCH; i++) {
                futures[i] = CompletableFuture.supplyAsync(TaskThroughputBenchmark::noop, bare);
            }
            CompletableFuture.allOf(futures).join();
            return true;
        }
        if (pekko != null) {
            pekko.runBatch(BATCH);
            return true;
        }
        for (int i = 0; i < BATCH; i++) {
            coordinator.submitTask(task.build());
        }
        if (!coordinator.waitForCompletion(Duration.ofMinutes(1)).join()) {
            throw new IllegalStateException("a batch did not complete within a minute");
        }
        return true;
    }

    /** The baselines' trivial task, the same as the swarm's {@code ctx -> null} session. */
    private static Object noop() {
        return null;
    }
}
