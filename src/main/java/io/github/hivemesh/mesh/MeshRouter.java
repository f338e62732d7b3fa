package io.github.hivemesh.mesh;

import io.github.hivemesh.agent.NoCapableAgentException;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.completion.CompletionRoot;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.placement.CapabilityIndex;
import io.github.hivemesh.task.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the mesh's tasks go: the least-loaded live peer with every required capability, as the
 * root or a delegating peer sees it, and what happens when the chosen peer's mailbox is full.
 * Peers are named by their endpoints here (see {@link MeshPeer}).
 *
 * <p>A task dispatched from the root is held there from before it was registered; it is
 * counted in the root's deficit before it can be seen ({@link CompletionRoot#onSend}) and only
 * then released. A refused send is undone ({@code onSendFailed}) and the task kept held in a
 * backlog, resent a millisecond later — the hold keeps the swarm from looking quiescent
 * meanwhile. A task that ends at the root (no capable peer, cancelled) is released only once
 * its record has settled. A peer's own refused sends wait in the peer's outbox the same way
 * ({@link MeshPeer}).
 *
 * <p>Thread-safe: placement reads the capability index and the balancer's live load table,
 * both thread-safe; the backlog is a concurrent queue drained in the root's mailbox.
 */
final class MeshRouter {

    private static final Logger LOG = LoggerFactory.getLogger(MeshRouter.class);
    private static final long RETRY_DELAY_MICROS = 1_000;
    private static final int MAX_CACHED_REQUIREMENTS = 64;

    private final MeshCoordinator mesh;
    private final String rootId;
    private final CompletionRoot root;
    private final IMessageBroker broker;
    private final CapabilityIndex capabilities;
    private final IMeshLoadBalancer balancer;
    private final ScheduledExecutorService scheduler;
    private final ConcurrentLinkedQueue<TaskRecord> backlog = new ConcurrentLinkedQueue<>();
    /**
     * Capable peers per requirement, valid while the index's version is unchanged: placing
     * every task among a thousand peers would otherwise list them all again.
     */
    private final ConcurrentHashMap<Set<String>, Capable> capableCache = new ConcurrentHashMap<>();
    private final AtomicBoolean rootRetryScheduled = new AtomicBoolean();

    MeshRouter(MeshCoordinator mesh, String rootId, CompletionRoot root, IMessageBroker broker,
            CapabilityIndex capabilities, IMeshLoadBalancer balancer,
            ScheduledExecutorService scheduler) {
        this.mesh = mesh;
        this.rootId = rootId;
        this.root = root;
        this.broker = broker;
        this.capabilities = capabilities;
        this.balancer = balancer;
        this.scheduler = scheduler;
    }

    /**
     * Places a task held at the root and sends it; the hold is released once the task is sent,
     * or once it has ended and settled. Any thread.
     */
    void dispatchFromRoot(TaskRecord record) {
        String target = placeFromRoot(record);
        if (target == null) {
            releaseWhenSettled(record);
            return;
        }
        Message message = Message.of(MeshMessages.TASK, record, rootId, target);
        root.onSend(target, message.messageId());
        if (broker.sendToPeer(rootId, target, message).isCompletedExceptionally()) {
            root.onSendFailed(message.messageId());
            mesh.adjustLoad(target, -1);
            record.unassign();
            if (mesh.isAccepting()) {
                backlog.add(record);
                scheduleRetry(rootId);
            } else {
                record.fail(mesh.refusal("send task '" + record.id() + "'"));
                releaseWhenSettled(record);
            }
            return;
        }
        root.release();
    }

    /** Lets go of a task held at the root once its record has settled. Any thread. */
    void releaseWhenSettled(TaskRecord record) {
        record.whenSettled(root::release);
    }

    /**
     * A task the root sent came back from a peer that had gone: held again, its message
     * withdrawn, and placed anew. Root mailbox.
     */
    void bounced(TaskRecord record, long messageId) {
        root.hold();
        root.onSendFailed(messageId);
        if (record.unassign()) {
            dispatchFromRoot(record);
        } else {
            releaseWhenSettled(record);
        }
    }

