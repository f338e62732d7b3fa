package io.github.hivemesh.mesh;

import io.github.hivemesh.broker.Message;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One peer's view of its swarm, learned only from messages on the broker: announcements when
 * peers join (and periodically after), answers to them, heartbeats, capability updates and
 * leave notices. No peer reads another peer's objects.
 *
 * <p>The view includes the local peer itself (always alive while discovery runs), so a lookup
 * may return the asking peer: a peer may place work on itself.
 *
 * <p>Implementations are thread-safe.
 */
public interface IPeerDiscoverySystem {

    /** {@return the peer whose view this is} */
    String localPeerId();

    /**
     * Joins {@code swarmId}: subscribes to the swarm's discovery topic, announces this peer (the
     * others answer), and starts the heartbeat and rediscovery timers. Idempotent for the same
     * swarm.
     *
     * @param swarmId the swarm's id
     * @return completes when the announcement was handed to the broker
     * @throws IllegalStateException if already running in another swarm, or if the local peer has
     *     no endpoint on the broker (answers could not reach it)
     */
    CompletableFuture<Void> startDiscovery(String swarmId);

    /**
     * Leaves: tells every known peer, stops the timers, unsubscribes, forgets the view.
     * Idempotent; {@link #startDiscovery} may be called again afterwards.
     *
     * @return a future that completes once this peer has left
     */
    CompletableFuture<Void> stopDiscovery();

    /** {@return whether discovery is running} */
    boolean isRunning();

    /**
     * Feeds a message received on the local peer's endpoint. The owner of the endpoint (the
     * coordinator) passes every message here, or those for which
     * {@link PeerDiscoverySystem#isDiscoveryMessage} holds.
     *
     * @param message the message
     * @return true if it was a discovery message (handled or ignored), false otherwise
     */
    boolean handleMessage(Message message);

    /**
     * Alive peers having {@code capability}, sorted by id.
     *
     * @param capability the capability
     * @return the matching peers, sorted by id
     */
    List<PeerInfo> findPeersByCapability(String capability);

    /**
     * Alive peers having every capability in {@code capabilities}, sorted by id.
     *
     * @param capabilities the capabilities
     * @return the matching peers, sorted by id
     */
    List<PeerInfo> findPeersByCapabilities(Collection<String> capabilities);

    /**
     * {@return what this peer knows about {@code peerId}, alive or stale}
     *
     * @param peerId the peer's id
     */
    Optional<PeerInfo> getPeerInfo(String peerId);

    /** {@return every known peer, alive or stale, sorted by id} */
    List<PeerInfo> getAllPeers();

    /**
     * Replaces the local peer's capabilities and tells every known peer.
     *
     * @param peerId the peer's id
     * @param capabilities the capabilities
     * @throws IllegalArgumentException if {@code peerId} is not the local peer (each peer announces
     *     its own capabilities)
     */
    void updatePeerCapabilities(String peerId, Collection<String> capabilities);

    /**
     * {@return whether {@code peerId} was heard from within {@code timeoutMs} (the local peer:
     * running)}
     *
     * @param peerId the peer's id
     * @param timeoutMs how recent the last sign of life must be, in milliseconds
     */
    boolean isPeerAlive(String peerId, long timeoutMs);

    /** {@return what discovery has seen so far} */
    PeerDiscoveryMetrics getMetrics();
}
