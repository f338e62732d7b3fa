package io.github.hivemesh.task;

/** A task could not run because a task it depends on failed. */
public class DependencyFailedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The task that did not run. */
    private final String taskId;
    /** The dependency whose failure stopped it (directly or further up the chain). */
    private final String dependency;

    /**
     * An exception naming the task and the failed dependency.
     *
     * @param taskId the task that did not run
     * @param dependency the dependency whose failure stopped it (directly or further up the chain)
     */
    public DependencyFailedException(String taskId, String dependency) {
        super("task '" + taskId + "' did not run: its dependency '" + dependency + "' failed");
        this.taskId = taskId;
        this.dependency = dependency;
    }

    /**
     * An exception naming the task and the failed dependency, with the dependency's own error.
     *
     * @param taskId the task that did not run
     * @param dependency the dependency whose failure stopped it (directly or further up the chain)
     * @param cause why the dependency failed (its error), or null when not known
     */
    public DependencyFailedException(String taskId, String dependency, Throwable cause) {
        this(taskId, dependency);
        if (cause != null) {
            initCause(cause);
        }
    }

    /** {@return the task that did not run} */
    public String taskId() {
        return taskId;
    }

    /** {@return the dependency whose failure stopped it (directly or further up the chain)} */
    public String dependency() {
        return dependency;
    }
}
