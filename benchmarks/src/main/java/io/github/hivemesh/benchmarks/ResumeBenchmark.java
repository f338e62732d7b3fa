package io.github.hivemesh.benchmarks;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
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

/**
 * Target (docs/design.md §6): resume a paused agent, p95 — seed &lt; 50 ms; ours &lt; 100 µs of
 * library overhead (empty hooks). One operation is {@code queryController().resumeAgent(...)}
 * until its future completes; the agent is paused again before each operation, outside the
 * measurement. {@code SampleTime} gives the p50/p95/p99.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ResumeBenchmark {

    @Param({"MESH", "HIERARCHICAL"})
    public String topology;

    private ICoordinator swarm;

    @Setup(Level.Trial)
    public void setUp() {
        swarm = CoordinatorFactory.createWithTopology(SwarmConfig.builder()
                .topology(Topology.valueOf(topology))
                .maxAgents(topology.equals("MESH") ? 7 : 8).autoPause(false).build());
        swarm.initialize().join();
        swarm.spawnAgent(AgentDefinition.builder().id("sleeper").session(ctx -> null).build())
                .join();
    }

    @Setup(Level.Invocation)
    public void pause() {
        swarm.queryController().pauseAgent("sleeper").join();
    }

    @Benchmark
    public Void resume() {
        return swarm.queryController().resumeAgent("sleeper", null).join();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        swarm.close();
    }
}
