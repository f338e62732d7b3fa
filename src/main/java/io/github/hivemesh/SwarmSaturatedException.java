package io.github.hivemesh;

/**
 * The swarm already holds {@link SwarmConfig#maxPendingTasks()} submitted tasks that have not
 * ended, and is configured to refuse more ({@link SwarmConfig.Saturation#REJECT}). Nothing was
 * accepted; submit again once some tasks have ended.
 */
public class SwarmSaturatedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** An exception naming the task, the swarm and its capacity. */
    public SwarmSaturatedException(String taskId, String swarmId, int capacity) {
        super("swarm '" + swarmId + "' refused task '" + taskId + "': " + capacity
                + " submitted tasks have not ended yet (SwarmConfig.maxPendingTasks)");
    }
}
