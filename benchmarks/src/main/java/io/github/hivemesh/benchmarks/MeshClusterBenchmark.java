package io.github.hivemesh.benchmarks;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.mesh.MeshCoordinator;
import io.github.hivemesh.mesh.MeshCoordinatorConfig;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.TaskResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
import org.openjdk.jmh.infra.IterationParams;

/**
 * Issue 20's cluster targets: tasks/s and completion latency of a mesh of 6 agents in one JVM
 * ({@code members=1}, the in-process baseline of the same run) against the same 6 agents spread
 * over 3 members of a cluster on loopback ({@code members=3}: JGroups TCP on 127.0.0.1, the
 * default stack, tasks submitted on member 0 and placed on every member's agents).
 *
 * <ul>
 *   <li>{@code throughput}: a batch of {@value #BATCH} trivial tasks submitted at once, every
 *       future and the completion awaited; the score is tasks/s.</li>
 *   <li>{@code diffusingComputation}: one root task delegating one subtask per agent, then
 *       {@code waitForCompletion} (SampleTime); the detection interval — last session return
 *       to the completion future — goes to {@code mesh-cluster-completion-<members>.json}
 *       through {@link CompletionLatencyRecorder}. Target: p99 &lt; 5 ms with 3 members.</li>
 * </ul>
 */
@Fork(1)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class MeshClusterBenchmark {

    static final int BATCH = 1_000;
    private static final int AGENTS = 6;

    @Param({"1", "3"})
    public int members;

    private final List<MeshCoordinator> swarm = new ArrayList<>();
    private final CompletionLatencyRecorder recorder = new CompletionLatencyRecorder();

    @Setup(Level.Trial)
    public void setUp() {
        String cluster = "bench-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 16,
                36);
        List<Integer> ports = freePorts(members);
        List<String> initial = new ArrayList<>();
        for (int port : ports) {
            initial.add("127.0.0.1[" + port + "]");
        }
        for (int m = 0; m < members; m++) {
            SwarmConfig.Builder config = SwarmConfig.builder().swarmId("bench")
                    .topology(Topology.MESH).maxAgents(AGENTS)
                    .meshConfig(MeshCoordinatorConfig.builder().discoveryEnabled(false)
                            .maxConcurrentTasksPerPeer(4).build());
            if (members > 1) {
                config.cluster(ClusterConfig.builder().clusterName(cluster).memberName("m" + m)
                        .bindAddress(InetAddress.getLoopbackAddress()).bindPort(ports.get(m))
                        .portRange(0).initialMembers(initial)
                        .joinTimeout(Duration.ofMillis(500)).build());
            }
            MeshCoordinator member = (MeshCoordinator) CoordinatorFactory.createWithTopology(
                    config.build());
            member.initialize().join();
            swarm.add(member);
        }
        for (int a = 0; a < AGENTS; a++) {
            swarm.get(a % members).spawnAgent(AgentDefinition.builder().id("agent-" + a)
                    .capabilities("work").session(this::execute).build()).join();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int remote = AGENTS - AGENTS / members;
        while (members > 1 && swarm.get(0).remoteAgents().size() < remote) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("member 0 knows "
                        + swarm.get(0).remoteAgents() + " of the other members' agents");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private Object execute(TaskContext ctx) {
        if ("root".equals(ctx.task().type())) {
            for (int i = 0; i < AGENTS; i++) {
                ctx.delegate(Task.builder().type("leaf").requiredCapabilities("work").build());
            }
        }
        if (!"batch".equals(ctx.task().type())) {
            recorder.sessionReturned();
        }
        return null;
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public boolean throughput() {
        MeshCoordinator home = swarm.get(0);
        List<CompletableFuture<TaskResult>> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            batch.add(home.submitTask(Task.builder().type("batch").requiredCapabilities("work")
                    .build()));
        }
        CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).join();
        return home.waitForCompletion(Duration.ofSeconds(60)).join();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean diffusingComputation() {
        recorder.reset();
        MeshCoordinator home = swarm.get(0);
        home.submitTask(Task.builder().type("root").requiredCapabilities("work").build());
        return home.waitForCompletion(Duration.ofSeconds(30))
                .whenComplete((done, failure) -> recorder.detected()).join();
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        recorder.startIteration(iteration);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (MeshCoordinator member : swarm) {
            member.close();
        }
        recorder.report("mesh-cluster-completion-" + members);
    }

    /** {@code count} distinct loopback ports that were free a moment ago (and their +100). */
    private static List<Integer> freePorts(int count) {
        List<Integer> ports = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            while (ports.size() < count) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                int port = socket.getLocalPort();
                if (port + 110 < 65_536 && !ports.contains(port) && !ports.contains(port + 100)
                        && !ports.contains(port - 100)) {
                    ports.add(port);
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // held only so no port is handed out twice
                }
            }
        }
    }
}
