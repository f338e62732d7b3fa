package io.github.hivemesh.benchmarks;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Baseline for {@link WorkerPoolBenchmark}: the library's worker pool as it was before the
 * queue-first growth rule (commit b2f56eb), kept here so both run in one JMH run. A
 * {@link ThreadPoolExecutor} whose queue's {@code offer} only hands a task to a waiting thread,
 * so the executor starts a thread whenever none is waiting (up to the maximum), and queues
 * (through the rejection handler) only once the maximum is busy.
 */
final class PreviousElasticPool {

    private PreviousElasticPool() {
    }

    static ExecutorService create(int maxThreads, long keepAlive, TimeUnit unit,
            ThreadFactory threads) {
        HandOffQueue queue = new HandOffQueue();
        return new ThreadPoolExecutor(0, maxThreads, keepAlive, unit, queue, threads,
                (task, pool) -> {
                    if (pool.isShutdown()) {
                        throw new RejectedExecutionException("the worker pool is shut down");
                    }
                    queue.enqueue(task);
                    if (pool.isShutdown() && queue.remove(task)) {
                        throw new RejectedExecutionException("the worker pool is shut down");
                    }
                    if (pool.getPoolSize() == 0 && !pool.isShutdown()) {
                        pool.execute(() -> { });
                    }
                });
    }

    /** A queue whose {@code offer} only succeeds by handing the task to a waiting thread. */
    private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {

        private static final long serialVersionUID = 1L;

        @Override
        public boolean offer(Runnable task) {
            return tryTransfer(task);
        }

        void enqueue(Runnable task) {
            super.offer(task);
        }
    }
}
