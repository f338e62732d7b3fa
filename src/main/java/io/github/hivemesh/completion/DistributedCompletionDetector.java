package io.github.hivemesh.completion;

import static io.github.hivemesh.internal.util.Preconditions.checkNoNulls;
import static io.github.hivemesh.internal.util.Preconditions.checkNotBlank;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exact completion detection for a diffusing computation: Dijkstra–Scholten.
 *
 * <h2>Why this algorithm</h2>
 * A mesh has no central count of tasks: peers hand subtasks to each other directly, so "every
 * peer looks idle" can be true while a task is still in flight between two of them. Dijkstra
 * and Scholten ("Termination detection for diffusing computations", Information Processing
 * Letters 11(1), 1980) make termination a local, exact property: every basic message (a task
 * assignment) is acknowledged by exactly one <em>signal</em>, and the acknowledgments are held
 * back along a tree so that the root hears the last one only when everything has ended. It
 * costs one control message per basic message, no polling, no timeouts, no global snapshot.
 *
 * <h2>The rules</h2>
 * Each peer p keeps {@code parent} (none = neutral) and {@code deficit}; the coordinator is a
 * virtual root R that also holds the tasks pending at the root.
 * <ol>
 *   <li>p sends a basic message: {@code deficit++} before the message is visible.</li>
 *   <li>q receives one from p: a neutral q engages with parent p and keeps that signal back;
 *       an engaged q signals p at once.</li>
 *   <li>A signal reaches p: {@code deficit--}, then p tries to detach.</li>
 *   <li>Detach: engaged, no queued or running task, {@code deficit == 0} — signal the parent
 *       and become neutral (p may engage again later).</li>
 *   <li>Quiescent exactly when R's deficit is 0 and R holds no pending task.</li>
 * </ol>
 *
 * <h2>Invariant</h2>
 * The engaged peers form a tree rooted at R (each engaged peer's parent is engaged, or is R),
 * and each participant's deficit equals its basic messages whose signal has not arrived —
 * including the one held back by each child. A peer with a task, or a basic message or signal
 * in flight, therefore keeps some deficit on the path to R positive. So R's deficit is zero
 * only when no peer is engaged and nothing is in flight, and, because every idle peer with a
 * zero deficit detaches at once, it does become zero as soon as that holds.
 *
 * <h2>Threads</h2>
 * A peer's state is touched only from its own mailbox (see {@link CompletionPeer}), which is
 * also why no work can slip between "idle" and "signal the parent": both happen in one
 * mailbox turn. R is shared by user threads and R's mailbox and uses atomics (see
 * {@link CompletionRoot}). Queries read volatile fields and concurrent maps. The epoch changes
 * only in {@link #reset()}, atomically with respect to R's counter and only while quiescent, so
 * no signal can be stamped in one epoch and received in another.
 */
public final class DistributedCompletionDetector extends AbstractCompletionDetector
        implements IDistributedCompletionDetector {

    private static final Logger LOG = LoggerFactory.getLogger(DistributedCompletionDetector.class);

    private final SignalTransport transport;
    private final RuleBreak ruleBreak;
    private final int signalBatchSize;
    private final RootNode root;
    private final ConcurrentHashMap<String, PeerNode> peers = new ConcurrentHashMap<>();

    private final LongAdder probesSent = new LongAdder();
    private final LongAdder acknowledgments = new LongAdder();
    private final LongAdder ignored = new LongAdder();

    DistributedCompletionDetector(String swarmId, String rootId, SignalTransport transport,
            DistributedCompletionConfig config, RuleBreak ruleBreak) {
        super(swarmId, config);
        this.transport = Objects.requireNonNull(transport, "transport");
        this.ruleBreak = ruleBreak;
        this.signalBatchSize = config.signalBatchSize();
        this.root = new RootNode(checkNotBlank("rootId", rootId), this, tracker);
    }

    /**
     * {@return a Dijkstra–Scholten detector (the seed's
     * {@code createDistributedCompletionDetector})}
     *
     * @param swarmId   the swarm it watches (checked by {@code detectCompletion})
     * @param rootId    the coordinator's endpoint id: the root R, where peers engaged by a
     *     submitted task send their signal
     * @param transport sends signals, usually {@link SignalTransport#overBroker}
     * @param config    timeouts, clock and scheduler
     */
    public static IDistributedCompletionDetector createDistributedCompletionDetector(
            String swarmId, String rootId, SignalTransport transport,
            DistributedCompletionConfig config) {
        return new DistributedCompletionDetector(swarmId, rootId, transport, config,
                RuleBreak.NONE);
    }

    @Override
    public void initialize(Collection<String> peerIds) {
        for (String peerId : checkNoNulls("peerIds", peerIds)) {
            addPeer(peerId);
        }
    }

    @Override
    public CompletionPeer addPeer(String peerId) {
        checkNotBlank("peerId", peerId);
        if (peerId.equals(root.id())) {
            throw new IllegalArgumentException("'" + peerId + "' is the root's id, not a peer");
        }
        return peers.computeIfAbsent(peerId, id -> new PeerNode(id, this, ruleBreak));
    }

    @Override
    public CompletionPeer peer(String peerId) {
        return node(peerId);
    }

    @Override
    public boolean removePeer(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        PeerNode node = peers.get(peerId);
        if (node == null) {
            return false;
        }
        if (!node.isCompleted()) {
            throw new IllegalStateException("peer '" + peerId + "' cannot be removed while it is "
                    + "engaged or has unsignalled basic messages: " + node);
        }
        return peers.remove(peerId, node);
    }

    @Override
    public Set<String> peerIds() {
        return Set.copyOf(peers.keySet());
    }

    @Override
    public CompletionRoot root() {
        return root;
    }

    @Override
    public boolean isPeerCompleted(String peerId) {
        return isRoot(peerId) ? isQuiescent() : node(peerId).isCompleted();
    }

    @Override
    public int getDeficitCounter(String peerId) {
        return isRoot(peerId) ? root.deficit() : node(peerId).deficit();
    }

    @Override
    public List<CompletionProbe> getCompletionProbes(String peerId) {
        return isRoot(peerId) ? root.probes() : node(peerId).probes();
    }

    @Override
    public String toString() {
        return "DistributedCompletionDetector[swarm=" + swarmId() + ", " + root + ", peers="
                + peers.size() + ", epoch=" + epoch() + "]";
    }

    // ---- for the nodes -----------------------------------------------------------------

    SignalTransport transport() {
        return transport;
    }

    /** How many acknowledgments a peer may combine into one signal (1: none). */
    int signalBatchSize() {
        return signalBatchSize;
    }

    void probeSent() {
        probesSent.increment();
    }

    void probeWithdrawn() {
        probesSent.decrement();
    }

    /** Counts a signal a ledger accepted or ignored. */
    void signalReceived(String nodeId, CompletionProbe ack, boolean counted) {
        if (counted) {
            acknowledgments.increment();
        } else {
            ignored.increment();
            LOG.debug("'{}' ignored completion signal {} (epoch now {})", nodeId, ack, epoch());
        }
    }

    // ---- metrics -----------------------------------------------------------------------

    @Override
    int peerCount() {
        return peers.size();
    }

    @Override
    int completedPeerCount() {
        int completed = 0;
        for (PeerNode node : peers.values()) {
            if (node.isCompleted()) {
                completed++;
            }
        }
        return completed;
    }

    @Override
    long probesSent() {
        return probesSent.sum();
    }

    @Override
    long acknowledgmentsReceived() {
        return acknowledgments.sum();
    }

    @Override
    long ignoredSignals() {
        return ignored.sum();
    }

    private boolean isRoot(String peerId) {
        return root.id().equals(Objects.requireNonNull(peerId, "peerId"));
    }

    private PeerNode node(String peerId) {
        PeerNode node = peers.get(Objects.requireNonNull(peerId, "peerId"));
        if (node == null) {
            throw new IllegalArgumentException("no peer '" + peerId
                    + "' in the completion detector of swarm '" + swarmId() + "'");
        }
        return node;
    }
}
