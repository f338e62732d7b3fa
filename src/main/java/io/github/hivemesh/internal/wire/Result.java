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
 */
public record Result(String taskId, long serial, int attempt, Object output, Throwable error)
        implements WireMessage {

    /** The broker message type of results. */
    public static final String TYPE = "task.result";

    /** Checks the fields. */
    public Result {
        Objects.requireNonNull(taskId, "taskId");
        if (error != null && output != null) {
            throw new IllegalArgumentException("a result has an output or an error, not both");
        }
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
