package io.github.hivemesh.mesh;

import io.github.hivemesh.broker.Message;
import io.github.hivemesh.cluster.ClusterDirectoryListener;
import io.github.hivemesh.cluster.ClusterException;
import io.github.hivemesh.cluster.ClusterMessageBroker;
import io.github.hivemesh.cluster.RemoteEndpoint;
import io.github.hivemesh.completion.CompletionPeer;
import io.github.hivemesh.completion.CompletionSignal;
import io.github.hivemesh.completion.IDistributedCompletionDetector;
import io.github.hivemesh.internal.SwarmKernel;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.TaskRegistry;
import io.github.hivemesh.internal.wire.Assign;
import io.github.hivemesh.internal.wire.DependencyNotice;
import io.github.hivemesh.internal.wire.Result;
import io.github.hivemesh.internal.wire.Signal;
import io.github.hivemesh.internal.wire.TaskNotice;
import io.github.hivemesh.placement.CapabilityIndex;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mesh coordinator's part in a cluster (cluster mode, see {@code docs/cluster.md}): the other
 * members' peers as this member knows them from the cluster broker's directory, and the
 * <em>desk</em> — the endpoint where the results of this member's tasks that ran on another
 * member come back.
 *
 * <h2>Remote peers</h2>
 * Every peer endpoint another member announces is a placement candidate here, with its
 * capabilities (in the {@link CapabilityIndex}) and a load (in the balancer): the tasks this
 * member placed on it and has no result for yet. A peer that leaves the directory leaves
 * placement; one whose member left the view fails the tasks of ours it still held, so no future
 * is left pending (their completion repair is issue 23's).
 *
 * <h2>Tasks run for another member</h2>
 * A task's record lives on the member that registered it (its home): the submitter's for a
 * submitted task, the delegating session's for a subtask. A peer given a task whose record is
 * elsewhere runs it on a {@linkplain #proxy record of its own}, and when it has ended sends
 * its outcome back as a {@link Result} to the home's desk — as a basic message of the task's
 * root's tree, so the peer stays engaged until the home has applied it: the result reaches the
 * record before the work can look done.
 *
 * <p>Thread-safe; the desk's handler runs in the desk's mailbox, the directory listener on the
 * transport's thread (it only updates thread-safe tables and hands anything else on).
 */
final class MeshCluster implements ClusterDirectoryListener {

    private static final Logger LOG = LoggerFactory.getLogger(MeshCluster.class);
    /**
     * Announced beside an agent's capabilities when it has a message handler (its member
     * knows; the others must, to send and broadcast as in one JVM). Never a capability.
     */
    static final String HANDLES_MESSAGES = "hivemesh.handles-messages";

    private final SwarmKernel kernel;
    private final ClusterMessageBroker broker;
    private final String tag;
    private final String deskId;
    /** Records of the tasks peers here run for other members; entered by nobody's id. */
    private final TaskRegistry foreign;
    /** Dependencies on tasks of other members, and other members' on ours. */
    private final RemoteDependencies dependencies;
    /** Remote peer endpoints by agent id, with their capabilities as the agents have them. */
    private final ConcurrentHashMap<String, RemoteEndpoint> byAgent = new ConcurrentHashMap<>();
    /** Remote peer endpoints whose agents have a message handler. */
    private final Set<String> handlers = ConcurrentHashMap.newKeySet();
    /** Records of tasks run here for other members that have not ended. */
    private final Set<TaskRecord> proxies = ConcurrentHashMap.newKeySet();
    /** Our records each remote peer holds (sent, no result yet), by endpoint. */
    private final ConcurrentHashMap<String, Set<TaskRecord>> held = new ConcurrentHashMap<>();
    private CapabilityIndex capabilities;
    private MeshLoadBalancer balancer;
    private MeshRouter router;
    private CompletionPeer desk;
    private String rootId;

    // desk-mailbox-confined
    /** Results applied whose records have not settled yet, by root ("" for our own). */
    private final Map<String, Integer> unsettled = new HashMap<>();

    MeshCluster(SwarmKernel kernel, ClusterMessageBroker broker) {
        this.kernel = kernel;
        this.broker = broker;
        this.tag = Long.toUnsignedString(broker.self().incarnation(), 36);
        this.deskId = "hivemesh.desk." + kernel.swarmId() + "." + tag;
        this.foreign = new TaskRegistry(kernel.runtime().clock(), 0);
        this.dependencies = new RemoteDependencies(kernel, broker, deskId, foreign);
    }

    /** The suffix that makes this member's endpoint ids its own: {@code .<incarnation>}. */
    String tag() {
        return tag;
    }

    /** Where results of this member's records come back. */
    String deskId() {
        return deskId;
    }

    /** Connects the parts the coordinator builds after this. */
    void bind(String root, CapabilityIndex index, MeshLoadBalancer loads, MeshRouter routes,
            IDistributedCompletionDetector detector) {
        this.rootId = root;
        this.capabilities = index;
        this.balancer = loads;
        this.router = routes;
        this.desk = detector.addPeer(deskId);
    }

    /** Opens the desk and starts following the directory (what is known now included). */
    void start() {
        broker.onPeerMessage(deskId, this::onDeskMessage);
        broker.addDirectoryListener(this);
        for (RemoteEndpoint endpoint : broker.remoteEndpoints()) {
            onAnnounced(endpoint);
        }
    }

    /** Tells the other members what a peer of ours can do (it is routable from now). */
    void announce(String endpoint, Set<String> peerCapabilities, boolean handlesMessages) {
        Set<String> announced = peerCapabilities;
        if (handlesMessages) {
            announced = new java.util.HashSet<>(peerCapabilities);
            announced.add(HANDLES_MESSAGES);
        }
        broker.announce(endpoint, announced);
    }

    /** Whether the remote peer at {@code endpoint} has a message handler. */
    boolean handlesMessages(String endpoint) {
        return handlers.contains(endpoint);
    }

    // ---- remote peers -------------------------------------------------------------------

    /** Whether {@code endpoint} is a peer another member hosts. */
    boolean isRemote(String endpoint) {
        RemoteEndpoint known = byAgent.get(MeshPeer.agentIdOf(endpoint));
        return known != null && known.id().equals(endpoint);
    }

    /** The endpoint of the remote peer of {@code agentId}, or null. */
    RemoteEndpoint remote(String agentId) {
        return byAgent.get(agentId);
    }

    /** The remote peers now. */
    List<RemoteEndpoint> remotes() {
        return new ArrayList<>(byAgent.values());
    }

    private static boolean isPeer(RemoteEndpoint endpoint) {
        return !endpoint.id().startsWith("hivemesh.") && endpoint.id().indexOf('@') > 0;
    }

    @Override
    public void onAnnounced(RemoteEndpoint endpoint) {
        if (!isPeer(endpoint)) {
            return;
        }
        RemoteEndpoint peer = endpoint;
        if (endpoint.capabilities().contains(HANDLES_MESSAGES)) {
            Set<String> own = new java.util.HashSet<>(endpoint.capabilities());
            own.remove(HANDLES_MESSAGES);
            peer = new RemoteEndpoint(endpoint.id(), endpoint.member(), own);
            handlers.add(endpoint.id());
        } else {
            handlers.remove(endpoint.id());
        }
        byAgent.put(MeshPeer.agentIdOf(endpoint.id()), peer);
        if (balancer.getPeerLoad(endpoint.id()) == 0) {
            balancer.updatePeerLoad(endpoint.id(), 0);
        }
        capabilities.put(endpoint.id(), peer.capabilities());
    }

    @Override
    public void onLeft(RemoteEndpoint endpoint, boolean memberLeft) {
        if (!isPeer(endpoint)) {
            dependencies.deskLeft(endpoint.id());
            return;
        }
        byAgent.computeIfPresent(MeshPeer.agentIdOf(endpoint.id()),
                (agent, known) -> known.id().equals(endpoint.id()) ? null : known);
        handlers.remove(endpoint.id());
        capabilities.remove(endpoint.id());
        balancer.removePeer(endpoint.id());
        Set<TaskRecord> lost = held.remove(endpoint.id());
        if (lost == null || lost.isEmpty()) {
            return;
        }
        // the records' callbacks are the application's: not on the transport's thread
        Runnable fail = () -> {
            for (TaskRecord record : lost) {
                record.fail(new ClusterException("agent '" + MeshPeer.agentIdOf(endpoint.id())
                        + "' of member " + endpoint.member() + (memberLeft
                                ? " is gone: its member left the cluster"
                                : " was removed") + " before task '" + record.id() + "' ended"));
            }
        };
        try {
            kernel.runtime().worker().execute(fail);
        } catch (RejectedExecutionException e) {
            fail.run();
        }
    }

    /** We sent {@code record} to the remote peer at {@code endpoint}. */
    void sent(String endpoint, TaskRecord record) {
        Set<TaskRecord> records = held.computeIfAbsent(endpoint,
                e -> ConcurrentHashMap.newKeySet());
        records.add(record);
        // ended here first (cancelled, timed out): the peer running it is told to stop
        record.whenSettled(() -> {
            if (records.remove(record)) {
                broker.sendControl(deskId, endpoint, Message.of(TaskNotice.TYPE,
                        kernel.wire().carry(new TaskNotice(TaskNotice.Kind.CANCEL, record.id(),
                                record.serial(), record.attempt())), deskId, endpoint));
            }
        });
    }

    /**
     * The remote peer at {@code endpoint} gave back {@code record} (its result came, or the
     * task came back unrun): its load unit here is released.
     */
    void released(String endpoint, TaskRecord record) {
        Set<TaskRecord> records = held.get(endpoint);
        if (records != null && record != null) {
            records.remove(record);
        }
        balancer.adjustPeerLoadIfPresent(endpoint, -1);
    }

    // ---- tasks run here for other members -------------------------------------------------

    /**
     * The remote peer at {@code endpoint} is leaving (it gave a task back or returned one):
     * it is no placement candidate here any more, though it stays known until its member
     * removes it.
     */
    void unroutable(String endpoint) {
        capabilities.remove(endpoint);
    }

    /**
     * A peer leaving with a task of another member queued gives it back unrun: a basic message
     * of the task's tree to its home's desk, which places it again. The peer's mailbox.
     */
    void sendReleased(CompletionPeer node, String from, Assign assign) {
        TaskNotice notice = new TaskNotice(TaskNotice.Kind.RELEASED, assign.taskId(),
                assign.serial(), assign.attempt(), assign.root(), node.epoch());
        Message message = Message.of(TaskNotice.TYPE, kernel.wire().carry(notice), from,
                assign.home());
        node.onSend(assign.home(), message.messageId());
        if (broker.sendControl(from, assign.home(), message).isCompletedExceptionally()) {
            node.onSendFailed(message.messageId());
            LOG.warn("task '{}' could not be given back to '{}': it left", assign.taskId(),
                    assign.home());
        }
    }

    /**
     * A stand-in for a task of another member that {@code taskId} depends on, looked up on
     * the other members; null when there is none to ask. Any thread.
     */
    TaskRecord dependencyElsewhere(String taskId, String dependencyId) {
        return dependencies.lookUp(taskId, dependencyId);
    }

    /** Whether an assignment's task has its record on another member. */
    boolean isForeign(Assign assign) {
        return !assign.home().isEmpty() && !assign.home().equals(deskId);
    }

    /** The completion root of a message, null for ours ({@code ""} or our root's id). */
    String rootOf(String wireRoot) {
        return wireRoot.isEmpty() || wireRoot.equals(rootId) ? null : wireRoot;
    }

    /**
     * A record of its own for a task another member sent here, assigned to {@code agentId}:
     * what the peer runs; its outcome goes home as a {@link Result}.
     */
    TaskRecord proxy(Assign assign, String agentId) {
        TaskRecord record = foreign.detached(assign.task(), rootOf(assign.root()));
        record.assign(agentId);
        proxies.add(record);
        record.whenSettled(() -> proxies.remove(record));
        return record;
    }

    /**
     * The swarm is stopping: the tasks run here for other members end as {@code reason} says
     * and their sessions are interrupted (their homes learn it from the view: this member
     * leaves). The stop's thread.
     */
    void stop(RuntimeException reason) {
        dependencies.stop(reason);
        for (TaskRecord record : List.copyOf(proxies)) {
            // stopped before its future completes, as everywhere a task ends from outside
            record.failAndStop(reason);
        }
    }

    /**
     * Sends the outcome of a task run here to its home's desk, a basic message of the task's
     * root's tree counted by {@code node} (the running peer's node of that tree). The peer's
     * mailbox.
     */
    void sendResult(CompletionPeer node, String from, String home, Assign assign,
            TaskRecord record) {
        TaskResult outcome = record.result();
        Throwable error = outcome == null ? new IllegalStateException("task '" + record.id()
                + "' ended without a result") : outcome.error();
        Result result = new Result(assign.taskId(), assign.serial(), assign.attempt(),
                error == null ? outcome.output() : null, error, assign.root(), node.epoch());
        Message message = Message.of(Result.TYPE, result, from, home);
        node.onSend(home, message.messageId());
        if (broker.sendControl(from, home, message).isCompletedExceptionally()) {
            node.onSendFailed(message.messageId());
            LOG.warn("the result of task '{}' could not be sent home to '{}': it left",
                    assign.taskId(), home);
        }
    }

    /**
     * Tells a task's home that its session starts here (the home's record goes RUNNING). Sent
     * before its result, on the same pair. The running peer's mailbox.
     */
    void sendStarted(String from, Assign assign) {
        broker.sendControl(from, assign.home(), Message.of(TaskNotice.TYPE,
                kernel.wire().carry(new TaskNotice(TaskNotice.Kind.STARTED, assign.taskId(),
                        assign.serial(), assign.attempt())), from, assign.home()));
    }

    /**
     * The desk's handler: results of our records, run elsewhere, and dependencies named across
     * members.
     */
    private void onDeskMessage(Message message) {
        Object payload = message.payload();
        if (payload instanceof Result result) {
            onResult(message, result);
        } else if (payload instanceof Signal signal) {
            // for the tasks it placed again (see onReleased)
            String root = rootOf(signal.root());
            desk.onSignal(new CompletionSignal(root == null ? rootId : root, signal.epoch(),
                    signal.sender(), signal.recipient(), signal.messageIds()));
        } else if (payload instanceof TaskNotice notice
                && notice.kind() == TaskNotice.Kind.STARTED) {
            TaskRecord record = kernel.registry().current(notice.taskId(), notice.serial(),
                    notice.attempt());
            if (record != null && record.state() == TaskState.ASSIGNED) {
                record.start();
            }
        } else if (payload instanceof TaskNotice notice
                && notice.kind() == TaskNotice.Kind.RELEASED) {
            onReleased(message, notice);
        } else if (payload instanceof DependencyNotice notice) {
            if (notice.kind() == DependencyNotice.Kind.LOOKUP) {
                dependencies.onLookup(message.senderId(), notice);
            } else {
                dependencies.onAnswer(message.senderId(), notice);
            }
        } else if (payload instanceof DeskSettled settled) {
            int left = unsettled.merge(settled.root(), -1, Integer::sum);
            if (left == 0) {
                unsettled.remove(settled.root());
                node(settled.root()).onIdle();
            }
        } else {
            LOG.warn("desk '{}' ignored a message it does not understand: {}", deskId,
                    message.type());
        }
    }

    private CompletionPeer node(String root) {
        return root.isEmpty() ? desk : desk.tree(root);
    }

    private void onResult(Message message, Result result) {
        String root = rootOf(result.root()) == null ? "" : result.root();
        CompletionPeer node = node(root);
        node.onReceive(message.senderId(), message.messageId(), result.epoch());
        TaskRecord record = kernel.registry().current(result.taskId(), result.serial(),
                result.attempt());
        released(message.senderId(), record);
        if (record != null) {
            if (record.state() == TaskState.ASSIGNED) {
                record.start();
            }
            if (result.success()) {
                record.complete(result.output());
            } else {
                record.fail(result.error());
            }
        }
        idleOnceSettled(root, node, record);
    }

    /** A leaving peer gave a task back unrun: placed again from here, or it fails. */
    private void onReleased(Message message, TaskNotice notice) {
        String root = rootOf(notice.root()) == null ? "" : notice.root();
        CompletionPeer node = node(root);
        node.onReceive(message.senderId(), message.messageId(), notice.epoch());
        TaskRecord record = kernel.registry().current(notice.taskId(), notice.serial(),
                notice.attempt());
        released(message.senderId(), record);
        unroutable(message.senderId());
        if (record != null && record.unassign()) {
            router.dispatchFromDesk(node, deskId, record);
        }
        idleOnceSettled(root, node, record);
    }

    /**
     * Rule 4 for the desk: idle in {@code root}'s tree now, or once {@code record} (if it
     * ended) has settled — its future complete before the work can look done.
     */
    private void idleOnceSettled(String root, CompletionPeer node, TaskRecord record) {
        if (record != null && record.state().isTerminal() && !record.isSettled()) {
            unsettled.merge(root, 1, Integer::sum);
            record.whenSettled(() -> broker.sendControl(deskId, deskId, MeshCommand.message(
                    new DeskSettled(root), deskId, deskId)));
            return;
        }
        if (!unsettled.containsKey(root)) {
            node.onIdle();
        }
    }

    /** A record a result ended has settled (root "" for ours). */
    record DeskSettled(String root) implements MeshCommand {
        @Override
        public String type() {
            return "mesh.desk-settled";
        }
    }

    @Override
    public String toString() {
        return "MeshCluster[" + broker.self() + ", remote peers=" + byAgent.size() + "]";
    }
}
