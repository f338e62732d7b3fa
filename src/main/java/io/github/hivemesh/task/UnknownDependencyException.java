package io.github.hivemesh.task;

/** A task depends on a task id the swarm has never seen; the task was not accepted. */
public class UnknownDependencyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The task that was refused. */
    private final String taskId;
    /** The dependency nobody knows. */
    private final String dependency;

    /**
     * An exception naming the task and its unknown dependency.
     *
     * @param taskId the task that was refused
     * @param dependency the dependency nobody knows
     */
    public UnknownDependencyException(String taskId, String dependency) {
        super("task '" + taskId + "' depends on unknown task '" + dependency + "'");
        this.taskId = taskId;
        this.dependency = dependency;
    }

    /** {@return the task that was refused} */
    public String taskId() {
        return taskId;
    }

    /** {@return the dependency nobody knows} */
    public String dependency() {
        return dependency;
    }
}
