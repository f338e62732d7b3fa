package io.github.hivemesh.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} and a {@link Clock} in virtual time: nothing runs until the
 * test calls {@link #advance(Duration)}, which moves the clock and runs the due jobs, in time
 * order, on the calling thread. Lets a test drive timeouts without sleeping.
 *
 * <p>Thread-safe (jobs may be scheduled from any thread); jobs run on the advancing thread.
 */
public final class VirtualScheduler extends AbstractExecutorService
        implements ScheduledExecutorService {

    private final Instant origin;
    private final PriorityQueue<Job<?>> jobs = new PriorityQueue<>();
    private long nowNanos;
    private long sequence;
    private boolean shutdown;

    /** A scheduler whose clock starts at {@code 2025-01-01T00:00:00Z}. */
    public VirtualScheduler() {
        this(Instant.parse("2025-01-01T00:00:00Z"));
    }

    /** A scheduler whose clock starts at {@code origin}. */
    public VirtualScheduler(Instant origin) {
        this.origin = origin;
    }

    /** The virtual clock (UTC). */
    public Clock clock() {
        return new VirtualClock();
    }

    /** Virtual time elapsed since the origin. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(nowNanos);
    }

    /** Moves the clock forward, running every job that falls due, in order; returns how many. */
    public int advance(Duration duration) {
        long target;
        synchronized (this) {
            target = nowNanos + duration.toNanos();
        }
        int ran = 0;
        while (true) {
            Job<?> next;
            synchronized (this) {
                next = jobs.peek();
                if (next == null || next.time > target) {
                    nowNanos = target;
                    return ran;
                }
                jobs.poll();
                nowNanos = next.time;
            }
            next.runOnce();
            ran++;
        }
    }

    /** Jobs waiting (cancelled ones are removed at once). */
    public synchronized int queued() {
        return jobs.size();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Job<>(Executors.callable(command), unit.toNanos(delay), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Job<>(callable, unit.toNanos(delay), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
            long period, TimeUnit unit) {
        return enqueue(new Job<>(Executors.callable(command), unit.toNanos(initialDelay),
                unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
            long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    /** Runs at the current virtual time, on the next {@link #advance}. */
    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(jobs);
        jobs.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && jobs.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private synchronized <V> Job<V> enqueue(Job<V> job) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("virtual scheduler is shut down");
        }
        long delay = Math.max(0, job.delayNanos);
        // saturate: a "forever" delay must not wrap around into the past
        job.time = nowNanos > Long.MAX_VALUE - delay ? Long.MAX_VALUE : nowNanos + delay;
        job.seq = sequence++;
        jobs.add(job);
        return job;
    }

    private synchronized void requeue(Job<?> job) {
        job.time = nowNanos + job.period;
        job.seq = sequence++;
        jobs.add(job);
    }

    private synchronized boolean remove(Job<?> job) {
        return jobs.remove(job);
    }

    private synchronized long now() {
        return nowNanos;
    }

    /** A scheduled job; periodic when {@code period > 0}. */
    private final class Job<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final long delayNanos;
        final long period;
        long time;
        long seq;

        Job(Callable<V> callable, long delayNanos, long period) {
            super(callable);
            this.delayNanos = delayNanos;
            this.period = period;
        }

        void runOnce() {
            if (period == 0) {
                run();
            } else if (runAndReset()) {
                requeue(this);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                remove(this);
            }
            return cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(time - now(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Job<?> o = (Job<?>) other;
            int byTime = Long.compare(time, o.time);
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** Reads the virtual time. */
    private final class VirtualClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(instant(), zone);
        }

        @Override
        public Instant instant() {
            return origin.plusNanos(now());
        }
    }
}
