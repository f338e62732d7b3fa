package io.github.hivemesh.internal.wire;

import io.github.hivemesh.task.Task;
import java.util.Objects;

/**
 * A task assignment: the task, and which registration and attempt of it this is.
 *
 * @param task    the task as submitted (its payload crosses through the payload codec)
 * @param serial  the owner's registration of the task (a task id may be used again once an
 *                ended task is forgotten; the serial tells the registrations apart)
 * @param attempt which attempt this is, from 1; a result of a superseded attempt is dropped
 * @param root    the completion root whose work it is (the endpoint that answers for it)
 * @param epoch   the epoch of that root's completion detector, as the sender knew it (its
 *                Dijkstra–Scholten tree's epoch); the recipient's signal carries it back
 */
public record Assign(Task task, long serial, int attempt, String root, long epoch,
        String home) implements WireMessage {

    /** The broker message type of assignments. */
    public static final String TYPE = "task.assign";

    /** Checks the fields. */
    public Assign {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(home, "home");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
    }

    /** An assignment whose task's record is in the recipient's process ({@code home} ""). */
    public Assign(Task task, long serial, int attempt, String root, long epoch) {
        this(task, serial, attempt, root, epoch, "");
    }

    /** An assignment in epoch 0 (a detector that was never reset). */
    public Assign(Task task, long serial, int attempt, String root) {
        this(task, serial, attempt, root, 0);
    }

    /** The task's id. */
    public String taskId() {
        return task.id();
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
