package io.github.hivemesh.cluster;

import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Run by {@link NoJGroupsOnClassPathTest} in a JVM whose class path lacks JGroups and
 * LangChain4j: proves the core loads and runs without them. Loads every class of the library
 * outside the JGroups and LangChain4j packages, runs a mesh and a hierarchical swarm through
 * the public API, and checks that cluster mode says clearly what is missing. Prints
 * {@code OK} and exits 0, or exits 1.
 */
public final class NoJGroupsSwarmMain {

    private NoJGroupsSwarmMain() {
    }

    /** Runs the checks. */
    public static void main(String[] args) throws Exception {
        try {
            run(Path.of(args[0]));
            System.out.println("OK");
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.out.println("FAILED " + t);
            System.exit(1);
        }
    }

    private static void run(Path mainClasses) throws Exception {
        for (String absent : List.of("org.jgroups.JChannel",
                "dev.langchain4j.model.chat.ChatModel",
                "com.fasterxml.jackson.databind.ObjectMapper")) {
            try {
                Class.forName(absent);
                throw new AssertionError(absent + " is on the class path; the test proves "
                        + "nothing");
            } catch (ClassNotFoundException expected) {
                // as it should be
            }
        }
        int loaded = 0;
        try (Stream<Path> files = Files.walk(mainClasses)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String relative = mainClasses.relativize(file).toString().replace('\\', '/');
                if (!relative.endsWith(".class") || relative.endsWith("package-info.class")
                        || relative.equals("module-info.class")
                        || relative.startsWith("io/github/hivemesh/cluster/jgroups/")
                        || relative.startsWith("io/github/hivemesh/langchain4j/")) {
                    continue;
                }
                Class.forName(relative.substring(0, relative.length() - 6).replace('/', '.'),
                        true, NoJGroupsSwarmMain.class.getClassLoader());
                loaded++;
            }
        }
        if (loaded < 100) {
            throw new AssertionError("only " + loaded + " classes loaded from " + mainClasses);
        }
        System.out.println("loaded " + loaded + " classes");

        for (Topology topology : List.of(Topology.MESH, Topology.HIERARCHICAL)) {
            try (ICoordinator swarm = CoordinatorFactory.createWithTopology(SwarmConfig.builder()
                    .topology(topology).maxAgents(topology == Topology.MESH ? 3 : 8).build())) {
                swarm.initialize().join();
                List<AgentDefinition> agents = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    agents.add(AgentDefinition.builder().id("agent-" + i).capabilities("work")
                            .session(ctx -> "done " + ctx.task().payload()).build());
                }
                swarm.spawnAgents(agents).join();
                List<CompletableFuture<TaskResult>> results = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    results.add(swarm.submitTask(Task.builder().type("work")
                            .requiredCapabilities("work").payload(i).build()));
                }
                if (!swarm.waitForCompletion(Duration.ofSeconds(30)).join()) {
                    throw new AssertionError(topology + ": waitForCompletion returned false");
                }
                for (CompletableFuture<TaskResult> result : results) {
                    if (!result.join().output().toString().startsWith("done ")) {
                        throw new AssertionError(topology + ": " + result.join());
                    }
                }
                System.out.println(topology + " ran 5 tasks");
            }
        }

        ClusterConfig config = ClusterConfig.defaults();
        try {
            ClusterTransport.create(config);
            throw new AssertionError("a JGroups transport was created without JGroups");
        } catch (ClusterException expected) {
            if (!expected.getMessage().contains("org.jgroups:jgroups")) {
                throw new AssertionError("unclear message: " + expected.getMessage());
            }
            System.out.println("cluster mode without JGroups: " + expected.getMessage());
        }
    }
}
