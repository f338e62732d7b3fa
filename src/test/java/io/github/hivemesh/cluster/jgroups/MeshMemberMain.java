package io.github.hivemesh.cluster.jgroups;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.mesh.MeshCoordinator;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.testing.ClusterFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * A mesh member of a swarm in a child JVM, for {@link MeshAcrossProcessesTest}: member
 * {@code hm.index} of {@code hm.members}, hosting two agents. Each task a session runs is a
 * "parent" that delegates two children (not waited for) and sends a message to an agent of the
 * next member; every session and handler notes its work's root (the submitting member) and
 * the moment it ends ({@code System.nanoTime()}, one clock for every process of the machine).
 *
 * <p>Prints {@code READY}; reads commands: {@code AGENTS n} waits until the other members'
 * {@code n} agents are known and prints {@code AGENTS}; {@code SUBMIT k} submits {@code k}
 * parents, waits for this member's completion and prints {@code DONE <ok> <nanos at detection>
 * <parents completed>}; {@code STATS} prints {@code RAN <task ids>} and, per root, {@code END
 * <root> <latest end nanos> <messages handled>}; {@code QUIT} (or the end of stdin) leaves.
 */
public final class MeshMemberMain {

    private static final ConcurrentLinkedQueue<String> RAN = new ConcurrentLinkedQueue<>();
    private static final Map<String, AtomicLong> LATEST_END = new ConcurrentHashMap<>();
    private static final Map<String, AtomicLong> HANDLED = new ConcurrentHashMap<>();

    private MeshMemberMain() {
    }

    private static void ended(String root) {
        long now = System.nanoTime();
        LATEST_END.computeIfAbsent(root, r -> new AtomicLong()).accumulateAndGet(now, Math::max);
    }

    /** Runs the member until QUIT or the end of stdin. */
    public static void main(String[] args) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (String port : System.getProperty("hm.ports").split(",")) {
            ports.add(Integer.parseInt(port));
        }
        int index = Integer.parseInt(System.getProperty("hm.index"));
        int members = ports.size();
        String self = "m" + index;
        MeshCoordinator swarm = (MeshCoordinator) CoordinatorFactory.createWithTopology(
                SwarmConfig.builder().swarmId("procs").topology(Topology.MESH).maxAgents(7)
                        .cluster(ClusterFixture.fast(System.getProperty("hm.cluster"), self,
                                ports, index).build())
                        .build());
        swarm.initialize().join();
        List<AgentDefinition> agents = new ArrayList<>();
        for (int a = 0; a < 2; a++) {
            agents.add(AgentDefinition.builder().id(self + "-a" + a).capabilities("work")
                    .maxConcurrentTasks(4)
                    .messageHandler((message, ctx) -> {
                        String root = (String) message.payload();
                        HANDLED.computeIfAbsent(root, r -> new AtomicLong()).incrementAndGet();
                        ended(root);
                    })
                    .session(ctx -> {
                        String id = ctx.task().id();
                        String root = id.substring(0, id.indexOf('-'));
                        RAN.add(id);
                        if (id.endsWith("-p")) {
                            for (int c = 0; c < 2; c++) {
                                ctx.delegate(Task.builder().id(id + c).type("child")
                                        .requiredCapabilities("work").build());
                            }
                            int next = (Integer.parseInt(ctx.agentId().substring(1,
                                    ctx.agentId().indexOf('-'))) + 1) % members;
                            ctx.sendToPeer("m" + next + "-a" + (id.hashCode() & 1), "note",
                                    root).join();
                        }
                        ended(root);
                        return ctx.agentId();
                    })
                    .build());
        }
        swarm.spawnAgents(agents).join();
        System.out.println("READY");

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
                StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("QUIT");
                line = in.readLine()) {
            if (line.startsWith("AGENTS ")) {
                int expected = Integer.parseInt(line.substring(7));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (swarm.remoteAgents().size() < expected && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(10_000_000L);
                }
                System.out.println("AGENTS " + swarm.remoteAgents().size());
            } else if (line.startsWith("SUBMIT ")) {
                int count = Integer.parseInt(line.substring(7));
                List<CompletableFuture<TaskResult>> parents = new ArrayList<>();
                for (int t = 0; t < count; t++) {
                    parents.add(swarm.submitTask(Task.builder().id(self + "-" + t + "-p")
                            .type("parent").requiredCapabilities("work").build()));
                }
                CompletableFuture<Long> detected = swarm.waitForCompletion(Duration.ofSeconds(60))
                        .thenApply(ok -> ok ? System.nanoTime() : -1L);
                long at = detected.join();
                long completed = parents.stream().filter(f -> f.isDone()
                        && !f.isCompletedExceptionally()).count();
                System.out.println("DONE " + (at > 0) + " " + at + " " + completed);
            } else if (line.equals("STATS")) {
                System.out.println("RAN " + String.join(",", RAN));
                for (Map.Entry<String, AtomicLong> end : LATEST_END.entrySet()) {
                    AtomicLong handled = HANDLED.get(end.getKey());
                    System.out.println("END " + end.getKey() + " " + end.getValue().get() + " "
                            + (handled == null ? 0 : handled.get()));
                }
                System.out.println("STATS DONE " + LATEST_END.keySet().stream().sorted()
                        .collect(Collectors.joining(",")));
            }
        }
        swarm.close();
        System.exit(0);
    }
}
