package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.testing.HeapWatch;
import io.github.hivemesh.testing.Tasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Part of the coordinator contract, run against every coordinator by
 * {@link CoordinatorConformanceTest}. Load with bounded memory: many tasks (a million with
 * {@code -Dhivemesh.scale=long}, 50,000 by default), some delegating a subtask, pushed through a
 * swarm as fast as one thread can submit. Submission meets back-pressure at
 * {@code maxPendingTasks}; every task ends exactly once; completion is detected; the live set
 * (heap used right after a full collection, sampled by {@link HeapWatch}) stays bounded; its
 * peak and the peak of heap used are reported.
 */
interface LoadContract {

    /** A million with {@code -Dhivemesh.scale=long}, 50,000 by default. */
    int TASKS = "long".equals(System.getProperty("hivemesh.scale")) ? 1_000_000 : 50_000;

    /** The topology under test. */
    Topology topology();

    /** An initialized swarm of the topology under test, closed after the test. */
    ICoordinator swarm(SwarmConfig.Builder config);

    /** Agents: a full mesh, or two teams of the hierarchy's default fan-out. */
    private int agents() {
        return topology() == Topology.MESH ? 7 : 64;
    }

    private ICoordinator swarm(Topology topology, SwarmConfig.Builder config) {
        return swarm(config.maxAgents(agents()).autoPause(false));
    }

    @Test
    default void manyTasks_flowThroughWithBoundedHeap_andEveryTaskEndsOnce() {
        ICoordinator swarm = swarm(topology(), SwarmConfig.builder().maxPendingTasks(10_000)
                .taskRetention(10_000));
        AtomicLong executed = new AtomicLong();
        for (int i = 0; i < agents(); i++) {
            swarm.spawnAgent(AgentDefinition.builder().id("a" + i).capabilities("t")
                    .session(ctx -> {
                        executed.incrementAndGet();
                        if (ctx.task().priority() == 9) {
                            ctx.delegate(Task.builder().type("t").requiredCapabilities("t")
                                    .build());
                        }
                        return null;
                    }).build()).join();
        }
        HeapWatch heap = HeapWatch.start();
        long started = System.nanoTime();
        for (int i = 0; i < TASKS; i++) {
            swarm.submitTask(Task.builder().type("t").requiredCapabilities("t")
                    .priority(i % 10 == 0 ? 9 : 5).build());
        }
        assertThat(swarm.waitForCompletion(Duration.ofMinutes(10)).join()).isTrue();
        long elapsed = (System.nanoTime() - started) / 1_000_000;

        long expected = TASKS + TASKS / 10;
        assertThat(executed.get()).isEqualTo(expected);
        CoordinatorMetrics metrics = swarm.getMetrics();
        assertThat(metrics.tasksSubmitted()).isEqualTo(expected);
        assertThat(metrics.tasksCompleted()).isEqualTo(expected);
        heap.close();
        System.out.printf("load %s: %,d tasks (%,d with a subtask) in %,d ms, peak heap used "
                + "%,d MiB, peak live set %,d MiB (%d full-GC samples)%n", topology(), TASKS,
                TASKS / 10, elapsed, heap.peakUsedBytes() >> 20, heap.peakLiveBytes() >> 20,
                heap.liveSamples());
        // 10,000 pending + 10,000 remembered tasks, whatever the total: the live set stays
        // small (about 30 MiB measured with 1,000,000 tasks); forgetting nothing would hold a
        // few hundred bytes per task, several hundred MiB at the long profile's size
        assertThat(heap.peakLiveBytes()).isLessThan(128L << 20);
    }

    @Test
    default void beyondCapacity_rejectMode_refusesClearly_andAcceptsAgainOnceTasksEnd()
            throws Exception {
        ICoordinator swarm = swarm(topology(), SwarmConfig.builder().maxPendingTasks(3)
                .saturation(SwarmConfig.Saturation.REJECT));
        CountDownLatch release = new CountDownLatch(1);
        swarm.spawnAgent(AgentDefinition.builder().id("w").capabilities("t")
                .session(ctx -> release.await(10, TimeUnit.SECONDS)).build()).join();
        List<CompletableFuture<TaskResult>> accepted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            accepted.add(swarm.submitTask(Task.builder().type("t").requiredCapabilities("t")
                    .build()));
        }

        assertThat(Tasks.reason(swarm.submitTask(Task.builder().id("fourth").type("t")
                .requiredCapabilities("t").build())))
                .isInstanceOf(SwarmSaturatedException.class)
                .hasMessageContaining("'fourth'").hasMessageContaining("3");
        assertThat(swarm.taskStatus("fourth")).isEmpty();
        release.countDown();
        accepted.forEach(CompletableFuture::join);

        assertThat(swarm.submitTask(Task.builder().id("fourth").type("t")
                .requiredCapabilities("t").build()).join().taskId()).isEqualTo("fourth");
    }

    @Test
    default void beyondCapacity_blockMode_waitsForRoom_andShutdownFreesTheWaiter()
            throws Exception {
        ICoordinator swarm = swarm(topology(), SwarmConfig.builder().maxPendingTasks(1));
        CountDownLatch release = new CountDownLatch(1);
        swarm.spawnAgent(AgentDefinition.builder().id("w").capabilities("t")
                .session(ctx -> release.await(10, TimeUnit.SECONDS)).build()).join();
        swarm.submitTask(Task.builder().type("t").requiredCapabilities("t").build());

        CompletableFuture<CompletableFuture<TaskResult>> second = CompletableFuture.supplyAsync(
                () -> swarm.submitTask(Task.builder().id("second").type("t")
                        .requiredCapabilities("t").build()));
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2))
                .until(() -> !second.isDone());
        release.countDown();

        assertThat(second.join().join().taskId()).isEqualTo("second");
    }
}
