package io.github.hivemesh.task;

/** A task was cancelled (its future, or its parent's, was cancelled) before it ended. */
public class TaskCancelledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The cancelled task. */
    private final String taskId;
    /** Why it was cancelled. */
    private final String reason;

    /**
     * An exception naming the task and why.
     *
     * @param taskId the cancelled task
     * @param why why it was cancelled
     */
    public TaskCancelledException(String taskId, String why) {
        super("task '" + taskId + "' was cancelled: " + why);
        this.taskId = taskId;
        this.reason = why;
    }

    /** {@return the cancelled task} */
    public String taskId() {
        return taskId;
    }

    /** {@return why it was cancelled} */
    public String reason() {
        return reason;
    }
}
