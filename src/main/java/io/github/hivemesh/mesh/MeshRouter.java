package io.github.hivemesh.mesh;

import io.github.hivemesh.agent.NoCapableAgentException;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.completion.CompletionNode;
import io.github.hivemesh.completion.CompletionProbe;
import io.github.hivemesh.completion.CompletionRoot;
import io.github.hivemesh.completion.CompletionSignal;
import io.github.hivemesh.completion.SignalTransport;
import io.github.hivemesh.internal.AgentMail;
import io.github.hivemesh.internal.SwarmKernel;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.wire.Assign;
import io.github.hivemesh.internal.wire.Signal;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.placement.CapabilityCache;
import io.github.hivemesh.placement.CapabilityIndex;
import io.github.hivemesh.task.BroadcastResult;
import io.github.hivemesh.task.TaskState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the mesh's tasks go and how they get there: the least-loaded live peer with every
 * required capability, as the root or a delegating peer sees it, and the basic-send protocol,
 * written once. Peers are named by their endpoints here (see {@link MeshPeer}).
 *
 * <h2>Sending a task</h2>
 * {@link #place} chooses the peer, takes one unit of its load (so concurrent placements see
 * it at once) and assigns the task; {@link #sendBasic} counts the assignment in the sender's
 * deficit before it can be seen, sends it, and on a refusal undoes all three. The unit of load
 * travels with the assignment: the receiving peer gives it back exactly once, when the task
 * leaves it (see {@link MeshPeer}).
 *
 * <h2>At the root</h2>
 * A task dispatched from the root is held there from before it was registered and released
 * once it is sent; a refused send keeps it held in a backlog, resent a millisecond later — the
 * hold keeps the swarm from looking quiescent meanwhile. A task that ends at the root (no
 * capable peer, cancelled) is released only once its record has settled. A peer's own refused
 * sends wait in the peer's outbox the same way.
 *
 * <p>Thread-safe: placement reads the capability index and the balancer's live load table,
 * both thread-safe; the backlog is a concurrent queue drained in the root's mailbox.
 */
final class MeshRouter {

    private static final Logger LOG = LoggerFactory.getLogger(MeshRouter.class);
    private static final long RETRY_DELAY_MICROS = 1_000;
    private static final int MAX_CACHED_REQUIREMENTS = 64;

    private final SwarmKernel kernel;
    private final String rootId;
    /** This member's part in a cluster, or null in one JVM. */
    private final MeshCluster cluster;
    private final CompletionRoot root;
    private final IMessageBroker broker;
    private final CapabilityIndex capabilities;
    private final MeshLoadBalancer balancer;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentLinkedQueue<TaskRecord> backlog = new ConcurrentLinkedQueue<>();
    /**
     * Capable peers per requirement, valid while the index's version is unchanged: placing
     * every task among a thousand peers would otherwise list them all again.
     */
    private final CapabilityCache<List<String>> capable;
    private final AtomicBoolean rootRetryScheduled = new AtomicBoolean();
    /** Slots of each live peer, by endpoint. */
    private final ConcurrentHashMap<String, Integer> slots = new ConcurrentHashMap<>();
    /** Peers with tasks queued behind busy slots; what idle peers steal from. */
    private final Set<String> backlogged = ConcurrentHashMap.newKeySet();
    /** Peers with a free slot and nothing queued; who is told when a backlog forms. */
    private final Set<String> hungry = ConcurrentHashMap.newKeySet();
    /** Queued tasks moved between peers (migrations and steals). */
    private final LongAdder moved = new LongAdder();
    /** Moves whenever a peer becomes backlogged, so a thief refused once knows to ask again. */
    private final AtomicLong backlogVersion = new AtomicLong();

    MeshRouter(SwarmKernel kernel, String rootId, CompletionRoot root,
            CapabilityIndex capabilities, MeshLoadBalancer balancer, MeshCluster cluster) {
        this.kernel = kernel;
        this.rootId = rootId;
        this.cluster = cluster;
        this.root = root;
        this.broker = kernel.broker();
        this.capabilities = capabilities;
        this.capable = new CapabilityCache<>(capabilities, MAX_CACHED_REQUIREMENTS, List::copyOf);
        this.balancer = balancer;
        this.scheduler = kernel.runtime().scheduler();
    }

    // ---- the basic-send protocol ------------------------------------------------------

    /**
     * Chooses a peer among {@code candidates}, takes one unit of its load and assigns the
     * task to it. Fails the task (no capable peer) or gives up (it ended meanwhile) and
     * returns null.
     */
    private String place(TaskRecord record, List<String> candidates) {
        while (true) {
            Optional<String> chosen = balancer.selectAmong(candidates);
            if (chosen.isEmpty()) {
                record.fail(noCapableAgent(record));
                return null;
            }
            String target = withFreeSlot(chosen.get(), candidates);
            adjustLoad(target, +1);
            if (record.assign(MeshPeer.agentIdOf(target))) {
                return target;
            }
            adjustLoad(target, -1);
            if (record.state() != TaskState.PENDING) {
                return null;
            }
        }
    }

    /**
     * The least-loaded choice, unless it has no free slot and another candidate has one (peers
     * with more slots): a task goes where it can start.
     */
    private String withFreeSlot(String chosen, List<String> candidates) {
        if (balancer.getPeerLoad(chosen) < slots.getOrDefault(chosen, Integer.MAX_VALUE)) {
            return chosen;
        }
        String best = chosen;
        int bestFree = 0;
        for (String candidate : candidates) {
            int free = slots.getOrDefault(candidate, 0) - balancer.getPeerLoad(candidate);
            if (free > bestFree) {
                best = candidate;
                bestFree = free;
            }
        }
        return best;
    }

    // ---- work stealing ------------------------------------------------------------------

    /** A peer joined with {@code count} slots, or left (count 0). */
    void slots(String endpoint, int count) {
        if (count == 0) {
            slots.remove(endpoint);
            backlogged.remove(endpoint);
            hungry.remove(endpoint);
        } else {
            slots.put(endpoint, count);
        }
    }

    /** A peer now has (or no longer has) tasks queued behind busy slots. Its mailbox. */
    void backlogged(String endpoint, boolean now) {
        if (now) {
            backlogged.add(endpoint);
            backlogVersion.incrementAndGet();
        } else {
            backlogged.remove(endpoint);
        }
    }

    /** A peer now has (or no longer has) a free slot and nothing queued. Its mailbox. */
    void hungry(String endpoint, boolean now) {
        if (now) {
            hungry.add(endpoint);
        } else {
            hungry.remove(endpoint);
        }
    }

    /** A queued task moved to another peer. */
    void moved() {
        moved.increment();
    }

    /** Queued tasks moved between peers so far. */
    long tasksMoved() {
        return moved.sum();
    }

    /** The backlog's version (see {@link #backlogged}). */
    long backlogVersion() {
        return backlogVersion.get();
    }

    /** A backlogged peer other than {@code thief}, or null. */
    String victimFor(String thief) {
        for (String victim : backlogged) {
            if (!victim.equals(thief)) {
                return victim;
            }
        }
        return null;
    }

    /** A hungry peer other than {@code except}, or null. */
    String hungryPeer(String except) {
        for (String peer : hungry) {
            if (!peer.equals(except)) {
                return peer;
            }
        }
        return null;
    }

    /**
     * Sends an assigned task from {@code node} (the root or a peer, at endpoint {@code from})
     * to {@code target}, whose load unit the caller holds: counted in the sender's deficit
     * before it can be seen, and on a refusal undone — deficit, load unit and assignment.
     *
     * @return whether the broker accepted it
     */
    boolean sendBasic(CompletionNode node, String from, String target, TaskRecord record) {
        boolean remote = cluster != null && cluster.isRemote(target);
        Assign assign = new Assign(record.task(), record.serial(), record.attempt(),
                record.root() == null ? rootId : record.root(), node.epoch(),
                remote ? cluster.deskId() : "");
        Message message = Message.of(Assign.TYPE, kernel.wire().carry(assign), from, target);
        node.onSend(target, message.messageId());
        if (remote) {
            // before it can come back: its result may overtake this thread
            cluster.sent(target, record);
        }
        if (broker.sendToPeer(from, target, message).isCompletedExceptionally()) {
            node.onSendFailed(message.messageId());
            if (remote) {
                cluster.released(target, record);
            } else {
                adjustLoad(target, -1);
            }
            record.unassign();
            return false;
        }
        return true;
    }

    /**
     * An assignment came back unrun from {@code endpoint}: a remote peer's load unit, taken
     * here, is given back here (a local peer gave its own back). Any actor's mailbox.
     */
    void returnedFrom(String endpoint, TaskRecord record) {
        if (cluster != null && cluster.isRemote(endpoint)) {
            cluster.released(endpoint, record);
            // it has left: place nothing more there
            cluster.unroutable(endpoint);
        }
    }

    /**
     * Places again a task a leaving peer of another member gave back, and sends it from the
     * desk ({@code node}: the desk's node of the task's tree, engaged by the give-back). The
     * desk's mailbox.
     *
     * @return false if it failed (no capable agent left, or refused) or had ended
     */
    boolean dispatchFromDesk(CompletionNode node, String deskId, TaskRecord record) {
        String target = place(record, capable(record.task().requiredCapabilities()));
        if (target == null) {
            return false;
        }
        if (sendBasic(node, deskId, target, record)) {
            return true;
        }
        record.fail(kernel.isAccepting() ? new IllegalStateException("task '" + record.id()
                + "', given back by an agent that left, was refused by its next agent's "
                + "mailbox") : kernel.refusal("place task '" + record.id() + "' again"));
        return false;
    }

    /** The peers of other members, or null in one JVM. */
    MeshCluster cluster() {
        return cluster;
    }

    /**
     * Sends user messages from {@code node} (at endpoint {@code from}), each a basic message
     * counted in its deficit before it can be seen; a refused one is withdrawn and reported.
     */
    BroadcastResult sendMails(CompletionNode node, String from,
            List<PeerCommand.MailOut> outgoing) {
        List<String> delivered = new ArrayList<>(outgoing.size());
        Map<String, Throwable> refused = new LinkedHashMap<>();
        for (PeerCommand.MailOut out : outgoing) {
            UserMail mail = out.mail();
            if (cluster != null) {
                // cluster mode: always name the root and its epoch (a recipient on another
                // member has a root of its own)
                mail = new UserMail(mail.fromAgentId(), mail.toAgentId(), mail.type(),
                        mail.payload(), node.rootId(), node.epoch());
            }
            Message message = AgentMail.wrap(mail, from, out.endpoint());
            node.onSend(out.endpoint(), message.messageId());
            CompletableFuture<Void> sent = broker.sendToPeer(from, out.endpoint(), message);
            if (sent.isCompletedExceptionally()) {
                node.onSendFailed(message.messageId());
                refused.put(out.agentId(), sent.handle((v, e) -> e instanceof CompletionException
                        && e.getCause() != null ? e.getCause() : e).join());
            } else {
                delivered.add(out.agentId());
            }
        }
        return new BroadcastResult(delivered, refused);
    }

    /** Gives back, or takes, units of a peer's load; a removed peer's are dropped. */
    void adjustLoad(String endpoint, int delta) {
        balancer.adjustPeerLoadIfPresent(endpoint, delta);
    }

    // ---- from the root ----------------------------------------------------------------

    /**
     * Places a task held at the root and sends it; the hold is released once the task is sent,
     * or once it has ended and settled. Any thread.
     */
    void dispatchFromRoot(TaskRecord record) {
        String target = place(record, capable(record.task().requiredCapabilities()));
        if (target == null) {
            releaseWhenSettled(record);
            return;
        }
        if (sendBasic(root, rootId, target, record)) {
            root.release();
        } else if (kernel.isAccepting()) {
            backlog.add(record);
            scheduleRetry(rootId);
        } else {
            record.fail(kernel.refusal("send task '" + record.id() + "'"));
            releaseWhenSettled(record);
        }
    }

    /** Lets go of a task held at the root once its record has settled. Any thread. */
    void releaseWhenSettled(TaskRecord record) {
        record.whenSettled(root::release);
    }

    /**
     * A task the root sent came back from a peer that had gone: held again, its message
     * withdrawn, and placed anew. Root mailbox.
     */
    void returnedToRoot(TaskRecord record, long messageId) {
        root.hold();
        root.onSendFailed(messageId);
        if (record != null && record.unassign()) {
            dispatchFromRoot(record);
        } else if (record != null) {
            releaseWhenSettled(record);
        } else {
            root.release();
        }
    }

    /** A peer parks a delegated subtask with dependencies at the root. Peer's mailbox. */
    void holdAtRoot(String peerEndpoint, TaskRecord subtask) {
        root.hold();
        broker.sendControl(peerEndpoint, rootId, MeshCommand.message(
                new RootCommand.Submit(subtask), peerEndpoint, rootId));
    }

    /** Resends what the root's sends had refused. Root mailbox. */
    void retryBacklog() {
        rootRetryScheduled.set(false);
        for (int n = backlog.size(); n > 0; n--) {
            TaskRecord record = backlog.poll();
            if (record == null) {
                break;
            }
            if (record.state().isTerminal()) {
                releaseWhenSettled(record);
            } else {
                dispatchFromRoot(record);
            }
        }
    }

    // ---- from a peer ------------------------------------------------------------------

    /**
     * Places a pending task from a peer: among the capable peers its discovery view knows
     * (all live peers when discovery is off, or when the view knows none yet), the least
     * loaded. Returns the chosen endpoint with its load unit taken, or null when the task
     * failed (no capable peer) or ended. The delegating peer's mailbox.
     */
    String placeFrom(MeshPeer from, TaskRecord record) {
        Set<String> required = record.task().requiredCapabilities();
        List<String> candidates = new ArrayList<>();
        IPeerDiscoverySystem view = from.discovery();
        if (view != null) {
            for (PeerInfo info : view.findPeersByCapabilities(required)) {
                if (capabilities.contains(info.peerId())) {
                    candidates.add(info.peerId());
                }
            }
        }
        if (candidates.isEmpty()) {
            candidates = capable(required);
        }
        return place(record, candidates);
    }

    /** The live peers having every one of {@code required}; cached per index version. */
    private List<String> capable(Set<String> required) {
        return capable.get(required);
    }

    private NoCapableAgentException noCapableAgent(TaskRecord record) {
        Set<String> required = record.task().requiredCapabilities();
        return new NoCapableAgentException(record.id(), required,
                capabilities.missing(required));
    }

    // ---- timers -------------------------------------------------------------------------

    /** Asks an endpoint (a peer, or the root) to resend its refused sends in a millisecond. */
    void scheduleRetry(String endpoint) {
        if (endpoint.equals(rootId)) {
            if (rootRetryScheduled.compareAndSet(false, true)) {
                later(endpoint, RootCommand.Retry.INSTANCE, RETRY_DELAY_MICROS);
            }
            return;
        }
        later(endpoint, PeerCommand.Retry.INSTANCE, RETRY_DELAY_MICROS);
    }

    /** Asks a peer to publish its state after {@link PeerStateManager#PUBLISH_DELAY}. */
    void schedulePublish(String endpoint) {
        later(endpoint, PeerCommand.PublishState.INSTANCE,
                PeerStateManager.PUBLISH_DELAY.toNanos() / 1_000);
    }

    /** Sends an endpoint a command from itself after a delay. */
    private void later(String endpoint, MeshCommand command, long delayMicros) {
        try {
            scheduler.schedule(() -> broker.sendControl(endpoint, endpoint,
                    MeshCommand.message(command, endpoint, endpoint)), delayMicros,
                    TimeUnit.MICROSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("'{}' for '{}' not scheduled: the swarm is stopping", command.type(),
                    endpoint);
        }
    }

    /**
     * How the detector's signals go out: as wire messages, each naming its tree's root in
     * cluster mode (a recipient on another member has a root of its own). The signalling
     * peer's mailbox.
     */
    SignalTransport signals() {
        return new SignalTransport() {
            @Override
            public void send(CompletionProbe acknowledgment) {
                signal(new Signal(acknowledgment.epoch(), acknowledgment.senderId(),
                        acknowledgment.recipientId(), new long[] {acknowledgment.messageId()},
                        cluster == null ? "" : rootId));
            }

            @Override
            public void send(CompletionSignal batch) {
                signal(new Signal(batch.epoch(), batch.senderId(), batch.recipientId(),
                        batch.messageIds(), cluster == null && batch.rootId().equals(rootId)
                                ? "" : batch.rootId()));
            }
        };
    }

    private void signal(Signal signal) {
        if (broker.sendControl(signal.recipient(), signal.sender(), Message.of(Signal.TYPE,
                kernel.wire().carry(signal), signal.recipient(), signal.sender()))
                .isCompletedExceptionally()) {
            LOG.debug("completion signal {} not sent: the swarm is stopping", signal);
        }
    }
}
