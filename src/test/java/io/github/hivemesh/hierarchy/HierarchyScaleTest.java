package io.github.hivemesh.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.CoordinatorMetrics;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.TaskResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * A large swarm in teams on real threads: every task ends exactly once and completion is
 * detected. {@code -Dhivemesh.scale=long} (the pom's {@code -Plong}) runs 1,000 agents and
 * 100,000 tasks; the default suite 100 agents and 5,000 tasks.
 *
 * <p>Half the tasks are submitted; every other submitted task delegates two subtasks, so half
 * of all tasks are delegated. Every tenth agent also has a "gpu" capability and a tenth of the
 * tasks need it, so teams hold a mix of lanes. The run prints its wall time, the peak heap (the
 * sum of the heap pools' peaks, an upper bound) and how evenly teams and workers were loaded.
 */
class HierarchyScaleTest {

    private static final boolean LONG = "long".equals(System.getProperty("hivemesh.scale"));
    private static final int AGENTS = LONG ? 1_000 : 100;
    private static final int TASKS = LONG ? 100_000 : 5_000;

    /** A task's number and whether it delegates two subtasks. */
    private record Work(int number, boolean delegates) {
    }

    @Test
    void aThousandAgentsInTeams_runEveryTaskExactlyOnce_andCompletionIsDetected() {
        List<MemoryPoolMXBean> heap = heapPools();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        AtomicIntegerArray runs = new AtomicIntegerArray(TASKS);
        long started = System.nanoTime();
        HierarchicalCoordinator swarm = new HierarchicalCoordinator(SwarmConfig.builder()
                .topology(Topology.HIERARCHICAL).maxAgents(AGENTS).randomSeed(42).build());
        try {
            swarm.initialize().join();
            List<AgentDefinition> agents = new ArrayList<>(AGENTS);
            for (int i = 0; i < AGENTS; i++) {
                agents.add(AgentDefinition.builder().id("agent-" + i)
                        .capabilities(i % 10 == 0 ? List.of("work", "gpu") : List.of("work"))
                        .session(ctx -> run(ctx, runs)).build());
            }
            swarm.spawnAgents(agents).join();
            long spawned = System.nanoTime();

            List<CompletableFuture<TaskResult>> roots = new ArrayList<>(TASKS / 2);
            for (int i = 0; i < TASKS / 2; i++) {
                roots.add(swarm.submitTask(task(new Work(i, i % 2 == 0))));
            }
            boolean done = swarm.waitForCompletion(Duration.ofMinutes(5)).join();
            long finished = System.nanoTime();

            assertThat(done).isTrue();
            assertThat(roots).allMatch(CompletableFuture::isDone);
            for (int i = 0; i < TASKS; i++) {
                assertThat(runs.get(i)).as("runs of task %d", i).isEqualTo(1);
            }
            CoordinatorMetrics metrics = swarm.getMetrics();
            assertThat(metrics.tasksSubmitted()).isEqualTo(TASKS);
            assertThat(metrics.tasksCompleted()).isEqualTo(TASKS);
            assertThat(metrics.tasksQueued() + metrics.tasksRunning()).isZero();
            assertThat(swarm.completionDetector().outstanding()).isZero();
            // team leads record each end just after it is counted
            await().atMost(Duration.ofSeconds(30)).until(() -> swarm.getHierarchyMetrics()
                    .tasksPerTeam().values().stream().mapToLong(Long::longValue).sum() == TASKS);
            HierarchyMetrics spread = swarm.getHierarchyMetrics();
            assertThat(spread.teams()).isEqualTo((AGENTS + 31) / 32);
            report(spread, (spawned - started) / 1e6, (finished - spawned) / 1e6, heap);
        } finally {
            swarm.close();
        }
    }

    private static Task task(Work work) {
        Task.Builder task = Task.builder().type("work").payload(work);
        return (work.number() % 10 == 3 ? task.requiredCapabilities("work", "gpu")
                : task.requiredCapabilities("work")).build();
    }

    private static Object run(TaskContext ctx, AtomicIntegerArray runs) {
        Work work = (Work) ctx.task().payload();
        runs.incrementAndGet(work.number());
        if (work.delegates()) {
            // subtasks are numbered after the submitted half: 2 per delegating root
            int first = TASKS / 2 + work.number();
            ctx.delegate(task(new Work(first, false)));
            ctx.delegate(task(new Work(first + 1, false)));
        }
        return null;
    }

    private static void report(HierarchyMetrics spread, double spawnMillis, double runMillis,
            List<MemoryPoolMXBean> heap) {
        long peak = 0;
        for (MemoryPoolMXBean pool : heap) {
            peak += pool.getPeakUsage().getUsed();
        }
        LongSummaryStatistics teams = spread.tasksPerTeam().values().stream()
                .mapToLong(Long::longValue).summaryStatistics();
        LongSummaryStatistics workers = spread.tasksPerWorker().values().stream()
                .mapToLong(Long::longValue).summaryStatistics();
        System.out.printf("hierarchy scale: %,d agents in %d teams, %,d tasks (%,d delegated): "
                        + "spawn %.0f ms, run %.0f ms (%,.0f tasks/s), peak heap %,d MB%n"
                        + "  per team: min %,d avg %,.0f max %,d (max/avg %.3f); per worker: "
                        + "min %,d avg %,.1f max %,d (max/avg %.3f); stolen %,d%n",
                AGENTS, spread.teams(), TASKS, TASKS / 2, spawnMillis, runMillis,
                TASKS / (runMillis / 1e3), peak >> 20, teams.getMin(), teams.getAverage(),
                teams.getMax(), spread.teamImbalance(), workers.getMin(), workers.getAverage(),
                workers.getMax(), spread.workerImbalance(), spread.tasksStolen());
    }

    private static List<MemoryPoolMXBean> heapPools() {
        List<MemoryPoolMXBean> pools = new ArrayList<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pools.add(pool);
            }
        }
        return pools;
    }
}
