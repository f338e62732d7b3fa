package io.github.hivemesh.mesh;

import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.memory.PeerState;
import io.github.hivemesh.memory.SwarmMemoryManager;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Shares each peer's {@link PeerState} (load, active tasks, counters) as a MessagePack artifact
 * through the swarm memory, in memory or in the durable file store under the swarm's
 * {@code artifactStoragePath}. A peer publishes when it is spawned and, after it becomes busy or
 * idle, within {@link #PUBLISH_DELAY} (changes in between are coalesced); readers see the last
 * state each peer published, so the views converge as peers publish.
 *
 * <p>Thread-safe.
 */
final class PeerStateManager {

    /** Longest a change of a peer's state waits before it is published. */
    static final Duration PUBLISH_DELAY = Duration.ofMillis(200);
    /**
     * Most task ids one published state lists; its load counts them all. A state is a view for
     * placement and monitoring, and must stay small to encode a few times a second.
     */
    static final int MAX_LISTED_TASKS = 1_024;

    private final String swarmId;
    private final Clock clock;
    private final SwarmMemoryManager memory;
    private final ArtifactStorage storage;

    PeerStateManager(String swarmId, SwarmMemoryManager memory, ArtifactStorage storage,
            Clock clock) {
        this.swarmId = swarmId;
        this.clock = clock;
        this.storage = storage;
        this.memory = memory;
    }

    /** Publishes a peer's state. Called from the peer's mailbox (or at spawn). */
    void publish(String peerId, int load, List<String> activeTasks, long completed, long failed,
            long tokens, long version) {
        Map<String, Long> metrics = new LinkedHashMap<>();
        metrics.put("tasksCompleted", completed);
        metrics.put("tasksFailed", failed);
        metrics.put("tokens", tokens);
        memory.sharePeerState(peerId, new PeerState(peerId, swarmId, load, activeTasks, metrics,
                clock.instant(), version));
    }

    /** The last state every peer published. */
    List<PeerState> states() {
        return memory.queryMeshPeers(swarmId);
    }

    /** The last state a peer published. */
    Optional<PeerState> state(String peerId) {
        return memory.getPeerState(peerId);
    }

    /** The store (also used for checkpoints). */
    ArtifactStorage storage() {
        return storage;
    }

}
