package io.github.hivemesh.completion;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One participant's unsignalled basic messages (its probes) and their count, the deficit; the
 * bookkeeping of rules 1 and 3 that peers and the root share.
 *
 * <p>For a peer the ledger has a single writer, the peer's mailbox; it is concurrent only so
 * that other threads can read a snapshot. The root's ledger is written from user threads and
 * from the root's mailbox at once. A message id is recorded once and removed once, so a
 * repeated or unknown signal cannot decrement the deficit.
 */
final class ProbeLedger {

    private final String ownerId;
    private final DistributedCompletionDetector detector;
    private final ConcurrentHashMap<Long, CompletionProbe> outstanding = new ConcurrentHashMap<>();
    private final AtomicInteger deficit = new AtomicInteger();

    ProbeLedger(String ownerId, DistributedCompletionDetector detector) {
        this.ownerId = ownerId;
        this.detector = detector;
    }

    /**
     * Rule 1: records a basic message about to be sent, in the epoch of its tree's root.
     *
     * @throws IllegalArgumentException if its message id is already outstanding
     */
    void recordSend(String recipientId, long messageId, long epoch) {
        Objects.requireNonNull(recipientId, "recipientId");
        CompletionProbe probe = new CompletionProbe(messageId, ownerId, recipientId,
                CompletionProbe.Type.PROBE, epoch);
        if (outstanding.putIfAbsent(messageId, probe) != null) {
            throw new IllegalArgumentException("basic message " + messageId
                    + " is already outstanding at '" + ownerId
                    + "'; every basic message needs its own message id");
        }
        deficit.incrementAndGet();
        detector.probeSent();
    }

    /** Forgets a basic message the broker refused; false if the id was not outstanding. */
    boolean withdraw(long messageId) {
        if (!remove(messageId)) {
            return false;
        }
        detector.probeWithdrawn();
        return true;
    }

    /**
     * Rule 3: counts a signal only if it is an acknowledgment addressed to the owner, for a
     * message outstanding here, of {@code epoch}, the epoch of the owner's tree; anything else
     * is ignored (and counted as such). Every message outstanding in a ledger is of that
     * epoch: a tree's epoch changes only when its root's detector is reset, which needs that
     * root to be quiescent, so nothing of the tree is outstanding across it.
     *
     * @return whether the deficit dropped
     */
    boolean acknowledge(CompletionProbe ack, long epoch) {
        Objects.requireNonNull(ack, "acknowledgment");
        boolean counts = ack.type() == CompletionProbe.Type.ACKNOWLEDGMENT
                && ack.epoch() == epoch && ack.senderId().equals(ownerId)
                && remove(ack.messageId());
        detector.signalReceived(ownerId, ack, counts);
        return counts;
    }

    int deficit() {
        return deficit.get();
    }

    List<CompletionProbe> probes() {
        return List.copyOf(outstanding.values());
    }

    private boolean remove(long messageId) {
        if (outstanding.remove(messageId) == null) {
            return false;
        }
        deficit.decrementAndGet();
        return true;
    }
}
