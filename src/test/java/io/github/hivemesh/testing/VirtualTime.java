package io.github.hivemesh.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Virtual time for tests: a {@link Clock} that moves only when the test calls {@link #advance},
 * and {@link ScheduledExecutorService}s whose tasks run on the test's thread, in time order, as
 * time passes. Nothing runs on another thread, so a test is deterministic.
 *
 * <p>Several schedulers ({@link #newScheduler()}) share one time line; each can be
 * {@linkplain Scheduler#pause() paused} to freeze one component (a peer that stops sending
 * heartbeats) while the others go on. A scheduler also works as a plain {@code Executor} (for a
 * broker's dispatcher): {@code execute} runs the command at the current time, on the next
 * {@link #advance} or {@link #runDue}.
 *
 * <p>Thread-safe for submission; {@link #advance} must be called from one thread at a time.
 */
public final class VirtualTime {

    private final PriorityQueue<Job<?>> queue = new PriorityQueue<>();
    private final Scheduler defaultScheduler;
    private long nowNanos;
    private long sequence;
    private long ran;

    /** Virtual time starting at {@code start}. */
    public VirtualTime(Instant start) {
        this.nowNanos = TimeUnit.SECONDS.toNanos(start.getEpochSecond()) + start.getNano();
        this.defaultScheduler = new Scheduler();
    }

    /** Virtual time starting at 2025-01-01T00:00:00Z. */
    public VirtualTime() {
        this(Instant.parse("2025-01-01T00:00:00Z"));
    }

    /** The current virtual instant. */
    public synchronized Instant now() {
        return Instant.ofEpochSecond(0, nowNanos);
    }

    /** A clock reading the virtual time (UTC). */
    public Clock clock() {
        return new VirtualClock(ZoneOffset.UTC);
    }

    /** The default scheduler. */
    public Scheduler scheduler() {
        return defaultScheduler;
    }

    /** Another scheduler on the same time line, for a component the test may pause. */
    public Scheduler newScheduler() {
        return new Scheduler();
    }

    /** Tasks run so far, by every scheduler. */
    public synchronized long tasksRun() {
        return ran;
    }

    /** Runs every task due now (including tasks they submit for now). */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /**
     * Moves time forward by {@code duration}, running every task that falls due on the way at its
     * due time (time order; submission order among equal times). Tasks of a paused scheduler
     * stay queued and run after it is resumed.
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time cannot go back: " + duration);
        }
        long target;
        synchronized (this) {
            target = nowNanos + duration.toNanos();
        }
        while (true) {
            Job<?> job = nextDue(target);
            if (job == null) {
                break;
            }
            job.runAt();
        }
        synchronized (this) {
            nowNanos = Math.max(nowNanos, target);
        }
    }

    private synchronized Job<?> nextDue(long target) {
        List<Job<?>> held = new ArrayList<>();
        Job<?> due = null;
        while (!queue.isEmpty() && queue.peek().dueNanos <= target) {
            Job<?> job = queue.poll();
            if (job.isCancelled()) {
                continue;
            }
            if (job.owner.paused) {
                held.add(job);
                continue;
            }
            due = job;
            break;
        }
        queue.addAll(held);
        if (due != null) {
            nowNanos = Math.max(nowNanos, due.dueNanos);
            ran++;
        }
        return due;
    }

    private synchronized void enqueue(Job<?> job) {
        queue.add(job);
    }

    private synchronized long nextSequence() {
        return sequence++;
    }

    private synchronized long nanos() {
        return nowNanos;
    }

    private final class VirtualClock extends Clock {
        private final ZoneId zone;

        VirtualClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId newZone) {
            return new VirtualClock(newZone);
        }

        @Override
        public Instant instant() {
            return now();
        }
    }

    /** A scheduled task: one-shot, fixed-rate ({@code period > 0}) or fixed-delay ({@code < 0}). */
    private final class Job<V> extends FutureTask<V> implements ScheduledFuture<V> {
        final Scheduler owner;
        final long period;
        long dueNanos;
        long seq;

        Job(Scheduler owner, Callable<V> callable, long dueNanos, long period) {
            super(callable);
            this.owner = owner;
            this.dueNanos = dueNanos;
            this.period = period;
            this.seq = nextSequence();
        }

        void runAt() {
            if (period == 0) {
                run();
                return;
            }
            if (runAndReset() && !owner.shutdown) {
                dueNanos = period > 0 ? dueNanos + period : nanos() - period;
                seq = nextSequence();
                enqueue(this);
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - nanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Job<?> that = (Job<?>) other;
            int byTime = Long.compare(dueNanos, that.dueNanos);
            return byTime != 0 ? byTime : Long.compare(seq, that.seq);
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

    /** A scheduler on this time line. Submission is thread-safe; tasks run inside advance. */
    public final class Scheduler extends AbstractExecutorService
            implements ScheduledExecutorService {

        private volatile boolean paused;
        private volatile boolean shutdown;

        private Scheduler() {
        }

        /** Holds this scheduler's tasks until {@link #resume()}. */
        public void pause() {
            paused = true;
        }

        /** Lets this scheduler's tasks run again (overdue ones on the next advance). */
        public void resume() {
            paused = false;
        }

        /** The time line this scheduler belongs to. */
        public VirtualTime time() {
            return VirtualTime.this;
        }

        private <V> Job<V> submitJob(Callable<V> callable, long delayNanos, long period) {
            Objects.requireNonNull(callable, "callable");
            if (shutdown) {
                throw new RejectedExecutionException("virtual scheduler is shut down");
            }
            // a delay beyond the nanosecond range means "never": saturate instead of overflowing
            long due = nanos() + Math.max(0, delayNanos);
            Job<V> job = new Job<>(this, callable, due < 0 ? Long.MAX_VALUE : due, period);
            enqueue(job);
            return job;
        }

        @Override
        public void execute(Runnable command) {
            submitJob(Executors.callable(command, null), 0, 0);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return submitJob(Executors.callable(command, null), unit.toNanos(delay), 0);
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            return submitJob(callable, unit.toNanos(delay), 0);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
                long period, TimeUnit unit) {
            if (period <= 0) {
                throw new IllegalArgumentException("period must be positive");
            }
            return submitJob(Executors.callable(command, null), unit.toNanos(initialDelay),
                    unit.toNanos(period));
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
                long delay, TimeUnit unit) {
            if (delay <= 0) {
                throw new IllegalArgumentException("delay must be positive");
            }
            return submitJob(Executors.callable(command, null), unit.toNanos(initialDelay),
                    -unit.toNanos(delay));
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            List<Runnable> pending = new ArrayList<>();
            synchronized (VirtualTime.this) {
                queue.removeIf(job -> {
                    if (job.owner == this) {
                        pending.add(job);
                        return true;
                    }
                    return false;
                });
            }
            return pending;
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            if (!shutdown) {
                return false;
            }
            synchronized (VirtualTime.this) {
                return queue.stream().noneMatch(job -> job.owner == this && !job.isCancelled());
            }
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return isTerminated();
        }

        /** Tasks of this scheduler still queued (not cancelled). */
        public int pending() {
            synchronized (VirtualTime.this) {
                return (int) queue.stream()
                        .filter(job -> job.owner == this && !job.isCancelled()).count();
            }
        }
    }
}
