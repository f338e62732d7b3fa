package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.mesh.IMeshCoordinator;
import io.github.hivemesh.mesh.MeshCoordinator;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What only the mesh promises, seen through {@link CoordinatorFactory} and the public API; the
 * contract both coordinators share is in {@link CoordinatorConformanceTest}.
 */
class MeshAcceptanceTest {

    private final List<ICoordinator> swarms = new ArrayList<>();

    @AfterEach
    void closeAll() {
        swarms.forEach(ICoordinator::close);
    }

    private ICoordinator swarm(int maxAgents) {
        ICoordinator swarm = CoordinatorFactory.createWithTopology(
                SwarmConfig.builder().topology(Topology.AUTO).maxAgents(maxAgents).build());
        swarms.add(swarm);
        swarm.initialize().join();
        return swarm;
    }

    private static AgentDefinition agent(String id, String... capabilities) {
        return AgentDefinition.builder().id(id).capabilities(capabilities)
                .session(ctx -> ctx.task().payload()).build();
    }

    @Test
    void auto_withFiveAgents_buildsAMesh_thatRunsATask() {
        ICoordinator swarm = swarm(5);
        swarm.spawnAgents(List.of(agent("reviewer-1", "code-review"))).join();

        TaskResult result = swarm.submitTask(Task.builder().type("code-review")
                .requiredCapabilities("code-review").priority(8).payload("diff").build()).join();

        assertThat(swarm).isInstanceOf(IMeshCoordinator.class);
        assertThat(swarm.topology()).isEqualTo(Topology.MESH);
        assertThat(result.output()).isEqualTo("diff");
        assertThat(result.agentId()).isEqualTo("reviewer-1");
        assertThat(swarm.waitForCompletion(Duration.ofSeconds(10)).join()).isTrue();
    }

    @Test
    void nestedDelegation_costsExactlyOneCompletionSignalPerTask() {
        ICoordinator swarm = swarm(5);
        AtomicInteger executed = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            swarm.spawnAgent(AgentDefinition.builder().id("w" + i).capabilities("work")
                    .session(ctx -> CoordinatorConformanceTest.fanOut(ctx, 3, executed))
                    .build()).join();
        }

        swarm.submitTask(Task.builder().type("work").requiredCapabilities("work").payload(5)
                .build());
        boolean done = swarm.waitForCompletion(Duration.ofSeconds(30)).join();

        // 1 + 3 + 9 + 27 + 81 + 243 tasks
        assertThat(done).isTrue();
        assertThat(executed.get()).isEqualTo(364);
        CoordinatorMetrics metrics = swarm.getMetrics();
        assertThat(metrics.tasksSubmitted()).isEqualTo(364);
        assertThat(metrics.tasksCompleted()).isEqualTo(364);
        assertThat(metrics.tasksQueued() + metrics.tasksRunning()).isZero();
        // the broker counts a signal as delivered once the root's handler has returned, and
        // that handler is what completed the waiter: the last one may still be counting
        // one signal per basic message: one per task, plus one per queued task an idle peer
        // took from a busy one (a move is a basic message too)
        long moved = ((MeshCoordinator) swarm).getMeshMetrics().tasksMoved();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> swarm.getMetrics().signalsSent() == 364 + moved);
        assertThat(swarm.getMetrics().signalsSent()).isEqualTo(364 + moved);
    }
}
