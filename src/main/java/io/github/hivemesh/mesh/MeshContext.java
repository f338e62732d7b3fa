package io.github.hivemesh.mesh;

import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.completion.IDistributedCompletionDetector;
import io.github.hivemesh.internal.SwarmKernel;
import java.util.Collection;

/**
 * What the mesh's actors (its peers, its root, the discovery barrier) are given instead of the
 * coordinator: the kernel, the router, the detector, the peer-state store, and the few things
 * only the coordinator can do for them ({@link Membership}). Immutable.
 */
record MeshContext(SwarmKernel kernel, MeshRouter router, IDistributedCompletionDetector detector,
        PeerStateManager peerStates, IdlePausePolicy pausePolicy, ArtifactStorage checkpoints,
        String rootId, Membership membership, MeshCluster cluster) {

    /** The coordinator's part for its peers. */
    interface Membership {
        /**
         * A removed agent has left: it is no longer an agent of the swarm, and its id may be
         * spawned again. Its mailbox.
         */
        void retire(MeshPeer peer);

        /** Last step of a removal: the left agent's endpoint is neutral; forget it. Mailbox. */
        void forget(MeshPeer peer);

        /** A peer handled a discovery message: a waiting spawn may be complete. Any thread. */
        void discoveryProgressed();

        /** Whether a peer endpoint is routable now. Any thread. */
        boolean isLive(String endpoint);

        /** The live peers (a view). */
        Collection<MeshPeer> peers();
    }

    /** The swarm's id. */
    String swarmId() {
        return kernel.swarmId();
    }
}
