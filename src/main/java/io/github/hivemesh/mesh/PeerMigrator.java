package io.github.hivemesh.mesh;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Moves queued tasks between peers for the balancer, through the peers' mailboxes: the peer
 * holding a task moves it, and its load with it. Peers are named by endpoint; an endpoint of
 * an incarnation that is gone has nothing to move.
 */
final class PeerMigrator implements TaskMigrator {

    private final Map<String, MeshPeer> peers;

    /** @param peers the live peers by agent id (read only here) */
    PeerMigrator(Map<String, MeshPeer> peers) {
        this.peers = peers;
    }

    @Override
    public boolean movesLoad() {
        // the peer moves the load when it moves the task, in its own mailbox
        return true;
    }

    @Override
    public List<String> movableTasks(String endpoint) {
        MeshPeer peer = peerAt(endpoint);
        return peer == null ? List.of() : peer.movableTasks();
    }

    @Override
    public CompletableFuture<Boolean> moveTask(String taskId, String fromEndpoint,
            String toEndpoint) {
        MeshPeer from = peerAt(fromEndpoint);
        return from == null ? CompletableFuture.completedFuture(false)
                : from.requestMigration(taskId, toEndpoint);
    }

    private MeshPeer peerAt(String endpoint) {
        MeshPeer peer = peers.get(MeshPeer.agentIdOf(endpoint));
        return peer != null && peer.endpoint().equals(endpoint) ? peer : null;
    }
}
