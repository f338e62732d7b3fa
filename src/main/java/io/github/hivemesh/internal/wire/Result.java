package io.github.hivemesh.internal.wire;

import java.util.Objects;

/**
 * How one attempt of a task ended, for the task's owner: its output, or its error.
 *
 * @param taskId  the task
 * @param serial  the owner's registration of it (see {@link Assign#serial()})
 * @param attempt the attempt that ended
 * @param output  what the session returned (null when it failed, or returned null)
 * @param error   why it failed, or null when it completed
 * @param root    the completion root whose work the task was ("": the recipient's own)
 * @param epoch   that root's epoch, as the sender knew it
 */
public record Result(String taskId, long serial, int attempt, Object output, Throwable error,
        String root, long epoch) implements WireMessage {

    /** The broker message type of results. */
    public static final String TYPE = "task.result";

    /** Checks the fields. */
    public Result {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(root, "root");
        if (error != null && output != null) {
            throw new IllegalArgumentException("a result has an output or an error, not both");
        }
    }

    /** A result of the recipient's own root's work, in epoch 0. */
    public Result(String taskId, long serial, int attempt, Object output, Throwable error) {
        this(taskId, serial, attempt, output, error, "", 0);
    }

    /** Whether the attempt completed. */
    public boolean success() {
        return error == null;
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
