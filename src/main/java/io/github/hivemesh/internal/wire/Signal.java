package io.github.hivemesh.internal.wire;

import java.util.Objects;

/**
 * A Dijkstra–Scholten signal: the recipient of basic messages acknowledges them to their
 * sender — one or several at once (the count is {@code messageIds.length}).
 *
 * @param epoch      the detector epoch the acknowledgments belong to
 * @param sender     who sent the basic messages (and counts them in its deficit)
 * @param recipient  who received them (and sends this signal)
 * @param messageIds the acknowledged basic messages, at least one
 * @param root       the root whose engagement tree the acknowledged messages belong to (in
 *                   cluster mode each member's root has one); {@code ""}: the recipient's own
 */
public record Signal(long epoch, String sender, String recipient, long[] messageIds,
        String root) implements WireMessage {

    /** The broker message type of signals. */
    public static final String TYPE = "completion.signal";

    /** Checks and copies the fields. */
    public Signal {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(messageIds, "messageIds");
        Objects.requireNonNull(root, "root");
        if (messageIds.length == 0) {
            throw new IllegalArgumentException("a signal acknowledges at least one message");
        }
        messageIds = messageIds.clone();
    }

    /** A signal of the recipient's own root's tree. */
    public Signal(long epoch, String sender, String recipient, long[] messageIds) {
        this(epoch, sender, recipient, messageIds, "");
    }

    /** How many basic messages it acknowledges. */
    public int count() {
        return messageIds.length;
    }

    @Override
    public long[] messageIds() {
        return messageIds.clone();
    }

    @Override
    public String wireType() {
        return TYPE;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Signal s && s.epoch == epoch && s.sender.equals(sender)
                && s.recipient.equals(recipient) && java.util.Arrays.equals(s.messageIds, messageIds)
                && s.root.equals(root);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, sender, recipient, java.util.Arrays.hashCode(messageIds),
                root);
    }

    @Override
    public String toString() {
        return "Signal[epoch=" + epoch + ", sender=" + sender + ", recipient=" + recipient
                + ", messageIds=" + java.util.Arrays.toString(messageIds) + ", root=" + root
                + "]";
    }
}
