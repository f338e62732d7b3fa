package io.github.hivemesh.completion;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Exact completion detection for a mesh by Dijkstra–Scholten (see
 * {@link DistributedCompletionDetector} for the algorithm and {@code docs/completion.md}).
 *
 * <p>The detector is topology-free: each peer drives its {@link CompletionPeer} from inside its
 * own mailbox, the coordinator drives the {@link CompletionRoot}, and signals travel as broker
 * messages of type {@link #SIGNAL_MESSAGE_TYPE} through the {@link SignalTransport} given at
 * creation. The seed's probe vocabulary maps as follows: a probe is a basic message not yet
 * signalled back, an acknowledgment is a signal ({@link CompletionProbe.Type}).
 *
 * <p>Thread-safe. The query methods read published snapshots and may be called from any thread;
 * the hooks on the handles have the calling-thread rules stated there.
 */
public interface IDistributedCompletionDetector extends ICompletionDetector {

    /** The broker message type of a completion signal; its payload is a {@link CompletionProbe}. */
    String SIGNAL_MESSAGE_TYPE = "completion.signal";

    /**
     * Registers the initial peers (the seed's {@code initialize(peerIds)}); more may join later
     * with {@link #addPeer}. Ids already known are kept as they are.
     *
     * @param peerIds the known peer ids (a snapshot, the root not included)
     * @throws IllegalArgumentException if an id is the root's id
     */
    void initialize(Collection<String> peerIds);

    /**
     * Registers a peer, or returns the existing handle of a known one. Call it before the peer
     * can receive a basic message.
     *
     * @param peerId the peer's id
     * @return the peer's handle
     * @throws IllegalArgumentException if {@code peerId} is the root's id
     */
    CompletionPeer addPeer(String peerId);

    /**
     * {@return the handle of a known peer}
     *
     * @param peerId the peer's id
     * @throws IllegalArgumentException if the peer is unknown
     */
    CompletionPeer peer(String peerId);

    /**
     * Forgets a peer that is neutral (not engaged, deficit zero).
     *
     * @param peerId the peer's id
     * @return false if the peer was unknown
     * @throws IllegalStateException if the peer is engaged or has a non-zero deficit: removing it
     *     would lose signals
     */
    boolean removePeer(String peerId);

    /** {@return the known peer ids (a snapshot, the root not included)} */
    Set<String> peerIds();

    /** {@return the virtual root R: the coordinator's endpoint} */
    CompletionRoot root();

    /**
     * {@return whether the peer is neutral: not engaged and every basic message it sent signalled
     * back} For the root's id: whether the swarm is quiescent.
     *
     * @param peerId the peer's id
     * @throws IllegalArgumentException if the id is unknown
     */
    boolean isPeerCompleted(String peerId);

    /**
     * {@return the peer's deficit: basic messages it sent that are not yet signalled back} The
     * root's id gives R's deficit (its pending tasks are {@link CompletionRoot#pending()}).
     *
     * @param peerId the peer's id
     * @throws IllegalArgumentException if the id is unknown
     */
    int getDeficitCounter(String peerId);

    /**
     * {@return the peer's unsignalled basic messages, as {@link CompletionProbe.Type#PROBE}s; when
     * the peer is not changing, their number equals {@link #getDeficitCounter}} Works for the
     * root's id. A snapshot, in no particular order.
     *
     * @param peerId the peer's id
     * @throws IllegalArgumentException if the id is unknown
     */
    List<CompletionProbe> getCompletionProbes(String peerId);
}
