package io.github.hivemesh.completion;

import java.util.Objects;

/**
 * The seed's probe vocabulary mapped onto Dijkstra–Scholten: a {@link Type#PROBE} is a basic
 * message (a task assignment) that its sender has not yet had signalled back, and an
 * {@link Type#ACKNOWLEDGMENT} is the signal that returns it. Both name the same basic message:
 * the acknowledgment travels from {@link #recipientId()} back to {@link #senderId()}, whose
 * deficit it decrements.
 *
 * <p>An acknowledgment is the payload of a {@link IDistributedCompletionDetector#SIGNAL_MESSAGE_TYPE}
 * message. Immutable.
 *
 * @param messageId   the basic message's {@code Message.messageId()}
 * @param senderId    who sent the basic message (and counts it in its deficit)
 * @param recipientId who received it (and sends the acknowledgment)
 * @param type        {@code PROBE} while unsignalled, {@code ACKNOWLEDGMENT} for the signal
 * @param epoch       the detector epoch it belongs to; signals of an older epoch are ignored
 */
public record CompletionProbe(long messageId, String senderId, String recipientId, Type type,
        long epoch) {

    /** What a {@link CompletionProbe} stands for. */
    public enum Type {
        /** A basic message not yet signalled back: one unit of its sender's deficit. */
        PROBE,
        /** The signal acknowledging a basic message. */
        ACKNOWLEDGMENT
    }

    /**
     * Checks that the ids and the type are present.
     *
     * @param messageId the basic message's {@code Message.messageId()}
     * @param senderId who sent the basic message (and counts it in its deficit)
     * @param recipientId who received it (and sends the acknowledgment)
     * @param type {@code PROBE} while unsignalled, {@code ACKNOWLEDGMENT} for the signal
     * @param epoch the detector epoch it belongs to; signals of an older epoch are ignored
     */
    public CompletionProbe {
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(recipientId, "recipientId");
        Objects.requireNonNull(type, "type");
    }

    /**
     * {@return the acknowledgment of this basic message in the given epoch}
     *
     * @param ackEpoch the epoch the acknowledgment belongs to
     */
    public CompletionProbe acknowledgment(long ackEpoch) {
        return new CompletionProbe(messageId, senderId, recipientId, Type.ACKNOWLEDGMENT, ackEpoch);
    }
}
