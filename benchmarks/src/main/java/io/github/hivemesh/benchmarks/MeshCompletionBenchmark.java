package io.github.hivemesh.benchmarks;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.internal.util.DaemonThreadFactory;
import io.github.hivemesh.internal.SwarmRuntime;
import io.github.hivemesh.mesh.MeshCoordinatorConfig;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Target (docs/design.md §6): completion detected after the last {@code execute} returns — seed
 * &lt; 2,000 ms for 10 peers; ours p99 &lt; 200 µs (1,000 peers: p99 &lt; 2 ms).
 *
 * <p>One operation is one diffusing computation through the public API: a submitted task
 * delegates one subtask per peer (each placed on the least-loaded peer), and the operation
 * waits for {@code waitForCompletion}. The JMH score is the whole round; the detection interval
 * itself — last session return to completion future — is recorded by
 * {@link CompletionLatencyRecorder} and written to
 * {@code benchmarks/results/mesh-completion-<peers>.json}. Discovery is off so heartbeats do not
 * add noise (it plays no part in completion).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class MeshCompletionBenchmark {

    @Param({"10", "100", "1000"})
    public int peers;

    /**
     * The worker executor: the library's default, or (by {@code -p
     * workers=library,previous-elastic}, for a same-run check that the JDK 17 pool's growth
     * rule did not bring the completion tail back) the pool it replaced. The side file of the
     * latter is {@code mesh-completion-<peers>-previous-elastic}.
     */
    @Param({"library"})
    public String workers;

    private ICoordinator swarm;
    private ExecutorService injectedWorkers;
    private final CompletionLatencyRecorder recorder = new CompletionLatencyRecorder();

    @Setup(Level.Trial)
    public void setUp() {
        SwarmConfig.Builder config = SwarmConfig.builder()
                .topology(Topology.MESH).maxAgents(peers)
                .meshConfig(MeshCoordinatorConfig.builder().discoveryEnabled(false)
                        .maxConcurrentTasksPerPeer(4).build());
        if (workers.equals("previous-elastic")) {
            injectedWorkers = PreviousElasticPool.create(SwarmRuntime.FALLBACK_WORKERS, 10,
                    TimeUnit.SECONDS, new DaemonThreadFactory("bench-workers-"));
            config.workerExecutor(injectedWorkers);
        } else if (!workers.equals("library")) {
            throw new IllegalArgumentException("unknown workers " + workers);
        }
        swarm = CoordinatorFactory.createWithTopology(config.build());
        swarm.initialize().join();
        List<AgentDefinition> agents = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            agents.add(AgentDefinition.builder().id("peer-" + i).capabilities("work")
                    .session(this::execute).build());
        }
        swarm.spawnAgents(agents).join();
    }

    private Object execute(TaskContext ctx) {
        if (ctx.task().payload() == null) {
            for (int i = 0; i < peers; i++) {
                ctx.delegate(Task.builder().type("leaf").requiredCapabilities("work")
                        .payload(i).build());
            }
        }
        recorder.sessionReturned();
        return null;
    }

    @Benchmark
    public boolean diffusingComputation() {
        recorder.reset();
        swarm.submitTask(Task.builder().type("root").requiredCapabilities("work").build());
        return swarm.waitForCompletion(Duration.ofSeconds(30))
                .whenComplete((done, failure) -> recorder.detected()).join();
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        recorder.startIteration(iteration);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        swarm.close();
        if (injectedWorkers != null) {
            injectedWorkers.shutdownNow();
        }
        recorder.report("mesh-completion-" + peers
                + (workers.equals("library") ? "" : "-" + workers));
    }
}
