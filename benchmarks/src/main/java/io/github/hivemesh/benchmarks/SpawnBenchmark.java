package io.github.hivemesh.benchmarks;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
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

/**
 * Target (docs/design.md §6): spawn 10 peers, routable and discovered by all — seed &lt; 2 s; ours
 * &lt; 5 ms (1,000 peers &lt; 250 ms). One operation spawns the agents into a fresh, initialized
 * swarm (created outside the measurement) and waits for {@code spawnAgents} to complete, which
 * for the mesh means every peer's discovery view knows every other peer, and for the hierarchy
 * that every worker has joined its team and is routable. 1,000 agents is a hierarchy, as
 * {@code Topology.AUTO} would build it (a 1,000-peer mesh discovers all-to-all).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class SpawnBenchmark {

    @Param({"MESH:10", "HIERARCHICAL:10", "HIERARCHICAL:1000"})
    public String swarm;

    private ICoordinator coordinator;
    private List<AgentDefinition> agents;

    @Setup(Level.Invocation)
    public void setUp() {
        String[] parts = swarm.split(":");
        int count = Integer.parseInt(parts[1]);
        coordinator = CoordinatorFactory.createWithTopology(SwarmConfig.builder()
                .topology(Topology.valueOf(parts[0])).maxAgents(count).build());
        coordinator.initialize().join();
        agents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            agents.add(AgentDefinition.builder().id("agent-" + i).capabilities("work")
                    .session(ctx -> null).build());
        }
    }

    @Benchmark
    public int spawn() {
        return coordinator.spawnAgents(agents).join().size();
    }

    @TearDown(Level.Invocation)
    public void tearDown() {
        coordinator.close();
    }
}
