package io.github.hivemesh.task;

import java.time.Duration;

/** A task ran longer than its timeout; it was failed and its session interrupted. */
public class TaskTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The task that timed out. */
    private final String taskId;
    private final transient Duration timeout;

    /**
     * An exception naming the task and its timeout.
     *
     * @param taskId the task that timed out
     * @param timeout the timeout that passed
     */
    public TaskTimeoutException(String taskId, Duration timeout) {
        super("task '" + taskId + "' timed out after " + timeout + "; its session was interrupted");
        this.taskId = taskId;
        this.timeout = timeout;
    }

    /** {@return the task that timed out} */
    public String taskId() {
        return taskId;
    }

    /** {@return the timeout that passed} */
    public Duration timeout() {
        return timeout;
    }
}
