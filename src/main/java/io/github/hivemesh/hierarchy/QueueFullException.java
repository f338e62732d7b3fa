package io.github.hivemesh.hierarchy;

/**
 * The queen already holds {@link HierarchicalCoordinatorConfig#queueCapacity()} tasks, so a new
 * one was refused: it was not accepted, its id is not taken, and it may be submitted again once
 * work has drained. Nothing accepted earlier is affected.
 */
public class QueueFullException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The capacity that was reached. */
    private final int capacity;

    /**
     * An exception naming the swarm, the refused task and the capacity.
     *
     * @param swarmId the swarm's id
     * @param taskId the task's id
     * @param capacity the capacity that was reached
     */
    public QueueFullException(String swarmId, String taskId, int capacity) {
        super("swarm '" + swarmId + "' refused task '" + taskId + "': the queen already holds "
                + capacity + " tasks (HierarchicalCoordinatorConfig.queueCapacity); submit it "
                + "again once work has drained");
        this.capacity = capacity;
    }

    /** {@return the capacity that was reached} */
    public int capacity() {
        return capacity;
    }
}
