package io.github.hivemesh.completion;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One participant's unsignalled basic messages (its probes) and their count, the deficit.
 *
 * <p>For a peer the ledger has a single writer, the peer's mailbox; it is concurrent only so
 * that other threads can read a snapshot. The root's ledger is written from user threads and
 * from the root's mailbox at once. A message id is recorded once and removed once, so a
 * repeated or unknown signal cannot decrement the deficit.
 */
final class ProbeLedger {

    private final ConcurrentHashMap<Long, CompletionProbe> outstanding = new ConcurrentHashMap<>();
    private final AtomicInteger deficit = new AtomicInteger();

    /**
     * Records a probe.
     *
     * @throws IllegalArgumentException if its message id is already outstanding
     */
    void record(CompletionProbe probe) {
        if (outstanding.putIfAbsent(probe.messageId(), probe) != null) {
            throw new IllegalArgumentException("basic message " + probe.messageId()
                    + " is already outstanding at '" + probe.senderId()
                    + "'; every basic message needs its own message id");
        }
        deficit.incrementAndGet();
    }

    /** Removes a probe; false if the id was not outstanding. */
    boolean remove(long messageId) {
        if (outstanding.remove(messageId) == null) {
            return false;
        }
        deficit.decrementAndGet();
        return true;
    }

    int deficit() {
        return deficit.get();
    }

    List<CompletionProbe> probes() {
        return List.copyOf(outstanding.values());
    }
}
