package io.github.hivemesh.mesh;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * How {@link MeshLoadBalancer#rebalance} moves work: a callback the coordinator supplies,
 * because only the coordinator (inside the peers' mailboxes) knows which tasks have started.
 *
 * <p>Contract: a task is moved only if it has not started; a move that cannot be made (the task
 * started, finished, or is gone) completes {@code false} and leaves the task where it was. A
 * task is never lost and never run twice. Methods may be called from any thread.
 */
public interface TaskMigrator {

    /** A migrator that moves nothing (the balancer's default when none is supplied). */
    TaskMigrator NONE = new TaskMigrator() {
        @Override
        public List<String> movableTasks(String peerId) {
            Objects.requireNonNull(peerId, "peerId");
            return List.of();
        }

        @Override
        public CompletableFuture<Boolean> moveTask(String taskId, String fromPeerId,
                String toPeerId) {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(fromPeerId, "fromPeerId");
            Objects.requireNonNull(toPeerId, "toPeerId");
            return CompletableFuture.completedFuture(false);
        }
    };

    /**
     * {@return whether the migrator moves the load with the task itself (the balancer then leaves
     * its table alone on a successful move)} A coordinator that counts load as tasks are assigned
     * and end must say true: adjusting afterwards races with the moved task ending. Default false:
     * the balancer moves one unit of load per successful move.
     */
    default boolean movesLoad() {
        return false;
    }

    /**
     * {@return ids of tasks queued on {@code peerId} that have not started, in the order they would
     * run (a snapshot: some may have started by the time they are moved)}
     *
     * @param peerId the peer's id
     */
    List<String> movableTasks(String peerId);

    /**
     * Moves one task if it still has not started.
     *
     * @param taskId the task's id
     * @param fromPeerId the id of the peer the task leaves
     * @param toPeerId the receiving peer's id
     * @return completes {@code true} if the task is now queued on {@code toPeerId}, {@code false}
     *     if it stayed on {@code fromPeerId}
     */
    CompletableFuture<Boolean> moveTask(String taskId, String fromPeerId, String toPeerId);
}
