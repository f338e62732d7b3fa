package io.github.hivemesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ElasticThreadPoolTest {

    private final List<ExecutorService> pools = new ArrayList<>();

    private ThreadPoolExecutor pool(int maxThreads, long keepAliveMillis) {
        ExecutorService pool = ElasticThreadPool.create(maxThreads, keepAliveMillis,
                TimeUnit.MILLISECONDS, new DaemonThreadFactory("elastic-test-"));
        pools.add(pool);
        return (ThreadPoolExecutor) pool;
    }

    @AfterEach
    void shutDown() throws InterruptedException {
        for (ExecutorService pool : pools) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * Tasks that come one after another reuse idle threads: a pool that started a thread per
     * task until its maximum (what a ThreadPoolExecutor with core = max does) would reach 64
     * here.
     */
    @Test
    void sequentialTasks_reuseIdleThreads() {
        ThreadPoolExecutor pool = pool(64, 60_000);
        for (int i = 0; i < 1_000; i++) {
            CompletableFuture.runAsync(() -> { }, pool).join();
        }
        // the count moves after the task's future completed
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.getCompletedTaskCount() == 1_000);
        // a new thread starts only when no thread is waiting at the moment of a submission: the
        // one that ran the previous task may not be back yet (more so on a loaded machine)
        assertThat(pool.getLargestPoolSize()).isBetween(1, 16);
    }

    /** Busy threads make it grow to its maximum; beyond that tasks wait, and all of them run. */
    @Test
    void blockingTasks_growThePoolToItsMaximum_thenQueue_andNothingIsLost() throws Exception {
        ThreadPoolExecutor pool = pool(4, 60_000);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(10);
        for (int i = 0; i < 10; i++) {
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ran.countDown();
            });
        }
        assertThat(pool.getPoolSize()).isEqualTo(4);
        assertThat(pool.getQueue()).hasSize(6);

        release.countDown();
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.getLargestPoolSize()).isEqualTo(4);
    }

    @Test
    void idleThreads_endAfterTheKeepAlive() {
        ThreadPoolExecutor pool = pool(8, 20);
        for (int i = 0; i < 8; i++) {
            pool.execute(() -> { });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.getPoolSize() == 0);
        CompletableFuture.runAsync(() -> { }, pool).join();
    }

    @Test
    void afterShutdown_tasksAreRejected() {
        ThreadPoolExecutor pool = pool(2, 60_000);
        pool.shutdown();
        assertThatThrownBy(() -> pool.execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void maxThreadsBelowOne_isRejected() {
        assertThatThrownBy(() -> ElasticThreadPool.create(0, 1, TimeUnit.SECONDS,
                new DaemonThreadFactory("x-")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxThreads must be >= 1, was 0");
    }
}