    /** Chooses and assigns a peer for a task from the root; null (task failed) if none. */
    private String placeFromRoot(TaskRecord record) {
        while (true) {
            List<String> candidates = capable(record.task().requiredCapabilities());
            Optional<String> chosen = select(candidates);
            if (chosen.isEmpty()) {
                record.fail(noCapableAgent(record));
                return null;
            }
            String target = chosen.get();
            mesh.adjustLoad(target, +1);
            if (record.assign(MeshPeer.agentIdOf(target))) {
                return target;
            }
            mesh.adjustLoad(target, -1);
            if (record.state() != TaskState.PENDING) {
                return null;
            }
        }
    }

    /**
     * Chooses the peer a delegated subtask goes to, as seen by {@code from}: among the capable
     * peers its discovery view knows (all live peers when discovery is off, or when the view
     * knows none yet), the least loaded. Fails the record and returns null when no peer can
     * serve it. The delegating peer's mailbox.
     */
    String choosePeer(MeshPeer from, TaskRecord record) {
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
        Optional<String> chosen = select(candidates);
        if (chosen.isEmpty()) {
            record.fail(noCapableAgent(record));
            return null;
        }
        return chosen.get();
    }

    /** The balancer's choice among candidates that nobody changes during the call. */
    private Optional<String> select(List<String> candidates) {
        return balancer instanceof MeshLoadBalancer own ? own.selectAmong(candidates)
                : balancer.selectLeastLoadedPeer(candidates);
    }

    /** The live peers having every one of {@code required}; cached per index version. */
    private List<String> capable(Set<String> required) {
        // the version is read before the lookup: a change the lookup missed moves the version
        // after this read, so the entry cached here is never used again
        long version = capabilities.version();
        Capable cached = capableCache.get(required);
        if (cached != null && cached.version() == version) {
            return cached.peers();
        }
        List<String> peers = List.copyOf(capabilities.nodesWithAll(required));
        if (capableCache.size() >= MAX_CACHED_REQUIREMENTS) {
            capableCache.clear();
        }
        capableCache.put(required, new Capable(version, peers));
        return peers;
    }

    /** A cached lookup and the index version it was made at. */
    private record Capable(long version, List<String> peers) {
    }

    private NoCapableAgentException noCapableAgent(TaskRecord record) {
        Set<String> required = record.task().requiredCapabilities();
        return new NoCapableAgentException(record.id(), required,
                capabilities.missing(required));
    }

    /** A peer parks a delegated subtask with dependencies at the root. Peer's mailbox. */
    void holdAtRoot(String peerEndpoint, TaskRecord subtask) {
        root.hold();
        broker.sendControl(peerEndpoint, rootId, Message.of(MeshMessages.SUBMIT, subtask,
                peerEndpoint, rootId));
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

    /** Asks an endpoint (a peer, or the root) to resend its refused sends in a millisecond. */
    void scheduleRetry(String endpoint) {
        if (endpoint.equals(rootId) && !rootRetryScheduled.compareAndSet(false, true)) {
            return;
        }
        later(endpoint, MeshMessages.RETRY, RETRY_DELAY_MICROS);
    }

    /** Asks a peer to publish its state after {@link PeerStateManager#PUBLISH_DELAY}. */
    void schedulePublish(String peerId) {
        later(peerId, MeshMessages.PUBLISH_STATE,
                PeerStateManager.PUBLISH_DELAY.toNanos() / 1_000);
    }

    /** Sends an endpoint a control message of {@code type} to itself after a delay. */
    private void later(String endpoint, String type, long delayMicros) {
        try {
            scheduler.schedule(() -> broker.sendControl(endpoint, endpoint,
                    Message.of(type, null, endpoint, endpoint)), delayMicros,
                    TimeUnit.MICROSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("'{}' for '{}' not scheduled: the swarm is stopping", type, endpoint);
        }
    }
}
