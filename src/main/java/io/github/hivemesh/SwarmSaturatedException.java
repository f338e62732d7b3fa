package io.github.hivemesh;

/**
 * The swarm already holds {@link SwarmConfig#maxPendingTasks()} submitted tasks that have not
 * ended, and is configured to refuse more ({@link SwarmConfig.Saturation#REJECT}); or a session
 * delegated a subtask while {@link SwarmConfig#maxPendingSubtasks()} delegated subtasks had not
 * ended (delegations are refused, never made to wait). Nothing was accepted; try again once
 * some tasks have ended.
 */
public class SwarmSaturatedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The refused task. */
    private final String taskId;
    /** The swarm that refused it. */
    private final String swarmId;
    /** The capacity that was full. */
    private final int capacity;
    /** What fills the capacity (e.g. "submitted tasks", "delegated subtasks"). */
    private final String what;
    /** The setting that bounds it (e.g. "SwarmConfig.maxPendingTasks"). */
    private final String setting;

    /**
     * An exception naming the task, the swarm and its capacity.
     *
     * @param taskId the refused task
     * @param swarmId the swarm that refused it
     * @param capacity the capacity that was full
     */
    public SwarmSaturatedException(String taskId, String swarmId, int capacity) {
        this(taskId, swarmId, capacity, "submitted tasks", "SwarmConfig.maxPendingTasks");
    }

    /**
     * An exception naming the task, the swarm, its capacity, what fills it (e.g. "delegated
     * subtasks") and the setting that bounds it.
     *
     * @param taskId the refused task
     * @param swarmId the swarm that refused it
     * @param capacity the capacity that was full
     * @param what what fills the capacity (e.g. "submitted tasks", "delegated subtasks")
     * @param setting the setting that bounds it (e.g. "SwarmConfig.maxPendingTasks")
     */
    public SwarmSaturatedException(String taskId, String swarmId, int capacity, String what,
            String setting) {
        super("swarm '" + swarmId + "' refused task '" + taskId + "': " + capacity + " " + what
                + " have not ended yet (" + setting + ")");
        this.taskId = taskId;
        this.swarmId = swarmId;
        this.capacity = capacity;
        this.what = what;
        this.setting = setting;
    }

    /** {@return the refused task} */
    public String taskId() {
        return taskId;
    }

    /** {@return the swarm that refused it} */
    public String swarmId() {
        return swarmId;
    }

    /** {@return the capacity that was full} */
    public int capacity() {
        return capacity;
    }

    /** {@return what fills the capacity (e.g. "submitted tasks", "delegated subtasks")} */
    public String what() {
        return what;
    }

    /** {@return the setting that bounds it (e.g. "SwarmConfig.maxPendingTasks")} */
    public String setting() {
        return setting;
    }
}
