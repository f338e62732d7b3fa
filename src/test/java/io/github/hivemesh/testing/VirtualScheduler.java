package io.github.hivemesh.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} and a {@link Clock} in virtual time, for tests that need
 * one of each: nothing runs until the test calls {@link #advance(Duration)}, which moves the
 * clock and runs the due jobs, in time order, on the calling thread. A single-scheduler view
 * of {@link VirtualTime}, which it delegates to.
 *
 * <p>Thread-safe (jobs may be scheduled from any thread); jobs run on the advancing thread.
 */
public final class VirtualScheduler extends AbstractExecutorService
        implements ScheduledExecutorService {

    private final Instant origin;
    private final VirtualTime time;
    private final VirtualTime.Scheduler scheduler;

    /** A scheduler whose clock starts at {@code 2025-01-01T00:00:00Z}. */
    public VirtualScheduler() {
        this(Instant.parse("2025-01-01T00:00:00Z"));
    }

    /** A scheduler whose clock starts at {@code origin}. */
    public VirtualScheduler(Instant origin) {
        this.origin = origin;
        this.time = new VirtualTime(origin);
        this.scheduler = time.scheduler();
    }

    /** The virtual clock (UTC). */
    public Clock clock() {
        return time.clock();
    }

    /** Virtual time elapsed since the origin. */
    public Duration elapsed() {
        return Duration.between(origin, time.now());
    }

    /** Moves the clock forward, running every job that falls due, in order; returns how many. */
    public int advance(Duration duration) {
        long before = time.tasksRun();
        time.advance(duration);
        return (int) (time.tasksRun() - before);
    }

    /** Jobs waiting, cancelled ones not counted. */
    public int queued() {
        return scheduler.pending();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return scheduler.schedule(command, delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return scheduler.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
            long period, TimeUnit unit) {
        return scheduler.scheduleAtFixedRate(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
            long delay, TimeUnit unit) {
        return scheduler.scheduleWithFixedDelay(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
        scheduler.execute(command);
    }

    @Override
    public void shutdown() {
        scheduler.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return scheduler.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return scheduler.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return scheduler.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return scheduler.awaitTermination(timeout, unit);
    }
}
