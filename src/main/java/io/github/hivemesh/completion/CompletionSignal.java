package io.github.hivemesh.completion;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Dijkstra–Scholten signal acknowledging one or several basic messages of one engagement
 * tree at once: all sent by {@link #senderId()} to {@link #recipientId()}, which sends the
 * signal back; each acknowledged message counts once in the sender's deficit, so
 * {@link #count()} is what the signal takes off it. A peer combines its acknowledgments into
 * such signals when {@link DistributedCompletionConfig#signalBatchSize()} allows it, and always
 * for the trees of other roots (cluster mode, see {@link CompletionPeer#tree}).
 *
 * <p>Immutable: the ids are copied in and out.
 *
 * @param rootId      the root whose engagement tree the acknowledged messages belong to
 * @param epoch       that tree's epoch, the one the messages were sent in
 * @param senderId    who sent the basic messages (and counts them in its deficit)
 * @param recipientId who received them (and sends this signal)
 * @param messageIds  the acknowledged basic messages' ids, at least one, no repeats
 */
public record CompletionSignal(String rootId, long epoch, String senderId, String recipientId,
        long[] messageIds) {

    /**
     * Validates and copies.
     *
     * @param rootId      the root of the acknowledged messages' tree
     * @param epoch       that tree's epoch
     * @param senderId    who sent the basic messages
     * @param recipientId who received them
     * @param messageIds  their ids, at least one
     */
    public CompletionSignal {
        Objects.requireNonNull(rootId, "rootId");
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(recipientId, "recipientId");
        Objects.requireNonNull(messageIds, "messageIds");
        if (messageIds.length == 0) {
            throw new IllegalArgumentException("a signal acknowledges at least one message");
        }
        messageIds = messageIds.clone();
    }

    /**
     * The signal of one acknowledgment, in {@code rootId}'s tree.
     *
     * @param rootId         the root of the tree
     * @param acknowledgment an acknowledgment
     * @return a signal acknowledging that one message
     */
    public static CompletionSignal of(String rootId, CompletionProbe acknowledgment) {
        Objects.requireNonNull(rootId, "rootId");
        Objects.requireNonNull(acknowledgment, "acknowledgment");
        if (acknowledgment.type() != CompletionProbe.Type.ACKNOWLEDGMENT) {
            throw new IllegalArgumentException("not an acknowledgment: " + acknowledgment);
        }
        return new CompletionSignal(rootId, acknowledgment.epoch(), acknowledgment.senderId(),
                acknowledgment.recipientId(), new long[] {acknowledgment.messageId()});
    }

    /** {@return how many basic messages it acknowledges} */
    public int count() {
        return messageIds.length;
    }

    /** {@return a copy of the acknowledged ids} */
    @Override
    public long[] messageIds() {
        return messageIds.clone();
    }

    /**
     * The {@code index}-th acknowledgment, as the per-message vocabulary spells it.
     *
     * @param index from 0 to {@link #count()} - 1
     * @return that acknowledgment
     */
    public CompletionProbe acknowledgment(int index) {
        return new CompletionProbe(messageIds[index], senderId, recipientId,
                CompletionProbe.Type.ACKNOWLEDGMENT, epoch);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CompletionSignal s && s.epoch == epoch && s.rootId.equals(rootId)
                && s.senderId.equals(senderId) && s.recipientId.equals(recipientId)
                && Arrays.equals(s.messageIds, messageIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rootId, epoch, senderId, recipientId, Arrays.hashCode(messageIds));
    }

    @Override
    public String toString() {
        return "CompletionSignal[root=" + rootId + ", epoch=" + epoch + ", sender=" + senderId
                + ", recipient=" + recipientId + ", messageIds=" + Arrays.toString(messageIds)
                + "]";
    }
}
