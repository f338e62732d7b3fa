package io.github.hivemesh.task;

/** A task depends on a task id the swarm has never seen; the task was not accepted. */
public class UnknownDependencyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String taskId;
    private final String dependency;

    /** An exception naming the task and its unknown dependency. */
    public UnknownDependencyException(String taskId, String dependency) {
        super("task '" + taskId + "' depends on unknown task '" + dependency + "'");
        this.taskId = taskId;
        this.dependency = dependency;
    }

    /** The task that was refused. */
    public String taskId() {
        return taskId;
    }

    /** The dependency nobody knows. */
    public String dependency() {
        return dependency;
    }
}
