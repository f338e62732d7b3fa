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
     * message outstanding here, of the epoch that message was sent in; anything else is
     * ignored (and counted as such). For the detector's own root that epoch is the current
     * one: {@code reset()} needs quiescence, so nothing is outstanding across it.
     *
     * @return whether the deficit dropped
     */
    boolean acknowledge(CompletionProbe ack) {
        Objects.requireNonNull(ack, "acknowledgment");
        CompletionProbe sent = ack.type() == CompletionProbe.Type.ACKNOWLEDGMENT
                && ack.senderId().equals(ownerId) ? outstanding.get(ack.messageId()) : null;
        boolean counts = sent != null && sent.epoch() == ack.epoch()
                && outstanding.remove(ack.messageId(), sent);
        if (counts) {
            deficit.decrementAndGet();
        }
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
