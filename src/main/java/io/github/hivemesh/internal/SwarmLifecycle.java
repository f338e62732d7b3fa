package io.github.hivemesh.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The life of one coordinator: {@code NEW → RUNNING → STOPPING → STOPPED}, with a stop that
 * runs once whoever asks for it and however often, and the words for refusing work in each
 * phase. Shared by the coordinators so their lifecycle reads and fails the same way.
 *
 * <h2>Admissions</h2>
 * Whatever registers work (a submission, a delegation, a spawn) runs between {@link #enter()}
 * and {@link #exit()}. A stop moves to {@code STOPPING} and then {@link #awaitAdmissions waits}
 * for the admissions under way to leave before it fails what is registered, so nothing is
 * registered behind the stop's back and left pending forever. {@code enter} counts itself
 * before it reads the phase and the stop sets the phase before it reads the count, so one of
 * them sees the other: an admission either sees the stop and backs out, or is waited for.
 * Admissions of the stopping thread itself (a callback that closes the swarm from inside a
 * submission) are not waited for.
 *
 * <p>Thread-safe: phase changes are compare-and-set.
 */
public final class SwarmLifecycle {

    /** Where a coordinator is in its life. */
    public enum Phase {
        /** Built, not initialized: nothing is accepted yet. */
        NEW,
        /** Initialized: work is accepted. */
        RUNNING,
        /** A stop is under way: nothing new is accepted. */
        STOPPING,
        /** Stopped for good. */
        STOPPED
    }

    private final String swarmId;
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.NEW);
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final AtomicInteger admissions = new AtomicInteger();
    /** Admissions the current thread is inside (re-entrant: a callback may submit). */
    private final ThreadLocal<int[]> held = ThreadLocal.withInitial(() -> new int[1]);

    /** The lifecycle of the swarm {@code swarmId}, in {@link Phase#NEW}. */
    public SwarmLifecycle(String swarmId) {
        this.swarmId = Objects.requireNonNull(swarmId, "swarmId");
    }

    /** Moves {@code NEW → RUNNING}; true if the coordinator is running now (new or not). */
    public boolean start() {
        phase.compareAndSet(Phase.NEW, Phase.RUNNING);
        return phase.get() == Phase.RUNNING;
    }

    /** Whether work is accepted. */
    public boolean isRunning() {
        return phase.get() == Phase.RUNNING;
    }

    /**
     * Starts an admission: true if work is accepted now, and then {@link #exit()} must follow;
     * false (nothing to undo) if the coordinator is not running.
     */
    public boolean enter() {
        admissions.incrementAndGet();
        if (phase.get() != Phase.RUNNING) {
            admissions.decrementAndGet();
            return false;
        }
        held.get()[0]++;
        return true;
    }

    /** Ends an admission begun by a successful {@link #enter()}. */
    public void exit() {
        held.get()[0]--;
        admissions.decrementAndGet();
    }

    /**
     * Waits, during a stop, until no admission of another thread is under way, at most
     * {@code grace}.
     *
     * @return false if admissions were still under way when the grace ran out
     */
    public boolean awaitAdmissions(Duration grace) {
        int own = held.get()[0];
        long deadline = System.nanoTime() + grace.toNanos();
        while (admissions.get() > own) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(10_000);
        }
        return true;
    }

    /** Whether a stop has begun (or ended). */
    public boolean isStopping() {
        Phase now = phase.get();
        return now == Phase.STOPPING || now == Phase.STOPPED;
    }

    /** The phase now. */
    public Phase phase() {
        return phase.get();
    }

    /**
     * Runs {@code stopping} once, on the first call from {@code NEW} or {@code RUNNING}, then
     * completes the returned future; later calls return the same future.
     */
    public CompletableFuture<Void> stop(Runnable stopping) {
        if (phase.compareAndSet(Phase.RUNNING, Phase.STOPPING)
                || phase.compareAndSet(Phase.NEW, Phase.STOPPING)) {
            try {
                stopping.run();
            } finally {
                phase.set(Phase.STOPPED);
                stopped.complete(null);
            }
        }
        return stopped;
    }

    /** Why {@code what} (e.g. "submit task 'x'") cannot be done in this phase. */
    public String refusal(String what) {
        return "cannot " + what + ": swarm '" + swarmId + "' is "
                + (phase.get() == Phase.NEW ? "not initialized (call initialize())"
                        : "shut down");
    }

    @Override
    public String toString() {
        return phase.get().toString();
    }
}
