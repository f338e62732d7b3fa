package io.github.hivemesh.internal;

import io.github.hivemesh.internal.util.DaemonThreadFactory;
import io.github.hivemesh.internal.util.ElasticThreadPool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads and clock of one swarm: a worker executor for sessions, a scheduler for timers,
 * and a clock. What the application injected is used as is and left running on close; what
 * this runtime created, it stops.
 *
 * <p>The default worker executor uses virtual threads when the JDK has them (found
 * reflectively, since the library is compiled for Java 17), because sessions typically block
 * on LLM calls; otherwise an {@link ElasticThreadPool} of up to {@value #FALLBACK_WORKERS}
 * platform threads, which queues first, starts a thread only when queued work has waited
 * 2 ms behind busy threads, and lets idle threads end after 10 s.
 *
 * <p>Thread-safe.
 */
public final class SwarmRuntime implements AutoCloseable {

    /** Platform worker threads when virtual threads are unavailable. */
    public static final int FALLBACK_WORKERS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(SwarmRuntime.class);

    /** The runtime whose thread (worker task or timer) the current thread is running, if any. */
    private static final ThreadLocal<SwarmRuntime> CURRENT = new ThreadLocal<>();

    private final Clock clock;
    private final Executor worker;
    private final ExecutorService ownedWorker;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService ownedScheduler;

    /**
     * A runtime for one swarm.
     *
     * @param name      prefix of the threads it creates, e.g. {@code "hivemesh-swarm-1"}
     * @param clock     the swarm's clock
     * @param worker    an injected worker executor, or empty to create one
     * @param scheduler an injected scheduler, or empty to create one
     */
    public SwarmRuntime(String name, Clock clock, Optional<Executor> worker,
            Optional<ScheduledExecutorService> scheduler) {
        Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (worker.isPresent()) {
            this.worker = worker.get();
            this.ownedWorker = null;
        } else {
            ExecutorService created = newWorkerExecutor(name + "-worker-");
            this.ownedWorker = created;
            // marks the thread while it runs our task, so a close() from it is not a self-wait
            this.worker = task -> created.execute(() -> {
                CURRENT.set(this);
                try {
                    task.run();
                } finally {
                    CURRENT.remove();
                }
            });
        }
        if (scheduler.isPresent()) {
            this.scheduler = scheduler.get();
            this.ownedScheduler = null;
        } else {
            DaemonThreadFactory threads = new DaemonThreadFactory(name + "-timer-");
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                    runnable -> threads.newThread(() -> {
                        CURRENT.set(this);
                        runnable.run();
                    }));
            timer.setRemoveOnCancelPolicy(true);
            timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            this.ownedScheduler = timer;
            this.scheduler = timer;
        }
    }

    /** Runs sessions. */
    public Executor worker() {
        return worker;
    }

    /** Runs timers. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The swarm's clock. */
    public Clock clock() {
        return clock;
    }

    /** Whether the calling thread is one of this runtime's (a session, a hook, a timer). */
    public boolean isOwnThread() {
        return CURRENT.get() == this;
    }

    /**
     * Stops what this runtime created: timers at once; sessions are interrupted and given
     * {@code grace} to end. Called from one of its own threads (a session closing its swarm),
     * it does not wait: that thread would wait for itself; the others still stop.
     *
     * @return false if a session thread was still running after the grace period (or it was
     *         not waited for)
     */
    public boolean shutdown(Duration grace) {
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
        if (isOwnThread()) {
            if (ownedWorker != null) {
                ownedWorker.shutdownNow();
            }
            LOG.debug("swarm threads stopping, shut down from one of them: not waiting for it");
            return false;
        }
        boolean clean = true;
        if (ownedWorker != null) {
            ownedWorker.shutdownNow();
            clean = awaitQuietly(ownedWorker, grace);
            if (!clean) {
                LOG.warn("session threads still running {} after shutdown; they were interrupted",
                        grace);
            }
        }
        if (ownedScheduler != null) {
            clean &= awaitQuietly(ownedScheduler, grace);
        }
        return clean;
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }

    private static boolean awaitQuietly(ExecutorService executor, Duration grace) {
        try {
            return executor.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ExecutorService newWorkerExecutor(String prefix) {
        try {
            // JDK 21+: Executors.newVirtualThreadPerTaskExecutor()
            return (ExecutorService) MethodHandles.publicLookup()
                    .findStatic(java.util.concurrent.Executors.class,
                            "newVirtualThreadPerTaskExecutor",
                            MethodType.methodType(ExecutorService.class))
                    .invoke();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return ElasticThreadPool.create(FALLBACK_WORKERS, 10, TimeUnit.SECONDS,
                    new DaemonThreadFactory(prefix));
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create the worker executor", e);
        }
    }
}
