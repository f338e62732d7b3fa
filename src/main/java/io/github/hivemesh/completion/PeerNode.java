package io.github.hivemesh.completion;

import java.util.List;
import java.util.Objects;

/**
 * A peer's Dijkstra–Scholten state. Written only from the peer's mailbox (see
 * {@link CompletionPeer}); {@code engagement} is volatile and the ledger concurrent so that
 * other threads can read snapshots, {@code busy} is read and written by the mailbox alone.
 */
final class PeerNode implements CompletionPeer {

    private final String id;
    private final DistributedCompletionDetector detector;
    private final RuleBreak ruleBreak;
    private final ProbeLedger ledger;

    /** The basic message that engaged this peer; its signal is held back. Null: neutral. */
    private volatile CompletionProbe engagement;
    /** A task is queued or running here (from onReceive until onIdle). Mailbox-only. */
    private boolean busy;

    PeerNode(String id, DistributedCompletionDetector detector, RuleBreak ruleBreak) {
        this.id = id;
        this.detector = detector;
        this.ruleBreak = ruleBreak;
        this.ledger = new ProbeLedger(id, detector);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void onSend(String recipientId, long messageId) {
        Objects.requireNonNull(recipientId, "recipientId");
        if (engagement == null && ruleBreak != RuleBreak.SIGNAL_ON_ENGAGEMENT) {
            throw new IllegalStateException("peer '" + id + "' is neutral and may not send basic "
                    + "message " + messageId + ": only a peer with a task is in the engagement "
                    + "tree; hold a task that has no running sender at the root instead");
        }
        ledger.recordSend(recipientId, messageId);
    }

    @Override
    public void onSendFailed(long messageId) {
        if (ledger.withdraw(messageId)) {
            tryDetach();
        }
    }

    @Override
    public void onReceive(String senderId, long messageId) {
        Objects.requireNonNull(senderId, "senderId");
        busy = true;
        CompletionProbe received = new CompletionProbe(messageId, senderId, id,
                CompletionProbe.Type.PROBE, detector.epoch());
        if (engagement == null && ruleBreak != RuleBreak.SIGNAL_ON_ENGAGEMENT) {
            engagement = received;
        } else {
            signal(received);
        }
    }

    @Override
    public void onSignal(CompletionProbe acknowledgment) {
        if (ledger.acknowledge(acknowledgment)) {
            tryDetach();
        }
    }

    @Override
    public void onBusy() {
        if (engagement == null) {
            throw new IllegalStateException("peer '" + id + "' is neutral: it has no basic "
                    + "message out that could have come back");
        }
        busy = true;
    }

    @Override
    public void onIdle() {
        busy = false;
        tryDetach();
    }

    @Override
    public boolean isEngaged() {
        return engagement != null;
    }

    /** Neutral and nothing outstanding. Any thread. */
    boolean isCompleted() {
        return engagement == null && ledger.deficit() == 0;
    }

    int deficit() {
        return ledger.deficit();
    }

    List<CompletionProbe> probes() {
        return ledger.probes();
    }

    private void tryDetach() {
        CompletionProbe parentMessage = engagement;
        if (parentMessage != null && !busy
                && (ledger.deficit() == 0 || ruleBreak == RuleBreak.DETACH_BEFORE_DEFICIT_ZERO)) {
            engagement = null;
            signal(parentMessage);
        }
    }

    private void signal(CompletionProbe basicMessage) {
        detector.transport().send(basicMessage.acknowledgment(detector.epoch()));
    }

    @Override
    public String toString() {
        CompletionProbe e = engagement;
        return "CompletionPeer[" + id + ", parent=" + (e == null ? "none" : e.senderId())
                + ", deficit=" + ledger.deficit() + "]";
    }
}
