package io.github.hivemesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.testing.DeterministicHarness;
import io.github.hivemesh.testing.VirtualScheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A dependency that has dependencies of its own and is delegated by a session travels
 * session → its peer's mailbox → the root; a task naming it, submitted by another sender right
 * after it was registered, can reach the root first. The root must still run both in order.
 *
 * <p>Found while building the hierarchy, whose queen has to handle the same arrival order
 * (see {@code HierarchyScheduleTest}). Today the mesh's root
 * tracks the not-yet-arrived dependency as a plain node, then refuses the dependency itself
 * when it arrives ({@code DependencyGraph.add} throws {@code DuplicateTaskException}, caught in
 * {@code MeshRoot.onSubmit}, which fails the task and removes its watch), so the dependency
 * fails with "task id 'dep' is already in use" and the dependent is never released: completion
 * is never reported. Deterministic: the harness replays each seed exactly.
 */
class MeshDependencyArrivalTest {

    @Test
    void delegatedDependency_namedBeforeItReachesTheRoot_runs_andReleasesItsDependent() {
        for (long seed = 1; seed <= 20; seed++) {
            String outcome = run(seed);
            assertThat(outcome).as("seed %d (replay: same seed, same schedule)", seed)
                    .isEqualTo("ok");
        }
    }

    private static String run(long seed) {
        VirtualScheduler time = new VirtualScheduler();
        try (DeterministicHarness h = DeterministicHarness.create(seed, m -> false)) {
            MeshCoordinator mesh = new MeshCoordinator(SwarmConfig.builder()
                    .swarmId("arrival-" + seed).topology(Topology.MESH).maxAgents(2)
                    .randomSeed(seed)
                    .meshConfig(MeshCoordinatorConfig.builder().discoveryEnabled(false).build())
                    .broker(h.broker()).workerExecutor(h.dispatcher())
                    .scheduler(time).clock(time.clock()).build());
            mesh.initialize().join();
            AtomicReference<CompletableFuture<TaskResult>> dependency = new AtomicReference<>();
            mesh.spawnAgent(AgentDefinition.builder().id("p0").capabilities("t")
                    .session(ctx -> {
                        if (ctx.task().id().equals("parent")) {
                            dependency.set(ctx.delegate(Task.builder().id("dep").type("t")
                                    .requiredCapabilities("t").dependencies("first").build()));
                        }
                        return null;
                    }).build()).join();
            mesh.submitTask(Task.builder().id("first").type("t").requiredCapabilities("t")
                    .build());
            mesh.submitTask(Task.builder().id("parent").type("t").requiredCapabilities("t")
                    .build());
            CompletableFuture<TaskResult> dependent = null;
            CompletableFuture<Boolean> done = null;
            while (h.step()) {
                if (dependent == null && dependency.get() != null) {
                    // submitted by the test (the root's own channel) as soon as "dep" exists
                    dependent = mesh.submitTask(Task.builder().id("child").type("t")
                            .requiredCapabilities("t").dependencies("dep").build());
                    done = mesh.waitForCompletion(Duration.ofDays(1));
                }
            }
            StringBuilder outcome = new StringBuilder();
            if (dependency.get().isCompletedExceptionally()) {
                outcome.append("dep failed: ").append(dependency.get().handle((r, e) -> e)
                        .join().getCause().getMessage()).append("; ");
            }
            if (!dependent.isDone()) {
                outcome.append("child never ended; ");
            }
            if (!done.isDone()) {
                outcome.append("completion never reported; ");
            }
            mesh.close();
            return outcome.length() == 0 ? "ok" : outcome.toString();
        }
    }
}
