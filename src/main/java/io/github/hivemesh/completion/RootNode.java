package io.github.hivemesh.completion;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The virtual root R. Its deficit and its pending tasks both count as outstanding work in the
 * detector's {@link QuiescenceTracker}, and nothing else decides quiescence.
 *
 * <p>Ordering, which is what makes R thread-safe with atomics alone: every unit of work enters
 * the tracker <em>before</em> it becomes visible (a basic message before it is sent, a held
 * task when it is accepted) and exits only after its last trace is gone (a signal after the
 * probe was removed from the ledger, a released task after the basic message that carries it
 * entered on its own). The ledger admits a message id once and removes it once, so each unit
 * exits exactly once. Hence the tracker's count, read at any instant, is zero only if no task
 * is held at R and no basic message of R is unsignalled — and by the Dijkstra–Scholten
 * invariant, no peer is engaged then, so nothing is pending, running or in flight anywhere.
 */
final class RootNode implements CompletionRoot {

    private final String id;
    private final DistributedCompletionDetector detector;
    private final QuiescenceTracker tracker;
    private final ProbeLedger ledger;
    private final AtomicInteger pending = new AtomicInteger();

    RootNode(String id, DistributedCompletionDetector detector, QuiescenceTracker tracker) {
        this.id = id;
        this.detector = detector;
        this.tracker = tracker;
        this.ledger = new ProbeLedger(id, detector);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void onSend(String recipientId, long messageId) {
        tracker.enter();
        try {
            ledger.recordSend(recipientId, messageId, detector.epoch());
        } catch (RuntimeException e) {
            tracker.exit();
            throw e;
        }
    }

    @Override
    public String rootId() {
        return id;
    }

    @Override
    public long epoch() {
        return detector.epoch();
    }

    @Override
    public void onSendFailed(long messageId) {
        if (ledger.withdraw(messageId)) {
            tracker.exit();
        }
    }

    @Override
    public void onSignal(CompletionProbe acknowledgment) {
        if (ledger.acknowledge(acknowledgment, epoch())) {
            tracker.exit();
        }
    }

    @Override
    public void onSignal(CompletionSignal signal) {
        Objects.requireNonNull(signal, "signal");
        boolean own = signal.rootId().equals(id);
        for (int i = 0; i < signal.count(); i++) {
            if (own && ledger.acknowledge(signal.acknowledgment(i), epoch())) {
                tracker.exit();
            } else if (!own) {
                detector.signalReceived(id, signal.acknowledgment(i), false);
            }
        }
    }

    @Override
    public void hold() {
        tracker.enter();
        pending.incrementAndGet();
    }

    @Override
    public void release() {
        int before = pending.getAndUpdate(n -> n > 0 ? n - 1 : 0);
        if (before == 0) {
            throw new IllegalStateException("root '" + id + "' holds no pending task to release");
        }
        tracker.exit();
    }

    @Override
    public int pending() {
        return pending.get();
    }

    int deficit() {
        return ledger.deficit();
    }

    List<CompletionProbe> probes() {
        return ledger.probes();
    }

    @Override
    public String toString() {
        return "CompletionRoot[" + id + ", deficit=" + ledger.deficit() + ", pending="
                + pending.get() + "]";
    }
}
