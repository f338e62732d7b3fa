package io.github.hivemesh.task;

/** A task id was submitted twice in one swarm; the second submission was not accepted. */
public class DuplicateTaskException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The duplicate id. */
    private final String taskId;

    /**
     * An exception naming the duplicate id.
     *
     * @param taskId the duplicate id
     */
    public DuplicateTaskException(String taskId) {
        super("task id '" + taskId + "' is already in use in this swarm");
        this.taskId = taskId;
    }

    /** {@return the duplicate id} */
    public String taskId() {
        return taskId;
    }
}
