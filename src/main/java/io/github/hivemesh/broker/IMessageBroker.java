package io.github.hivemesh.broker;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Carries {@link Message}s between peers and topic subscribers.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Every endpoint (a peer registered with {@link #onPeerMessage}, or a topic subscription)
 *       owns a mailbox that is drained by one thread at a time: its handlers are never called
 *       concurrently.</li>
 *   <li>Messages from one sender to one recipient are delivered in the order they were
 *       accepted (FIFO per pair).</li>
 *   <li>A send's future completes when the message is <em>accepted</em> into the recipient's
 *       mailbox. It fails with {@link UnknownPeerException} for a recipient without a handler,
 *       {@link MailboxFullException} when a bounded mailbox is full, and
 *       {@link BrokerClosedException} after {@link #close()}. A refused message was not
 *       enqueued; nothing accepted is dropped.</li>
 *   <li>{@link #sendToPeer} carries <em>user traffic</em> (tasks, user payloads), bounded per
 *       mailbox. {@link #sendControl} carries the library's own control messages (completion
 *       signals, results, heartbeats), which are never refused for space: they are bounded by
 *       the work outstanding.</li>
 *   <li>A handler that throws is logged and counted; delivery to it and to everyone else goes
 *       on.</li>
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface IMessageBroker extends AutoCloseable {

    /**
     * Publishes a message to every current subscriber of a topic. Completes when all of them have
     * accepted it; fails with {@link BroadcastException} naming the subscribers that refused (the
     * others still receive it). With no subscribers it completes at once.
     *
     * @param topic the topic
     * @param message the message
     * @return a future that completes once every subscriber accepted the message
     */
    CompletableFuture<Void> publish(String topic, Message message);

    /**
     * Subscribes a handler to a topic; it gets its own serial mailbox.
     *
     * @param topic the topic
     * @param handler the handler
     */
    void subscribe(String topic, MessageHandler handler);

    /**
     * Removes a subscription; messages it has already accepted are still delivered.
     *
     * @param topic the topic
     * @param handler the handler
     */
    void unsubscribe(String topic, MessageHandler handler);

    /**
     * Sends user traffic from one peer to another (bounded mailbox, see class docs).
     *
     * @param senderId the sender's id
     * @param recipientId the recipient's id
     * @param message the message
     * @return a future that completes once the recipient accepted the message
     */
    CompletableFuture<Void> sendToPeer(String senderId, String recipientId, Message message);

    /**
     * Sends a control message that is never refused for lack of mailbox space.
     *
     * @param senderId the sender's id
     * @param recipientId the recipient's id
     * @param message the message
     * @return a future that completes once the recipient accepted the message
     */
    CompletableFuture<Void> sendControl(String senderId, String recipientId, Message message);

    /**
     * Sends a message to each neighbour. Completes when all accepted it; fails with
     * {@link BroadcastException} naming each neighbour that refused (the others still receive it).
     *
     * @param senderId the sender's id
     * @param neighbors the recipients' ids
     * @param message the message
     * @return a future that completes once every neighbour accepted the message
     */
    CompletableFuture<Void> broadcastToMesh(String senderId, Collection<String> neighbors,
            Message message);

    /**
     * Registers a handler for messages addressed to {@code peerId}, which makes the peer
     * routable. Several handlers per peer are called in registration order.
     *
     * @param peerId the peer's id
     * @param handler the handler
     */
    void onPeerMessage(String peerId, MessageHandler handler);

    /**
     * Removes a peer: later sends to it fail; messages already accepted are still delivered.
     *
     * @param peerId the peer's id
     */
    void removePeer(String peerId);

    /**
     * {@return whether {@code peerId} currently has a handler}
     *
     * @param peerId the peer's id
     */
    boolean isRegistered(String peerId);

    /**
     * Calls {@code callback} (on the sending thread) whenever {@code peerId} accepts a message.
     *
     * @param peerId the peer's id
     * @param callback called with each accepted message
     */
    void onPublish(String peerId, Consumer<Message> callback);

    /**
     * Calls {@code callback} (on the dispatcher) after {@code peerId}'s handlers returned.
     *
     * @param peerId the peer's id
     * @param callback called with each handled message
     */
    void onAcknowledge(String peerId, Consumer<Message> callback);

    /**
     * Runs {@code action}, a hint that the calling thread is about to go idle and may itself
     * deliver the messages the action sends (saving a thread hand-off per hop). Delivery
     * guarantees are unchanged. The default just runs the action.
     *
     * @param action the action to run
     */
    default void runInline(Runnable action) {
        action.run();
    }

    /** {@return what the broker has carried so far} */
    BrokerMetrics getMetrics();

    /**
     * Stops accepting messages, waits up to the configured close timeout for queued ones to be
     * delivered (counting any left as {@link BrokerMetrics#undelivered()}), and stops the threads
     * the broker created. Idempotent.
     */
    @Override
    void close();
}
