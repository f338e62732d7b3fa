package io.github.hivemesh.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The platform-thread pool sessions run on when the JDK has no virtual threads: it hands a
 * task to an idle thread if there is one, starts a new thread only when every thread is busy,
 * queues tasks once {@code maxThreads} are busy, and lets idle threads end after
 * {@code keepAlive}.
 *
 * <p>A plain {@link ThreadPoolExecutor} cannot do this. With an unbounded queue it never
 * grows past its core size; with a core size of {@code maxThreads}, it starts a new thread
 * for every task until it reaches {@code maxThreads}, even when threads are idle. Hundreds of
 * threads then wait on one queue for trivial tasks, and on two cores a woken thread can wait
 * milliseconds for a core (the mesh completion tail in {@code docs/benchmarks.md}). Here the
 * queue's {@code offer} is a transfer to a waiting thread, which fails when none is waiting,
 * so the executor starts a thread; when it may not, the rejection handler queues the task for
 * the next thread that frees up.
 *
 * <p>Thread-safe.
 */
final class ElasticThreadPool {

    private ElasticThreadPool() {
    }

    /**
     * A pool of up to {@code maxThreads} threads from {@code threads}, none while idle.
     *
     * @throws IllegalArgumentException if {@code maxThreads < 1}
     */
    static ExecutorService create(int maxThreads, long keepAlive, TimeUnit unit,
            ThreadFactory threads) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be >= 1, was " + maxThreads);
        }
        HandOffQueue queue = new HandOffQueue();
        return new ThreadPoolExecutor(0, maxThreads, keepAlive, unit, queue, threads,
                (task, pool) -> {
                    if (pool.isShutdown()) {
                        throw new RejectedExecutionException("the worker pool is shut down");
                    }
                    queue.enqueue(task);
                    // a shutdown between the check and the enqueue would strand the task
                    if (pool.isShutdown() && queue.remove(task)) {
                        throw new RejectedExecutionException("the worker pool is shut down");
                    }
                    // every thread timed out meanwhile: start one, which takes the task
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

        /** Queues the task for the next thread that asks (all threads are busy). */
        void enqueue(Runnable task) {
            super.offer(task);
        }
    }
}
