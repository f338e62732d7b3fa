package io.github.hivemesh.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The life of one coordinator: {@code NEW → RUNNING → STOPPING → STOPPED}, with a stop that
 * runs once whoever asks for it and however often, and the words for refusing work in each
 * phase. Shared by the coordinators so their lifecycle reads and fails the same way.
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
