package io.github.hivemesh.task;

/** A task could not run because a task it depends on failed. */
public class DependencyFailedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String taskId;
    private final String dependency;

    /** An exception naming the task and the failed dependency. */
    public DependencyFailedException(String taskId, String dependency) {
        super("task '" + taskId + "' did not run: its dependency '" + dependency + "' failed");
        this.taskId = taskId;
        this.dependency = dependency;
    }

    /** The task that did not run. */
    public String taskId() {
        return taskId;
    }

    /** The dependency whose failure stopped it (directly or further up the chain). */
    public String dependency() {
        return dependency;
    }
}
