package io.github.hivemesh.completion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A peer's Dijkstra–Scholten state in one engagement tree. Written only from the peer's mailbox
 * (see {@link CompletionPeer}); {@code engagement} is volatile and the ledger concurrent so that
 * other threads can read snapshots, {@code busy} is read and written by the mailbox alone.
 *
 * <p>The node the detector hands out ({@link DistributedCompletionDetector#addPeer}) is the
 * peer's part in the tree of the detector's own root; it also keeps, created on first use, the
 * peer's part in every other root's tree ({@link #tree}). Each tree has its own parent, deficit
 * and busy flag, so work of one root never holds back or lets go of another root's tree.
 */
final class PeerNode implements CompletionPeer {

    private final String id;
    private final String rootId;
    private final DistributedCompletionDetector detector;
    private final RuleBreak ruleBreak;
    private final ProbeLedger ledger;
    /** The peer's nodes in other roots' trees, by root id; only on its own tree's node. */
    private final Map<String, PeerNode> trees;
    /** Acknowledgments held back to be combined; null when each is signalled at once. */
    private final HeldSignals held;

    /** The basic message that engaged this peer; its signal is held back. Null: neutral. */
    private volatile CompletionProbe engagement;
    /** A task is queued or running here (from onReceive until onIdle). Mailbox-only. */
    private boolean busy;
    /** Another root's tree: the epoch of the last basic message received in it. */
    private volatile long treeEpoch;

    PeerNode(String id, DistributedCompletionDetector detector, RuleBreak ruleBreak) {
        this(id, detector.root().id(), detector, ruleBreak, new ConcurrentHashMap<>());
    }

    private PeerNode(String id, String rootId, DistributedCompletionDetector detector,
            RuleBreak ruleBreak, Map<String, PeerNode> trees) {
        this.id = id;
        this.rootId = rootId;
        this.detector = detector;
        this.ruleBreak = ruleBreak;
        this.ledger = new ProbeLedger(id, detector);
        this.trees = trees;
        this.held = detector.signalBatchSize() > 1
                ? new HeldSignals(rootId, id, detector.signalBatchSize()) : null;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String rootId() {
        return rootId;
    }

    @Override
    public long epoch() {
        return trees != null ? detector.epoch() : treeEpoch;
    }

    @Override
    public CompletionPeer tree(String root) {
        Objects.requireNonNull(root, "rootId");
        if (trees == null) {
            throw new IllegalStateException("'" + id + "' in the tree of '" + rootId
                    + "' is not the peer's own node: ask that one for another tree");
        }
        if (root.equals(rootId)) {
            return this;
        }
        PeerNode node = trees.get(root);
        return node != null ? node
                : trees.computeIfAbsent(root, r -> new PeerNode(id, r, detector, ruleBreak,
                        null));
    }

    @Override
    public void onSend(String recipientId, long messageId) {
        Objects.requireNonNull(recipientId, "recipientId");
        CompletionProbe engaged = engagement;
        if (engaged == null && ruleBreak != RuleBreak.SIGNAL_ON_ENGAGEMENT) {
            throw new IllegalStateException("peer '" + id + "' is neutral in the tree of '"
                    + rootId + "' and may not send basic message " + messageId + ": only a "
                    + "peer with a task is in the engagement tree; hold a task that has no "
                    + "running sender at the root instead");
        }
        ledger.recordSend(recipientId, messageId, epoch());
    }

    @Override
    public void onSendFailed(long messageId) {
        if (ledger.withdraw(messageId)) {
            tryDetach();
        }
    }

    @Override
    public void onReceive(String senderId, long messageId) {
        onReceive(senderId, messageId, epoch());
    }

    @Override
    public void onReceive(String senderId, long messageId, long epoch) {
        Objects.requireNonNull(senderId, "senderId");
        busy = true;
        CompletionProbe received = new CompletionProbe(messageId, senderId, id,
                CompletionProbe.Type.PROBE, epoch);
        if (engagement == null && ruleBreak != RuleBreak.SIGNAL_ON_ENGAGEMENT) {
            treeEpoch = epoch;
            engagement = received;
        } else if (held != null && engagement != null) {
            held.hold(senderId, messageId, epoch, detector.transport());
        } else {
            signal(received);
        }
    }

    @Override
    public void onSignal(CompletionProbe acknowledgment) {
        if (ledger.acknowledge(acknowledgment, epoch())) {
            tryDetach();
        }
    }

    @Override
    public void onSignal(CompletionSignal signal) {
        Objects.requireNonNull(signal, "signal");
        if (!signal.rootId().equals(rootId)) {
            PeerNode node = trees == null ? null : trees.get(signal.rootId());
            if (node != null) {
                node.onSignal(signal);
            } else {
                for (int i = 0; i < signal.count(); i++) {
                    detector.signalReceived(id, signal.acknowledgment(i), false);
                }
            }
            return;
        }
        boolean dropped = false;
        for (int i = 0; i < signal.count(); i++) {
            dropped |= ledger.acknowledge(signal.acknowledgment(i), epoch());
        }
        if (dropped) {
            tryDetach();
        }
    }

    @Override
    public void onBusy() {
        if (engagement == null) {
            throw new IllegalStateException("peer '" + id + "' is neutral in the tree of '"
                    + rootId + "': it has no basic message out that could have come back");
        }
        busy = true;
    }

    @Override
    public void onIdle() {
        busy = false;
        tryDetach();
        // still engaged (signals of its own to come): what it held goes now, so that no two
        // idle peers each wait for the other's held acknowledgment
        if (held != null && !held.isEmpty()) {
            held.flush(null, detector.transport());
        }
    }

    @Override
    public boolean isEngaged() {
        return engagement != null;
    }

    @Override
    public boolean isNeutral() {
        return isCompleted();
    }

    /** Neutral with nothing outstanding, in every tree. Any thread. */
    boolean isCompleted() {
        if (engagement != null || ledger.deficit() != 0) {
            return false;
        }
        if (trees != null && !trees.isEmpty()) {
            for (PeerNode node : trees.values()) {
                if (!node.isCompleted()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Unsignalled basic messages, in every tree. */
    int deficit() {
        int sum = ledger.deficit();
        if (trees != null && !trees.isEmpty()) {
            for (PeerNode node : trees.values()) {
                sum += node.ledger.deficit();
            }
        }
        return sum;
    }

    List<CompletionProbe> probes() {
        if (trees == null || trees.isEmpty()) {
            return ledger.probes();
        }
        List<CompletionProbe> all = new ArrayList<>(ledger.probes());
        for (PeerNode node : trees.values()) {
            all.addAll(node.ledger.probes());
        }
        return List.copyOf(all);
    }

    private void tryDetach() {
        CompletionProbe parentMessage = engagement;
        if (parentMessage != null && !busy
                && (ledger.deficit() == 0 || ruleBreak == RuleBreak.DETACH_BEFORE_DEFICIT_ZERO)) {
            engagement = null;
            if (held != null) {
                held.flush(parentMessage, detector.transport());
            } else {
                signal(parentMessage);
            }
        }
    }

    private void signal(CompletionProbe basicMessage) {
        CompletionProbe ack = basicMessage.acknowledgment(basicMessage.epoch());
        if (trees != null) {
            detector.transport().send(ack);
        } else {
            detector.transport().send(CompletionSignal.of(rootId, ack));
        }
    }

    @Override
    public String toString() {
        CompletionProbe e = engagement;
        return "CompletionPeer[" + id + (trees == null ? " in the tree of " + rootId : "")
                + ", parent=" + (e == null ? "none" : e.senderId()) + ", deficit="
                + ledger.deficit() + "]";
    }
}
