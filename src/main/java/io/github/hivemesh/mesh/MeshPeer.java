package io.github.hivemesh.mesh;

import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.AgentStateMachine;
import io.github.hivemesh.agent.TokenMeter;
import io.github.hivemesh.agent.UnknownAgentException;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.completion.CompletionPeer;
import io.github.hivemesh.completion.CompletionProbe;
import io.github.hivemesh.completion.IDistributedCompletionDetector;
import io.github.hivemesh.internal.AgentInbox;
import io.github.hivemesh.internal.AgentMail;
import io.github.hivemesh.internal.ControllableAgent;
import io.github.hivemesh.internal.PauseCycle;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mesh peer — one incarnation of an agent: a serial actor on the broker at its own
 * endpoint ({@code <agent id>@<n>}). Everything here except the published counters runs
 * inside the peer's mailbox, one message at a time, so the queue, the running count and the
 * Dijkstra–Scholten hooks need no locks.
 *
 * <h2>Task flow</h2>
 * A task arrives as a basic message ({@link MeshMessages#TASK}): the peer engages (or signals
 * at once), queues it by priority (10 first, FIFO within a priority) and starts it when a slot
 * is free, on the worker executor. A session's {@code delegate} posts the subtask to this
 * mailbox ({@link MeshMessages#DELEGATE}), where it is placed and sent as a basic message; its
 * end posts {@link MeshMessages#DONE} once the task's record has settled. A task that ended
 * without running here (cancelled, timed out) is counted out only once its record has settled
 * ({@link MeshMessages#SETTLED}). The peer calls {@code onIdle} only when nothing is queued,
 * running, waiting to be resent or waiting to settle, so it cannot signal its parent while it
 * still has work.
 *
 * <h2>Leaving</h2>
 * A removed peer stops being routable, hands its queued tasks to other peers, finishes what
 * runs, and is forgotten once it is neutral and owes nothing. A task another peer placed on it
 * just before it went, and that reaches it after, is bounced back to its sender
 * ({@link MeshMessages#BOUNCE}), which places it again: a forgotten peer is no longer part of
 * the detector and may neither engage nor signal.
 */
final class MeshPeer implements AgentHandle, ControllableAgent {

    private static final Logger LOG = LoggerFactory.getLogger(MeshPeer.class);

    /** Priority first (10 before 1), then arrival order. */
    private static final Comparator<Queued> RUN_ORDER = Comparator
            .comparingInt((Queued q) -> -q.record.task().priority())
            .thenComparingLong(q -> q.seq);

    /** A queued task and its arrival number at this peer. */
    record Queued(TaskRecord record, long seq) {
    }

    private final String id;
    private final String endpoint;
    private final long incarnation;
    private final AgentDefinition definition;
    private final MeshCoordinator mesh;
    private final CompletionPeer completion;
    private final IPeerDiscoverySystem discovery;
    private final AgentStateMachine state;
    private final TokenMeter meter;
    private final PauseCycle cycle;
    private final int maxConcurrent;
    /** Its application messages, handled one at a time on the worker; null without handler. */
    private final AgentInbox inbox;

    // mailbox-confined
    private final PriorityQueue<Queued> queue = new PriorityQueue<>(RUN_ORDER);
    private final ArrayDeque<TaskRecord> outbox = new ArrayDeque<>();
    private long arrivals;
    private int running;
    /** Tasks that ended without running here and whose records have not settled yet. */
    private int unsettled;
    private boolean retryScheduled;
    private long stateVersion;
    private boolean publishScheduled;
    private CompletableFuture<Void> leaving;
    private boolean forgotten;

    // published for other threads
    private final ConcurrentHashMap<String, Queued> queuedById = new ConcurrentHashMap<>();
    private volatile int runningNow;
    private volatile long lastSeenMillis;
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder executionNanos = new LongAdder();

    MeshPeer(AgentDefinition definition, String endpoint, long incarnation, MeshCoordinator mesh,
            CompletionPeer completion, IPeerDiscoverySystem discovery, int maxConcurrent) {
        this.id = definition.id();
        this.endpoint = endpoint;
        this.incarnation = incarnation;
        this.definition = definition;
        this.mesh = mesh;
        this.completion = completion;
        this.discovery = discovery;
        this.maxConcurrent = maxConcurrent;
        this.state = new AgentStateMachine(id, mesh.clock());
        this.meter = new TokenMeter(mesh.clock());
        this.cycle = new PauseCycle(id, mesh.swarmId(), definition.session(), state, meter,
                mesh.clock(), mesh.worker(), action -> post(MeshMessages.RUN, action),
                mesh.idlePausePolicy(), mesh.checkpointStorage());
        this.lastSeenMillis = mesh.clock().millis();
        this.inbox = definition.messageHandler()
                .map(handler -> new AgentInbox(id, handler, mesh.worker())).orElse(null);
    }

    /** The endpoint of incarnation {@code n} of agent {@code agentId}. */
    static String endpointOf(String agentId, long n) {
        return agentId + "@" + n;
    }

    /** The agent id of an endpoint made by {@link #endpointOf} (the part before the last @). */
    static String agentIdOf(String endpoint) {
        int at = endpoint.lastIndexOf('@');
        return at < 0 ? endpoint : endpoint.substring(0, at);
    }

    /** Sends this peer a control message from itself. Any thread. */
    CompletableFuture<Void> post(String type, Object payload) {
        return mesh.broker().sendControl(endpoint, endpoint, Message.of(type, payload, endpoint,
                endpoint));
    }

    @Override
    public String id() {
        return id;
    }

    /** Its endpoint on the broker, in the detector, the balancer and the capability index. */
    String endpoint() {
        return endpoint;
    }

    @Override
    public Set<String> capabilities() {
        return definition.capabilities();
    }

    @Override
    public AgentState state() {
        return state.state();
    }

    AgentDefinition definition() {
        return definition;
    }

    AgentStateMachine stateMachine() {
        return state;
    }

    @Override
    public TokenMeter meter() {
        return meter;
    }

    @Override
    public PauseCycle cycle() {
        return cycle;
    }

    /** The peer's discovery view, or null when discovery is off. */
    IPeerDiscoverySystem discovery() {
        return discovery;
    }

    // ---- the mailbox ------------------------------------------------------------------

    /** The broker handler of this peer's endpoint. Runs in the peer's mailbox. */
    void onMessage(Message message) {
        if (forgotten) {
            late(message);
            return;
        }
        lastSeenMillis = mesh.clock().millis();
        if (discovery != null && discovery.handleMessage(message)) {
            mesh.discoveryProgressed();
            return;
        }
        try {
            handle(message);
        } catch (RuntimeException e) {
            // a bug in the coordinator, not in user code (sessions run elsewhere): make it loud
            LOG.error("peer '{}' failed handling a '{}' message", endpoint, message.type(), e);
            throw e;
        }
        if (leaving != null) {
            finishLeavingIfDone();
        }
    }

    @SuppressWarnings("unchecked")
    private void handle(Message message) {
        switch (message.type()) {
            case MeshMessages.TASK -> onTask(message);
            case MeshMessages.DELEGATE -> onDelegate((TaskRecord) message.payload());
            case MeshMessages.DONE -> onDone((SessionTask) message.payload());
            case IDistributedCompletionDetector.SIGNAL_MESSAGE_TYPE ->
                    completion.onSignal((CompletionProbe) message.payload());
            case MeshMessages.SETTLED -> {
                unsettled--;
                maybeIdle();
            }
            case MeshMessages.BOUNCE -> onBounce((MeshMessages.Bounce) message.payload());
            case MeshMessages.RETRY -> onRetry();
            case MeshMessages.MIGRATE -> onMigrate((MeshMessages.Migration) message.payload());
            case AgentMail.TYPE -> {
                if (inbox != null) {
                    inbox.deliver(message);
                } else {
                    LOG.warn("peer '{}' accepts no messages; dropped one from '{}'", id,
                            message.senderId());
                }
            }
            case MeshMessages.PUBLISH_STATE -> {
                publishScheduled = false;
                publishState();
            }
            case MeshMessages.RUN -> ((Runnable) message.payload()).run();
            case MeshMessages.PAUSE -> cycle.pause(running, queue.size() + outbox.size(),
                    (CompletableFuture<String>) message.payload());
            case MeshMessages.RESUME -> {
                MeshMessages.Resume resume = (MeshMessages.Resume) message.payload();
                cycle.resume(resume.checkpointId(), resume.done());
            }
            case MeshMessages.AUTO_PAUSE -> cycle.autoPause((Long) message.payload(), running,
                    queue.size() + outbox.size());
            case MeshMessages.LEAVE -> onLeave((CompletableFuture<Void>) message.payload());
            default -> LOG.warn("peer '{}' ignored a message of unknown type '{}'", id,
                    message.type());
        }
    }

    private void onTask(Message message) {
        completion.onReceive(message.senderId(), message.messageId());
        TaskRecord record = (TaskRecord) message.payload();
        if (record.state() != TaskState.ASSIGNED) {
            // ended while in flight (cancelled, timed out, swarm shutting down)
            mesh.adjustLoad(endpoint, -1);
            dropEnded(record);
            maybeIdle();
            return;
        }
        if (leaving != null) {
            // it was sent before this peer stopped being routable: pass it on
            record.unassign();
            mesh.adjustLoad(endpoint, -1);
            route(record);
            maybeIdle();
            return;
        }
        enqueue(record);
        // a paused agent resumes first, then starts its queue
        cycle.whenRunnable(this::startNext);
    }

    /**
     * A task that ended without running here: counted out once its record has settled (its
     * future completed), not before — the ending thread may still be completing it.
     */
    private void dropEnded(TaskRecord record) {
        if (!record.isSettled()) {
            unsettled++;
            record.whenSettled(() -> post(MeshMessages.SETTLED, null));
        }
    }

    private void enqueue(TaskRecord record) {
        Queued queued = new Queued(record, arrivals++);
        queue.add(queued);
        queuedById.put(record.id(), queued);
    }

    private void startNext() {
        if (!cycle.isRunnable()) {
            return;
        }
        if (running == 0 && !queue.isEmpty() && state.state() == AgentState.IDLE) {
            cycle.workArrived();
            cycle.becameBusy();
            stateChanged();
        }
        while (running < maxConcurrent && !queue.isEmpty()) {
            Queued next = queue.poll();
            TaskRecord record = next.record;
            queuedById.remove(record.id());
            if (record.state() != TaskState.ASSIGNED) {
                mesh.adjustLoad(endpoint, -1);
                dropEnded(record);
                continue;
            }
            SessionTask session = new SessionTask(record, id, this, definition.session(),
                    mesh.kernel().sessionHost());
            running++;
            try {
                mesh.worker().execute(session);
            } catch (RejectedExecutionException e) {
                running--;
                mesh.adjustLoad(endpoint, -1);
                record.fail(new SwarmShutdownException("swarm '" + mesh.swarmId()
                        + "' is shutting down; task '" + record.id() + "' was not started"));
                dropEnded(record);
            }
        }
        runningNow = running;
        maybeIdle();
    }

    private void onDone(SessionTask session) {
        running--;
        mesh.adjustLoad(endpoint, -1);
        TaskRecord record = session.record();
        if (record.state() == TaskState.COMPLETED) {
            completed.increment();
        } else {
            failed.increment();
        }
        Instant started = record.startedAt();
        Instant finished = record.finishedAt();
        if (started != null && finished != null) {
            executionNanos.add(Duration.between(started, finished).toNanos());
        }
        startNext();
    }

    private void maybeIdle() {
        runningNow = running;
        if (running == 0 && queue.isEmpty() && outbox.isEmpty() && unsettled == 0) {
            if (state.state() == AgentState.BUSY) {
                cycle.becameIdle();
                stateChanged();
            }
            completion.onIdle();
        }
    }

    /**
     * Notes that the state worth sharing changed; it is published once within
     * {@link PeerStateManager#PUBLISH_DELAY}, so a peer switching between busy and idle
     * thousands of times a second encodes its state a few times a second. Mailbox.
     */
    private void stateChanged() {
        if (!publishScheduled) {
            publishScheduled = true;
            mesh.router().schedulePublish(endpoint);
        }
    }

    /**
     * Shares this peer's state as an artifact, keyed by its agent id; versions keep rising
     * across incarnations, so a re-spawned agent's states supersede the old one's. Mailbox (or
     * at spawn, before any message). A store that fails is logged, not fatal: peer states are
     * a view.
     */
    void publishState() {
        List<String> active = new ArrayList<>(Math.min(queuedById.size(),
                PeerStateManager.MAX_LISTED_TASKS));
        for (String taskId : queuedById.keySet()) {
            if (active.size() == PeerStateManager.MAX_LISTED_TASKS) {
                break;
            }
            active.add(taskId);
        }
        try {
            mesh.peerStates().publish(id, Math.max(0, running + queuedById.size()), active,
                    completed.sum(), failed.sum(), meter.workTokens(),
                    (incarnation << 32) + stateVersion++);
        } catch (RuntimeException e) {
            LOG.warn("peer '{}' could not publish its state", id, e);
        }
    }

    /** Starts leaving the swarm: completes when the peer has no work and owes no signal. */
    CompletableFuture<Void> leave() {
        CompletableFuture<Void> left = request(new CompletableFuture<>());
        if (post(MeshMessages.LEAVE, left).isCompletedExceptionally()) {
            left.completeExceptionally(mesh.refusal("remove agent '" + id + "'"));
        }
        return left;
    }

    private void onLeave(CompletableFuture<Void> left) {
        if (leaving != null) {
            leaving.whenComplete((v, e) -> left.complete(null));
            return;
        }
        leaving = left;
        // queued tasks go to other capable peers (or fail if none is left)
        while (!queue.isEmpty()) {
            TaskRecord record = queue.poll().record;
            queuedById.remove(record.id());
            mesh.adjustLoad(endpoint, -1);
            if (record.unassign()) {
                route(record);
            } else {
                dropEnded(record);
            }
        }
        maybeIdle();
    }

    private void finishLeavingIfDone() {
        if (running == 0 && queue.isEmpty() && outbox.isEmpty() && unsettled == 0
                && !completion.isEngaged() && mesh.detector().getDeficitCounter(endpoint) == 0
                && !cycle.isTransitioning()) {
            CompletableFuture<Void> left = leaving;
            forgotten = true;
            mesh.forgetPeer(this);
            cycle.terminate(new UnknownAgentException(id, mesh.swarmId()));
            state.transitionTo(AgentState.TERMINATED);
            left.complete(null);
        }
    }

    /**
     * A message reached this peer after it was forgotten (accepted just before its endpoint
     * went). A task goes back to its sender to be placed again; requests are answered.
     */
    @SuppressWarnings("unchecked")
    private void late(Message message) {
        switch (message.type()) {
            case MeshMessages.TASK -> mesh.broker().sendControl(endpoint, message.senderId(),
                    Message.of(MeshMessages.BOUNCE, new MeshMessages.Bounce(
                            (TaskRecord) message.payload(), message.messageId()), endpoint,
                            message.senderId()));
            case MeshMessages.PAUSE -> ((CompletableFuture<String>) message.payload())
                    .completeExceptionally(new UnknownAgentException(id, mesh.swarmId()));
            case MeshMessages.RESUME -> ((MeshMessages.Resume) message.payload()).done()
                    .completeExceptionally(new UnknownAgentException(id, mesh.swarmId()));
            case MeshMessages.MIGRATE -> ((MeshMessages.Migration) message.payload()).moved()
                    .complete(false);
            case MeshMessages.LEAVE -> ((CompletableFuture<Void>) message.payload())
                    .complete(null);
            default -> LOG.debug("peer '{}' has left; dropped a late '{}' message", endpoint,
                    message.type());
        }
    }

    /**
     * The swarm is stopping: the peer is terminated (what waits on it the kernel fails). Any
     * thread, after every task has been failed.
     */
    void terminate() {
        if (discovery != null) {
            discovery.stopDiscovery();
        }
        if (state.state() != AgentState.TERMINATED) {
            state.transitionTo(AgentState.TERMINATED);
        }
    }

    /** Places a delegated subtask and sends it; a subtask with dependencies waits at the root. */
    private void onDelegate(TaskRecord subtask) {
        if (subtask.dependencies() != null) {
            mesh.router().holdAtRoot(endpoint, subtask);
            return;
        }
        route(subtask);
    }

    /**
     * One of this peer's tasks came back from a peer that had gone: it is placed again (or
     * ends), then its first message is withdrawn — in that order, while the peer counts itself
     * busy, so the withdrawal cannot detach it while the task still needs it.
     */
    private void onBounce(MeshMessages.Bounce bounce) {
        completion.onBusy();
        TaskRecord record = bounce.record();
        if (record.unassign()) {
            route(record);
        } else {
            dropEnded(record);
        }
        completion.onSendFailed(bounce.messageId());
        maybeIdle();
    }

    /** Sends a pending task to the best capable peer; keeps it to resend if refused. */
    private void route(TaskRecord record) {
        String target = mesh.router().choosePeer(this, record);
        if (target == null) {
            // it failed: no capable peer
            dropEnded(record);
            return;
        }
        mesh.adjustLoad(target, +1);
        if (!record.assign(agentIdOf(target))) {
            mesh.adjustLoad(target, -1);
            dropEnded(record);
            return;
        }
        Message message = Message.of(MeshMessages.TASK, record, endpoint, target);
        completion.onSend(target, message.messageId());
        if (mesh.broker().sendToPeer(endpoint, target, message).isCompletedExceptionally()) {
            completion.onSendFailed(message.messageId());
            mesh.adjustLoad(target, -1);
            record.unassign();
            if (mesh.isAccepting()) {
                outbox.add(record);
                scheduleRetry();
            } else {
                record.fail(new SwarmShutdownException("swarm '" + mesh.swarmId()
                        + "' is shutting down; subtask '" + record.id() + "' was not sent"));
                dropEnded(record);
            }
        }
    }

    private void scheduleRetry() {
        if (!retryScheduled) {
            retryScheduled = true;
            mesh.router().scheduleRetry(endpoint);
        }
    }

    private void onRetry() {
        retryScheduled = false;
        for (int n = outbox.size(); n > 0; n--) {
            TaskRecord record = outbox.poll();
            if (record.state().isTerminal()) {
                dropEnded(record);
            } else {
                route(record);
            }
        }
        maybeIdle();
    }

    /**
     * Moves one queued task to another peer if it has not started, with its unit of load: the
     * load moves before the task can reach the other peer, so that peer's decrement when the
     * task ends never finds it missing.
     */
    private void onMigrate(MeshMessages.Migration migration) {
        Queued queued = queuedById.get(migration.taskId());
        String to = migration.toPeerId();
        if (queued == null || queued.record.state() != TaskState.ASSIGNED
                || !mesh.isLive(to) || to.equals(endpoint)) {
            migration.moved().complete(false);
            return;
        }
        TaskRecord record = queued.record;
        queue.remove(queued);
        queuedById.remove(record.id());
        record.unassign();
        mesh.adjustLoad(to, +1);
        mesh.adjustLoad(endpoint, -1);
        record.assign(agentIdOf(to));
        Message message = Message.of(MeshMessages.TASK, record, endpoint, to);
        completion.onSend(to, message.messageId());
        if (mesh.broker().sendToPeer(endpoint, to, message).isCompletedExceptionally()) {
            completion.onSendFailed(message.messageId());
            mesh.adjustLoad(endpoint, +1);
            mesh.adjustLoad(to, -1);
            record.unassign();
            record.assign(id);
            enqueue(record);
            migration.moved().complete(false);
            return;
        }
        migration.moved().complete(true);
        maybeIdle();
    }

    // ---- views for other threads ------------------------------------------------------

    /** Ids of queued, unstarted tasks in run order (a snapshot). */
    List<String> movableTasks() {
        List<Queued> snapshot = new ArrayList<>(queuedById.values());
        snapshot.sort(RUN_ORDER);
        List<String> ids = new ArrayList<>(snapshot.size());
        for (Queued queued : snapshot) {
            ids.add(queued.record.id());
        }
        return ids;
    }

    /** Tracks a request's future so that a stop fails it if nobody answers it. */
    private <T> CompletableFuture<T> request(CompletableFuture<T> future) {
        return mesh.kernel().track(future);
    }

    @Override
    public CompletableFuture<String> requestPause() {
        CompletableFuture<String> done = request(new CompletableFuture<>());
        if (post(MeshMessages.PAUSE, done).isCompletedExceptionally()) {
            done.completeExceptionally(mesh.refusal("pause agent '" + id + "'"));
        }
        return done;
    }

    @Override
    public CompletableFuture<Void> requestResume(String checkpointId) {
        CompletableFuture<Void> done = request(new CompletableFuture<>());
        if (post(MeshMessages.RESUME, new MeshMessages.Resume(checkpointId, done))
                .isCompletedExceptionally()) {
            done.completeExceptionally(mesh.refusal("resume agent '" + id + "'"));
        }
        return done;
    }

    @Override
    public void requestAutoPause(long epoch) {
        post(MeshMessages.AUTO_PAUSE, epoch);
    }

    /** Asks the peer to move a queued task; completes false if it had started or is gone. */
    CompletableFuture<Boolean> requestMigration(String taskId, String toEndpoint) {
        CompletableFuture<Boolean> moved = request(new CompletableFuture<>());
        if (post(MeshMessages.MIGRATE, new MeshMessages.Migration(taskId, toEndpoint, moved))
                .isCompletedExceptionally()) {
            moved.complete(false);
        }
        return moved;
    }

    /** A snapshot for the API. */
    PeerAgent snapshot(int load, Set<String> neighbors) {
        long done = completed.sum();
        long bad = failed.sum();
        long ended = done + bad;
        return new PeerAgent(id, definition.session(), definition.capabilities(), load,
                state.state(), neighbors, Instant.ofEpochMilli(lastSeenMillis),
                ended == 0 ? 1.0 : (double) done / ended,
                ended == 0 ? Duration.ZERO : Duration.ofNanos(executionNanos.sum() / ended),
                done, bad);
    }

    /** Tasks running now. */
    int running() {
        return runningNow;
    }

    /** Tasks queued now. */
    int queued() {
        return queuedById.size();
    }

    @Override
    public String toString() {
        return "MeshPeer[" + endpoint + " " + state.state() + ", running=" + runningNow
                + ", queued=" + queuedById.size() + "]";
    }
}
