package io.github.hivemesh.internal;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Bounds the tasks of one kind that have not ended — the application's submissions, or the
 * subtasks sessions delegate — so a flood meets back-pressure or a refusal instead of an
 * {@code OutOfMemoryError}. A submission either waits for room or is refused, as configured; a
 * delegation is never made to wait (blocking a session could deadlock the work that would free
 * room), it is refused. The room a task takes is given back once, when it ends
 * ({@link TaskRecord} holds its gate).
 *
 * <p>Thread-safe.
 */
public final class SubmissionGate {

    private final Semaphore room;
    private final boolean block;

    /**
     * A gate for {@code capacity} tasks.
     *
     * @param block wait for room (true) or refuse at once (false)
     */
    public SubmissionGate(int capacity, boolean block) {
        this.room = new Semaphore(capacity);
        this.block = block;
    }

    /**
     * Takes room for one task.
     *
     * @return false if the gate refuses (full, and not blocking)
     * @throws InterruptedException if the caller was interrupted while waiting for room
     */
    public boolean enter() throws InterruptedException {
        if (room.tryAcquire()) {
            // room now: an interrupted caller is not refused for an interrupt it never waited on
            return true;
        }
        if (block) {
            room.acquire();
            return true;
        }
        return false;
    }

    /** Takes room for one task if there is some now, never waiting. */
    public boolean tryEnter() {
        return room.tryAcquire();
    }

    /**
     * Takes room for one task, or throws: {@code saturated}'s exception when the gate refuses,
     * {@code interrupted}'s when the caller was interrupted while waiting (its interrupt flag
     * is set again).
     */
    public void admit(Supplier<? extends RuntimeException> saturated,
            Supplier<? extends RuntimeException> interrupted) {
        try {
            if (!enter()) {
                throw saturated.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted.get();
        }
    }

    /** Gives back the room of a task that has ended (or was never accepted). */
    public void leave() {
        room.release();
    }

    /** Lets every waiting and later submission through (the swarm is shutting down). */
    public void open() {
        room.release(Integer.MAX_VALUE / 2);
    }

    /** Room left now. */
    public int available() {
        return room.availablePermits();
    }
}
