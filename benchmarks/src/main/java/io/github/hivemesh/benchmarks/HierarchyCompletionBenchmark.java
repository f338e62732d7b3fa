package io.github.hivemesh.benchmarks;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Target (docs/design.md §6): completion detected after the last {@code execute} returns — 10 peers
 * p99 &lt; 200 µs, 1,000 peers p99 &lt; 2 ms — here for the hierarchy.
 *
 * <p>One invocation is one busy period through the public API: a root task delegates one
 * subtask per other agent (so every agent runs one task), and the caller waits with
 * {@code waitForCompletion}. Every session stores {@link System#nanoTime()} as its last act;
 * the waiter's future stores it when it completes. The <em>detection latency</em> is the gap
 * between the last of the former and the latter, recorded by {@link CompletionLatencyRecorder}
 * and written to {@code hierarchy-completion-<agents>.json} beside the JMH results. JMH's
 * {@code SampleTime} score is the whole busy period.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class HierarchyCompletionBenchmark {

    @Param({"10", "1000"})
    public int agents;

    private ICoordinator swarm;
    private final CompletionLatencyRecorder recorder = new CompletionLatencyRecorder();

    @Setup(Level.Trial)
    public void setUp() {
        swarm = CoordinatorFactory.createWithTopology(SwarmConfig.builder()
                .topology(Topology.HIERARCHICAL).maxAgents(agents).build());
        swarm.initialize().join();
        List<AgentDefinition> definitions = new ArrayList<>(agents);
        for (int i = 0; i < agents; i++) {
            definitions.add(AgentDefinition.builder().id("agent-" + i).capabilities("work")
                    .maxConcurrentTasks(1).session(this::execute).build());
        }
        swarm.spawnAgents(definitions).join();
    }

    private Object execute(TaskContext ctx) {
        if ("root".equals(ctx.task().type())) {
            for (int i = 1; i < agents; i++) {
                ctx.delegate(Task.builder().type("leaf").requiredCapabilities("work").build());
            }
        }
        recorder.sessionReturned();
        return null;
    }

    /** One busy period: the root and its subtasks, then the detection. */
    @Benchmark
    public boolean busyPeriod() {
        recorder.reset();
        swarm.submitTask(Task.builder().type("root").requiredCapabilities("work").build());
        // the callback runs on the thread that ended the last task, at the moment of detection
        return swarm.waitForCompletion(Duration.ofMinutes(1))
                .whenComplete((done, failure) -> recorder.detected()).join();
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        recorder.startIteration(iteration);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        swarm.close();
        recorder.report("hierarchy-completion-" + agents);
    }
}
