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

    private final String taskId;
    private final String swarmId;
    private final int capacity;
    private final String what;
    private final String setting;

    /** An exception naming the task, the swarm and its capacity. */
    public SwarmSaturatedException(String taskId, String swarmId, int capacity) {
        this(taskId, swarmId, capacity, "submitted tasks", "SwarmConfig.maxPendingTasks");
    }

    /**
     * An exception naming the task, the swarm, its capacity, what fills it (e.g. "delegated
     * subtasks") and the setting that bounds it.
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

    /** The refused task. */
    public String taskId() {
        return taskId;
    }

    /** The swarm that refused it. */
    public String swarmId() {
        return swarmId;
    }

    /** The capacity that was full. */
    public int capacity() {
        return capacity;
    }

    /** What fills the capacity (e.g. "submitted tasks", "delegated subtasks"). */
    public String what() {
        return what;
    }

    /** The setting that bounds it (e.g. "SwarmConfig.maxPendingTasks"). */
    public String setting() {
        return setting;
    }
}
