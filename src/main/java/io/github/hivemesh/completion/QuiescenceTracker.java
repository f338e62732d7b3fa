package io.github.hivemesh.completion;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The part both detectors share: one counter of outstanding work whose return to zero is a
 * quiescent moment, the futures waiting for that moment (with their timeouts), the epoch, and
 * the {@link DetectionStats}.
 *
 * <h2>State word</h2>
 * One {@code AtomicLong} packs the outstanding count (bits 0–30), a RESETTING flag (bit 31) and
 * the number of the current <em>busy period</em> (bits 32–63, wrapping). A period starts when
 * the count leaves zero and ends when it returns to zero. Packing them matters: a waiter
 * registered during period {@code n} must be completed by the end of period {@code n}, never by
 * the end of an older one that another thread is still announcing while new work has arrived.
 * With the period in the same word as the count, the thread whose decrement reached zero knows
 * exactly which period it ended, and completes only the waiters registered in it or before.
 *
 * <h2>Ordering</h2>
 * {@link #enter()} and {@link #exit()} are CAS loops on that one word, so every observer sees
 * one total order of increments and decrements; "count is zero" read anywhere is a moment at
 * which no caller held work. A waiter is added to the queue <em>before</em> it re-reads the
 * word: either the re-read sees its period over (and the registrant completes it), or the
 * decrement that ends the period comes later in the CAS order and its drain of the queue
 * (weakly consistent, but it sees every element added before the iterator was created) finds it.
 * {@code CompletableFuture.complete} is idempotent, so both completing it is harmless.
 *
 * <p>Thread-safe; lock-free except for a spin while a {@link #reset()} flips the epoch.
 */
final class QuiescenceTracker {

    private static final long COUNT_MASK = 0x7FFF_FFFFL;
    private static final long RESETTING = 1L << 31;
    private static final int PERIOD_SHIFT = 32;

    private final String swarmId;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    private final AtomicLong state = new AtomicLong();
    private volatile long epoch;
    private volatile boolean shutDown;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

    private final DetectionStats stats = new DetectionStats();

    /**
     * @param scheduler runs timeouts; {@code null} to use the JDK's shared
     *                  {@code CompletableFuture.delayedExecutor} (no thread of ours)
     */
    QuiescenceTracker(String swarmId, Clock clock, ScheduledExecutorService scheduler) {
        this.swarmId = swarmId;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** One more unit of outstanding work. Any thread. */
    void enter() {
        while (true) {
            long s = stateOutsideReset();
            long count = s & COUNT_MASK;
            if (count == COUNT_MASK) {
                throw new IllegalStateException("swarm '" + swarmId + "' has " + count
                        + " units of outstanding work, the most a completion detector can count");
            }
            long next = count == 0 ? nextPeriod(s) | 1 : s + 1;
            if (state.compareAndSet(s, next)) {
                return;
            }
        }
    }

    /** One unit of outstanding work ended; completes the waiters when it was the last. */
    void exit() {
        while (true) {
            long s = state.get();
            long count = s & COUNT_MASK;
            if (count == 0) {
                throw new IllegalStateException("swarm '" + swarmId
                        + "': more work ended than was started (outstanding count is 0)");
            }
            if (state.compareAndSet(s, s - 1)) {
                if (count == 1) {
                    periodEnded(period(s));
                }
                return;
            }
        }
    }

    /** Outstanding work now. */
    long outstanding() {
        return state.get() & COUNT_MASK;
    }

    boolean isQuiescent() {
        return outstanding() == 0;
    }

    long epoch() {
        return epoch;
    }

    /**
     * Starts a new epoch. Atomic with respect to {@link #enter()}: the flag is set by a CAS that
     * succeeds only on a zero count, and {@code enter} waits while it is set, so no work can
     * start in the old epoch and finish in the new one.
     *
     * @throws IllegalStateException if work is outstanding
     */
    void reset() {
        while (true) {
            long s = stateOutsideReset();
            long count = s & COUNT_MASK;
            if (count != 0) {
                throw new IllegalStateException("reset refused: swarm '" + swarmId
                        + "' is not quiescent (" + count + " units of work outstanding); "
                        + "the epoch may change only while quiescent");
            }
            if (state.compareAndSet(s, s | RESETTING)) {
                epoch = epoch + 1;
                state.set(s);
                return;
            }
        }
    }

    /** The state word, once no reset is between its two writes (a few instructions). */
    private long stateOutsideReset() {
        long s = state.get();
        while ((s & RESETTING) != 0) {
            Thread.onSpinWait();
            s = state.get();
        }
        return s;
    }

    /** A future completing true at the first quiescent moment from now, false on timeout. */
    CompletableFuture<Boolean> await(Duration timeout) {
        stats.attempt();
        if (shutDown) {
            return CompletableFuture.failedFuture(shutDownException());
        }
        long s = state.get();
        if ((s & COUNT_MASK) == 0) {
            stats.success(0);
            return CompletableFuture.completedFuture(Boolean.TRUE);
        }
        if (timeout.isZero()) {
            stats.timeout();
            return CompletableFuture.completedFuture(Boolean.FALSE);
        }
        Waiter waiter = new Waiter(period(s), clock.instant());
        waiters.add(waiter);
        waiter.timer = schedule(waiter, timeout);
        if (waiter.settled.get()) {
            waiter.cancelTimer();
        }
        long now = state.get();
        if ((now & COUNT_MASK) == 0 || period(now) != waiter.period) {
            waiters.remove(waiter);
            waiter.succeed();
        }
        if (shutDown) {
            waiter.fail(shutDownException());
        }
        return waiter.future;
    }

    /** Fails every waiting future and refuses later ones. Idempotent. */
    void shutdown() {
        shutDown = true;
        for (Waiter waiter; (waiter = waiters.poll()) != null; ) {
            waiter.fail(shutDownException());
        }
    }

    DetectionStats stats() {
        return stats;
    }

    private void periodEnded(int period) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            // wrap-safe "registered in this period or an earlier one"
            if (period - waiter.period >= 0) {
                it.remove();
                waiter.succeed();
            }
        }
    }

    private Future<?> schedule(Waiter waiter, Duration timeout) {
        long nanos = saturatedNanos(timeout);
        if (scheduler != null) {
            return scheduler.schedule(waiter::expire, nanos, TimeUnit.NANOSECONDS);
        }
        CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS).execute(waiter::expire);
        return null;
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private IllegalStateException shutDownException() {
        return new IllegalStateException(
                "the completion detector of swarm '" + swarmId + "' was shut down");
    }

    private static int period(long s) {
        return (int) (s >>> PERIOD_SHIFT);
    }

    private static long nextPeriod(long s) {
        return (long) (period(s) + 1) << PERIOD_SHIFT;
    }

    /**
     * One pending {@code await}. Whoever wins {@code settled} (quiescence, timeout or shutdown)
     * updates the metrics <em>before</em> completing the future, so a caller who sees the result
     * also sees it counted.
     */
    private final class Waiter {
        final int period;
        final Instant start;
        final CompletableFuture<Boolean> future = new CompletableFuture<>();
        final AtomicBoolean settled = new AtomicBoolean();
        volatile Future<?> timer;

        Waiter(int period, Instant start) {
            this.period = period;
            this.start = start;
        }

        void succeed() {
            if (settled.compareAndSet(false, true)) {
                cancelTimer();
                stats.success(Math.max(0, Duration.between(start, clock.instant()).toNanos()));
                future.complete(Boolean.TRUE);
            }
        }

        void expire() {
            if (settled.compareAndSet(false, true)) {
                waiters.remove(this);
                stats.timeout();
                future.complete(Boolean.FALSE);
            }
        }

        void fail(Throwable reason) {
            if (settled.compareAndSet(false, true)) {
                cancelTimer();
                future.completeExceptionally(reason);
            }
        }

        void cancelTimer() {
            Future<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}
