package swarm.app;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny swarm, run as a modular application by ModularApplicationIT: three peers, a task that
 * delegates four subtasks, exact completion. Then it tries what the module forbids: a public
 * class of io.github.hivemesh.internal, by reflection (the compiler already refuses a plain
 * reference). Prints one line per fact; the test reads them.
 */
public final class SwarmApp {

    private SwarmApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("MODULE " + SwarmApp.class.getModule().getName() + " uses "
                + ICoordinator.class.getModule().getName());
        AtomicInteger leaves = new AtomicInteger();
        try (ICoordinator swarm = CoordinatorFactory.createWithTopology(SwarmConfig.builder()
                .topology(Topology.MESH).maxAgents(3).build())) {
            swarm.initialize().join();
            List<AgentDefinition> agents = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                agents.add(AgentDefinition.builder().id("peer-" + i).capabilities("work")
                        .session(ctx -> {
                            if (ctx.task().payload() == null) {
                                for (int leaf = 0; leaf < 4; leaf++) {
                                    ctx.delegate(Task.builder().type("leaf")
                                            .requiredCapabilities("work").payload(leaf).build());
                                }
                                return "root";
                            }
                            leaves.incrementAndGet();
                            return "leaf " + ctx.task().payload();
                        }).build());
            }
            swarm.spawnAgents(agents).join();
            CompletableFuture<TaskResult> root = swarm.submitTask(Task.builder().type("root")
                    .requiredCapabilities("work").build());
            boolean completed = swarm.waitForCompletion(Duration.ofSeconds(30)).join();
            System.out.println("COMPLETED " + completed + " root " + root.join().output()
                    + " leaves " + leaves.get() + " tasks " + swarm.getMetrics().tasksCompleted());
        }

        String internal = "io.github.hivemesh.internal";
        System.out.println("EXPORTED " + internal + " "
                + ICoordinator.class.getModule().isExported(internal));
        try {
            Class.forName(internal + ".util.DaemonThreadFactory").getConstructor(String.class)
                    .newInstance("snoop-");
            System.out.println("INTERNAL reachable");
        } catch (IllegalAccessException e) {
            System.out.println("INTERNAL refused " + e.getClass().getSimpleName());
        }
    }
}
