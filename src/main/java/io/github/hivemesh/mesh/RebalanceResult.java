package io.github.hivemesh.mesh;

import java.util.List;
import java.util.Objects;

/**
 * What one rebalance did; immutable.
 *
 * @param swarmId        the swarm it ran for
 * @param migrations     the tasks moved, in order
 * @param failedAttempts moves the migrator declined (task started or gone) or failed
 * @param before         the distribution when it started
 * @param after          the distribution when it ended
 */
public record RebalanceResult(String swarmId, List<Migration> migrations, int failedAttempts,
        LoadDistribution before, LoadDistribution after) {

    /**
     * Copies the list.
     *
     * @param swarmId the swarm it ran for
     * @param migrations the tasks moved, in order
     * @param failedAttempts moves the migrator declined (task started or gone) or failed
     * @param before the distribution when it started
     * @param after the distribution when it ended
     */
    public RebalanceResult {
        Objects.requireNonNull(swarmId, "swarmId");
        migrations = List.copyOf(Objects.requireNonNull(migrations, "migrations"));
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    /**
     * One task moved from one peer to another; immutable.
     *
     * @param taskId the task's id
     * @param fromPeerId the id of the peer the task leaves
     * @param toPeerId the receiving peer's id
     */
    public record Migration(String taskId, String fromPeerId, String toPeerId) {

        /**
         * Checks the ids.
         *
         * @param taskId the task's id
         * @param fromPeerId the id of the peer the task leaves
         * @param toPeerId the receiving peer's id
         */
        public Migration {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(fromPeerId, "fromPeerId");
            Objects.requireNonNull(toPeerId, "toPeerId");
        }
    }
}
