package io.github.hivemesh.task;

import java.util.Objects;

/**
 * A task failed. Its cause is the reason (what the session threw, or e.g. a
 * {@code NoCapableAgentException}); {@link #result()} holds the failed {@link TaskResult}.
 */
public class TaskFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient TaskResult result;

    /**
     * An exception for a failed result.
     *
     * @param result the failed result
     */
    public TaskFailedException(TaskResult result) {
        super("task '" + Objects.requireNonNull(result, "result").taskId() + "' failed: "
                + result.error(), result.error());
        this.result = result;
    }

    /** {@return the failed result} */
    public TaskResult result() {
        return result;
    }

    /** {@return the id of the task that failed} */
    public String taskId() {
        return result.taskId();
    }
}
