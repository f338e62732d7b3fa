package io.github.hivemesh.testing;

import java.util.BitSet;

/**
 * The schedule tests' own account of tasks, kept by the workload independently of any
 * completion detector: a task is created before it can be seen anywhere and ended when its
 * last step is done. Used as the oracle "every task has ended".
 *
 * <p>Not thread-safe: confined to the harness thread.
 */
public final class TaskLedger {

    private final BitSet ended = new BitSet();
    private int created;
    private int endedCount;

    /** A new task id. */
    public int create() {
        return created++;
    }

    /**
     * Marks a task ended.
     *
     * @throws IllegalStateException if it was never created or already ended
     */
    public void end(int taskId) {
        if (taskId < 0 || taskId >= created || ended.get(taskId)) {
            throw new IllegalStateException("task " + taskId + " ended twice or never existed");
        }
        ended.set(taskId);
        endedCount++;
    }

    /** Whether every created task has ended. */
    public boolean allEnded() {
        return endedCount == created;
    }

    /** Tasks created. */
    public int created() {
        return created;
    }

    /** Tasks ended. */
    public int ended() {
        return endedCount;
    }
}
