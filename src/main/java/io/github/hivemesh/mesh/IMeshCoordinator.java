package io.github.hivemesh.mesh;

import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.task.Task;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A peer-to-peer swarm (the seed's {@code IMeshCoordinator}): every agent is a peer with its
 * own mailbox, peers discover each other over the broker and delegate subtasks to each other
 * directly, and completion is detected by Dijkstra–Scholten. Adds the mesh's own views to
 * {@link ICoordinator}.
 */
public interface IMeshCoordinator extends ICoordinator {

    /**
     * Submits a task and tells which peer it was placed on.
     *
     * @param task the task
     * @return completes with the peer's id once the task is in that peer's mailbox; fails like
     *     {@link #submitTask} when it cannot be placed
     */
    CompletableFuture<String> assignTaskToPeer(Task task);

    /** {@return the live peers, as snapshots} */
    List<PeerAgent> getActivePeers();

    /**
     * {@return a snapshot of one peer}
     *
     * @param peerId the peer's id
     */
    Optional<PeerAgent> getPeer(String peerId);

    /**
     * {@return live peers having every one of {@code capabilities}}
     *
     * @param capabilities the capabilities
     */
    List<PeerAgent> findPeersByCapabilities(Collection<String> capabilities);

    /**
     * {@return {@link #waitForCompletion} with {@link MeshCoordinatorConfig#completionTimeout()}}
     */
    CompletableFuture<Boolean> waitForMeshCompletion();

    /** {@return moves queued, unstarted tasks from overloaded to underloaded peers now} */
    CompletableFuture<RebalanceResult> rebalanceMesh();

    /** {@return the mesh's own metrics} */
    MeshMetrics getMeshMetrics();
}
