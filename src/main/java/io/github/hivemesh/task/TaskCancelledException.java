package io.github.hivemesh.task;

/** A task was cancelled (its future, or its parent's, was cancelled) before it ended. */
public class TaskCancelledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String taskId;
    private final String reason;

    /** An exception naming the task and why. */
    public TaskCancelledException(String taskId, String why) {
        super("task '" + taskId + "' was cancelled: " + why);
        this.taskId = taskId;
        this.reason = why;
    }

    /** The cancelled task. */
    public String taskId() {
        return taskId;
    }

    /** Why it was cancelled. */
    public String reason() {
        return reason;
    }
}
