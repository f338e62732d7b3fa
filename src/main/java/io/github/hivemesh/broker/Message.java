package io.github.hivemesh.broker;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An immutable message carried by an {@link IMessageBroker}.
 *
 * <p>{@code senderId} and {@code recipientId} may be {@code null} on a message that has not been
 * sent yet: the broker stamps the sender, the recipient and the {@link RoutingType} it used on the
 * copy it delivers (it reuses the instance when they already match, so a sender that fills them
 * in allocates nothing extra).
 *
 * @param type        what the message is, e.g. {@code "task"}; never blank
 * @param payload     the content; any object in-process, may be {@code null}
 * @param senderId    who sent it, or {@code null} before sending
 * @param recipientId who receives it ({@code null} before sending, and for topic publications
 *                    the subscriber's endpoint id)
 * @param timestamp   creation time, epoch milliseconds
 * @param messageId   unique within this JVM (see {@link #nextId()})
 * @param routingType how it is routed
 * @param metadata    string headers, never {@code null}; an immutable copy
 */
public record Message(
        String type,
        Object payload,
        String senderId,
        String recipientId,
        long timestamp,
        long messageId,
        RoutingType routingType,
        Map<String, String> metadata) {

    private static final AtomicLong IDS = new AtomicLong();

    /**
     * Validates and copies the metadata.
     *
     * @param type what the message is, e.g. {@code "task"}; never blank
     * @param payload the content; any object in-process, may be {@code null}
     * @param senderId who sent it, or {@code null} before sending
     * @param recipientId who receives it ({@code null} before sending, and for topic publications
     *     the subscriber's endpoint id)
     * @param timestamp creation time, epoch milliseconds
     * @param messageId unique within this JVM (see {@link #nextId()})
     * @param routingType how it is routed
     * @param metadata string headers, never {@code null}; an immutable copy
     */
    public Message {
        Objects.requireNonNull(type, "type");
        if (type.isBlank()) {
            throw new IllegalArgumentException("type must not be blank");
        }
        Objects.requireNonNull(routingType, "routingType");
        metadata = Objects.requireNonNull(metadata, "metadata").isEmpty() ? Map.of()
                : Map.copyOf(metadata);
    }

    /**
     * {@return a point-to-point message of the given type and payload, stamped with a fresh id and
     * the current wall-clock time; sender and recipient are stamped by the broker}
     *
     * @param type what the message is, e.g. {@code "task"}; never blank
     * @param payload the content; any object in-process, may be {@code null}
     */
    public static Message of(String type, Object payload) {
        return new Message(type, payload, null, null, System.currentTimeMillis(), nextId(),
                RoutingType.P2P, Map.of());
    }

    /**
     * {@return a point-to-point message with sender and recipient already filled in}
     *
     * @param type what the message is, e.g. {@code "task"}; never blank
     * @param payload the content; any object in-process, may be {@code null}
     * @param senderId who sent it, or {@code null} before sending
     * @param recipientId who receives it ({@code null} before sending, and for topic publications
     *     the subscriber's endpoint id)
     */
    public static Message of(String type, Object payload, String senderId, String recipientId) {
        return new Message(type, payload, senderId, recipientId, System.currentTimeMillis(),
                nextId(), RoutingType.P2P, Map.of());
    }

    /** {@return the next message id of this JVM: unique and increasing} */
    public static long nextId() {
        return IDS.incrementAndGet();
    }

    /**
     * {@return this message with the given metadata (replacing the existing metadata)}
     *
     * @param newMetadata the metadata of the copy
     */
    public Message withMetadata(Map<String, String> newMetadata) {
        Objects.requireNonNull(newMetadata, "newMetadata");
        return new Message(type, payload, senderId, recipientId, timestamp, messageId,
                routingType, newMetadata);
    }

    /**
     * This message as routed by the broker: the same instance when sender, recipient and routing
     * already match, otherwise a copy with them replaced (id, time and content are kept).
     */
    Message routed(String sender, String recipient, RoutingType routing) {
        if (routing == routingType && Objects.equals(sender, senderId)
                && Objects.equals(recipient, recipientId)) {
            return this;
        }
        return new Message(type, payload, sender, recipient, timestamp, messageId, routing,
                metadata);
    }
}
