package io.github.hivemesh.mesh;

import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.AgentStateMachine;
import io.github.hivemesh.agent.TokenMeter;
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
import java.util.Iterator;
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
 * One mesh peer: a serial actor on the broker. Everything here except the published counters
 * runs inside the peer's mailbox, one message at a time, so the queue, the running count and
 * the Dijkstra–Scholten hooks need no locks.
 *
 * <h2>Task flow</h2>
 * A task arrives as a basic message ({@link MeshMessages#TASK}): the peer engages (or signals
 * at once), queues it by priority (10 first, FIFO within a priority) and starts it when a slot
 * is free, on the worker executor. A session's {@code delegate} posts the subtask to this
 * mailbox ({@link MeshMessages#DELEGATE}), where it is placed and sent as a basic message; its
 * return posts {@link MeshMessages#DONE} after the task's record has ended. The peer calls
 * {@code onIdle} only when nothing is queued, running or waiting to be resent, so it cannot
 * signal its parent while it still has work.
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
    private boolean retryScheduled;
    private long stateVersion;
    private boolean publishScheduled;
    private CompletableFuture<Void> leaving;

    // published for other threads
    private final ConcurrentHashMap<String, Queued> queuedById = new ConcurrentHashMap<>();
    private volatile int runningNow;
    private volatile long lastSeenMillis;
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder executionNanos = new LongAdder();

    MeshPeer(AgentDefinition definition, MeshCoordinator mesh, CompletionPeer completion,
            IPeerDiscoverySystem discovery, int maxConcurrent) {
        this.id = definition.id();
        this.definition = definition;
        this.mesh = mesh;
        this.completion = completion;
        this.discovery = discovery;
        this.maxConcurrent = maxConcurrent;
        this.state = new AgentStateMachine(id, mesh.clock());
        this.meter = new TokenMeter(mesh.clock());
        this.cycle = new PauseCycle(id, mesh.swarmId(), definition.session(), state, meter,
                mesh.clock(), mesh.worker(), this::post, mesh.idlePausePolicy(),
                mesh.checkpointStorage());
        this.lastSeenMillis = mesh.clock().millis();
        this.inbox = definition.messageHandler()
                .map(handler -> new AgentInbox(id, handler, mesh.worker())).orElse(null);
    }

    /** Runs {@code action} in this peer's mailbox. */
    private void post(Runnable action) {
        mesh.broker().sendControl(id, id, Message.of(MeshMessages.RUN, action, id, id));
    }

    @Override
    public String id() {
        return id;
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
        lastSeenMillis = mesh.clock().millis();
        if (discovery != null && discovery.handleMessage(message)) {
            mesh.discoveryProgressed();
            return;
        }
        try {
            handle(message);
        } catch (RuntimeException e) {
            // a bug in the coordinator, not in user code (sessions run elsewhere): make it loud
            LOG.error("peer '{}' failed handling a '{}' message", id, message.type(), e);
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
            mesh.adjustLoad(id, -1);
            maybeIdle();
            return;
        }
        if (leaving != null) {
            // it was sent before this peer stopped being routable: pass it on
            record.unassign();
            mesh.adjustLoad(id, -1);
            route(record);
            return;
        }
        enqueue(record);
        // a paused agent resumes first, then starts its queue
        cycle.whenRunnable(this::startNext);
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
                mesh.adjustLoad(id, -1);
                continue;
            }
            SessionTask session = new SessionTask(record, id, definition.session(), mesh);
            running++;
            try {
                mesh.worker().execute(session);
            } catch (RejectedExecutionException e) {
                running--;
                mesh.adjustLoad(id, -1);
                record.fail(new SwarmShutdownException("swarm '" + mesh.swarmId()
                        + "' is shutting down; task '" + record.id() + "' was not started"));
            }
        }
        runningNow = running;
        maybeIdle();
    }

    private void onDone(SessionTask session) {
        running--;
        mesh.adjustLoad(id, -1);
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
        if (running == 0 && queue.isEmpty() && outbox.isEmpty()) {
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
            mesh.router().schedulePublish(id);
        }
    }

    /** Shares this peer's state as an artifact. Mailbox (or at spawn, before any message). */
    void publishState() {
        List<String> active = new ArrayList<>(queuedById.keySet());
        mesh.peerStates().publish(id, Math.max(0, running + queuedById.size()), active,
                completed.sum(), failed.sum(), meter.workTokens(), stateVersion++);
    }

    /** Starts leaving the swarm: completes when the peer has no work and owes no signal. */
    CompletableFuture<Void> leave() {
        CompletableFuture<Void> left = new CompletableFuture<>();
        if (mesh.broker().sendControl(id, id, Message.of(MeshMessages.LEAVE, left, id, id))
                .isCompletedExceptionally()) {
            left.completeExceptionally(new IllegalStateException("agent '" + id
                    + "' cannot leave: the swarm is shutting down"));
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
            mesh.adjustLoad(id, -1);
            if (record.unassign()) {
                route(record);
            }
        }
        maybeIdle();
    }

    private void finishLeavingIfDone() {
        if (running == 0 && queue.isEmpty() && outbox.isEmpty() && !completion.isEngaged()
                && mesh.detector().getDeficitCounter(id) == 0) {
            CompletableFuture<Void> left = leaving;
            mesh.forgetPeer(this);
            left.complete(null);
        }
    }

    /** Places a delegated subtask and sends it; a subtask with dependencies waits at the root. */
    private void onDelegate(TaskRecord subtask) {
        if (!subtask.task().dependencies().isEmpty()) {
            mesh.router().holdAtRoot(id, subtask);
            return;
        }
        route(subtask);
    }

    /** Sends a pending task to the best capable peer; keeps it to resend if refused. */
    private void route(TaskRecord record) {
        String target = mesh.router().choosePeer(this, record);
        if (target == null) {
            return;
        }
        mesh.adjustLoad(target, +1);
        if (!record.assign(target)) {
            mesh.adjustLoad(target, -1);
            return;
        }
        Message message = Message.of(MeshMessages.TASK, record, id, target);
        completion.onSend(target, message.messageId());
        if (mesh.broker().sendToPeer(id, target, message).isCompletedExceptionally()) {
            completion.onSendFailed(message.messageId());
            mesh.adjustLoad(target, -1);
            record.unassign();
            if (mesh.isAccepting()) {
                outbox.add(record);
                scheduleRetry();
            } else {
                record.fail(new SwarmShutdownException("swarm '" + mesh.swarmId()
                        + "' is shutting down; subtask '" + record.id() + "' was not sent"));
            }
        }
    }

    private void scheduleRetry() {
        if (!retryScheduled) {
            retryScheduled = true;
            mesh.router().scheduleRetry(id);
        }
    }

    private void onRetry() {
        retryScheduled = false;
        for (int n = outbox.size(); n > 0; n--) {
            TaskRecord record = outbox.poll();
            if (!record.state().isTerminal()) {
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
        if (queued == null || queued.record.state() != TaskState.ASSIGNED
                || !mesh.isLive(migration.toPeerId()) || migration.toPeerId().equals(id)) {
            migration.moved().complete(false);
            return;
        }
        TaskRecord record = queued.record;
        queue.remove(queued);
        queuedById.remove(record.id());
        record.unassign();
        mesh.adjustLoad(migration.toPeerId(), +1);
        mesh.adjustLoad(id, -1);
        record.assign(migration.toPeerId());
        Message message = Message.of(MeshMessages.TASK, record, id, migration.toPeerId());
        completion.onSend(migration.toPeerId(), message.messageId());
        if (mesh.broker().sendToPeer(id, migration.toPeerId(), message)
                .isCompletedExceptionally()) {
            completion.onSendFailed(message.messageId());
            mesh.adjustLoad(id, +1);
            mesh.adjustLoad(migration.toPeerId(), -1);
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
        for (Iterator<Queued> it = snapshot.iterator(); it.hasNext();) {
            ids.add(it.next().record.id());
        }
        return ids;
    }

    @Override
    public CompletableFuture<String> requestPause() {
        CompletableFuture<String> done = new CompletableFuture<>();
        if (mesh.broker().sendControl(id, id, Message.of(MeshMessages.PAUSE, done, id, id))
                .isCompletedExceptionally()) {
            done.completeExceptionally(new IllegalStateException("agent '" + id
                    + "' cannot be paused: the swarm is shutting down"));
        }
        return done;
    }

    @Override
    public CompletableFuture<Void> requestResume(String checkpointId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (mesh.broker().sendControl(id, id, Message.of(MeshMessages.RESUME,
                new MeshMessages.Resume(checkpointId, done), id, id)).isCompletedExceptionally()) {
            done.completeExceptionally(new IllegalStateException("agent '" + id
                    + "' cannot be resumed: the swarm is shutting down"));
        }
        return done;
    }

    @Override
    public void requestAutoPause(long epoch) {
        mesh.broker().sendControl(id, id, Message.of(MeshMessages.AUTO_PAUSE, epoch, id, id));
    }

    /** Asks the peer to move a queued task; completes false if it had started or is gone. */
    CompletableFuture<Boolean> requestMigration(String taskId, String toPeerId) {
        CompletableFuture<Boolean> moved = new CompletableFuture<>();
        if (mesh.broker().sendControl(id, id, Message.of(MeshMessages.MIGRATE,
                new MeshMessages.Migration(taskId, toPeerId, moved), id, id))
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
        return "MeshPeer[" + id + " " + state.state() + ", running=" + runningNow + ", queued="
                + queuedById.size() + "]";
    }

}
