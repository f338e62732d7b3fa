package io.github.hivemesh.memory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Memory shared by the agents of one swarm: items agents remember and share, and the state
 * each peer publishes about itself.
 *
 * <p>The seed's methods are synchronous here: each completes on the calling thread (in memory,
 * or blocking on the artifact store's I/O for peer state). Implementations are thread-safe.
 */
public interface ISwarmMemoryManager {

    /** {@return the swarm this memory serves} */
    String swarmId();

    /**
     * Remembers an item on behalf of an agent.
     *
     * @param agentId  the owner
     * @param type     what kind of item it is
     * @param content  the item, any object, may be {@code null}
     * @param metadata string labels
     * @return the new entry's id
     */
    String remember(String agentId, String type, Object content, Map<String, String> metadata);

    /**
     * {@return entries passing the query's filters, newest first, at most {@code query.limit()}}
     *
     * @param query the filters and the limit
     */
    List<MemoryEntry> recall(SwarmMemoryQuery query);

    /**
     * {@return one entry by id}
     *
     * @param entryId the entry's id
     */
    Optional<MemoryEntry> get(String entryId);

    /**
     * Makes an entry visible to another agent (its recall by agent then includes it).
     *
     * @param entryId the entry's id
     * @param targetAgentId the target agent's id
     * @throws UnknownMemoryEntryException if there is no such entry
     */
    void shareMemory(String entryId, String targetAgentId);

    /**
     * Publishes a peer's state, stored as a MessagePack artifact. A state older (lower
     * {@link PeerState#version()}) than the stored one is ignored, so late updates cannot
     * overwrite newer ones.
     *
     * @param peerId the peer's id
     * @param state the state
     * @return true if stored, false if it was older than the stored state
     * @throws IllegalArgumentException if {@code state} is of another peer or another swarm
     */
    boolean sharePeerState(String peerId, PeerState state);

    /**
     * {@return the stored states of every peer of a swarm (any swarm in the same store), by peer
     * id}
     *
     * @param swarmId the swarm this memory serves
     * @throws io.github.hivemesh.artifact.ArtifactCorruptedException if a stored state fails the
     *     store's verification (damaged bytes are never returned as a state)
     * @throws io.github.hivemesh.artifact.ArtifactFormatException if a stored state is not a valid
     *     {@link PeerStateCodec} encoding; the message names the artifact
     */
    List<PeerState> queryMeshPeers(String swarmId);

    /**
     * {@return the stored state of one peer of this swarm}
     *
     * @param peerId the peer's id
     * @throws io.github.hivemesh.artifact.ArtifactCorruptedException if it fails verification
     * @throws io.github.hivemesh.artifact.ArtifactFormatException if it is not a valid encoding
     */
    Optional<PeerState> getPeerState(String peerId);

    /**
     * Sets a peer's load in its stored state (creating an idle state for a new peer), one
     * version later.
     *
     * @param peerId the peer's id
     * @param load the load
     */
    void updatePeerLoad(String peerId, int load);

    /**
     * {@return the stored load of a peer of this swarm, empty if it has shared no state}
     *
     * @param peerId the peer's id
     */
    OptionalInt getPeerLoad(String peerId);
}
