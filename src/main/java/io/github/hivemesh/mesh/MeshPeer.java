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
import io.github.hivemesh.completion.CompletionSignal;
import io.github.hivemesh.internal.AgentInbox;
import io.github.hivemesh.internal.ControllableAgent;
import io.github.hivemesh.internal.PauseCycle;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.internal.SwarmKernel;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.wire.Assign;
import io.github.hivemesh.internal.wire.PeerStealChance;
import io.github.hivemesh.internal.wire.PeerStealRequest;
import io.github.hivemesh.internal.wire.PeerStolen;
import io.github.hivemesh.internal.wire.Returned;
import io.github.hivemesh.internal.wire.Signal;
import io.github.hivemesh.internal.wire.TaskNotice;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.internal.wire.WireMessage;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * <h2>Protocol</h2>
 * From other peers and the root it receives wire messages: {@link Assign} (a basic message),
 * {@link Signal}, {@link UserMail} and {@link Returned}; from inside its JVM, a
 * {@link PeerCommand}. It dispatches on the payload's type.
 *
 * <h2>Task flow</h2>
 * An assignment arrives as a basic message: the peer engages (or signals at once), queues the
 * task by priority (10 first, FIFO within a priority) and starts it when a slot is free, on
 * the worker executor; the session sees the task as it arrived. A session's {@code delegate}
 * posts the subtask to this mailbox, where it is placed and sent as a basic message; its end
 * posts {@link PeerCommand.SessionDone} once the task's record has settled. A task that ended
 * without running here (cancelled, timed out) is counted out only once its record has settled.
 * The peer calls {@code onIdle} only when nothing is queued, running, waiting to be resent or
 * waiting to settle, so it cannot signal its parent while it still has work. Each assignment
 * brings one unit of this peer's load, given back exactly once when the task leaves.
 *
 * <h2>Leaving</h2>
 * A removed peer stops being routable, hands its queued tasks to other peers, finishes what
 * runs, and is forgotten once it is neutral and owes nothing. An assignment that reaches it
 * after that is returned to its sender ({@link Returned}), which places it again: a forgotten
 * peer is no longer part of the detector and may neither engage nor signal.
 */
final class MeshPeer implements AgentHandle, ControllableAgent {

    private static final Logger LOG = LoggerFactory.getLogger(MeshPeer.class);

    /** Priority first (10 before 1), then arrival order. */
    private static final Comparator<Queued> RUN_ORDER = Comparator
            .comparingInt((Queued q) -> -q.task.priority())
            .thenComparingLong(q -> q.seq);

    /**
     * An assigned task at this peer, as it arrived, holding one unit of the peer's load until
     * it leaves ({@link #releaseLoad}, once).
     */
    static final class Queued {
        final MeshPeer peer;
        final TaskRecord record;
        final Task task;
        final long seq;
        /** The completion root whose work it is; null for the coordinator's own. */
        final String root;
        /** For a task whose record is on another member: its assignment (the result's key). */
        final Assign foreign;
        boolean loadHeld = true;
        /** For a foreign task: its home has been answered (result or give-back). Mailbox. */
        boolean answered;

        Queued(MeshPeer peer, TaskRecord record, Task task, long seq, String root,
                Assign foreign) {
            this.peer = peer;
            this.record = record;
            this.task = task;
            this.seq = seq;
            this.root = root;
            this.foreign = foreign;
        }
    }

    /** The peer that runs a session this peer started. */
    static MeshPeer of(SessionTask session) {
        return ((Queued) session.owner()).peer;
    }

    private final String id;
    private final String endpoint;
    private final long incarnation;
    private final AgentDefinition definition;
    private final MeshContext ctx;
    private final SwarmKernel kernel;
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
    /** Ids of the tasks running here, for the published state. */
    private final Set<String> runningIds = new LinkedHashSet<>();
    private long arrivals;
    private int running;
    /** Tasks that ended without running here and whose records have not settled yet. */
    private int unsettled;
    /** User messages received and not yet handled (each is work until its handler returns). */
    private int mailsInProgress;
    /**
     * Of the work counted above, what belongs to other members' roots (cluster mode), by
     * root: the peer is idle in a root's tree when that root's count is zero, and in its own
     * root's tree when all its work is other roots'. A root enters at its first basic message.
     */
    private final Map<String, Integer> foreignWork = new HashMap<>();
    private int foreignTotal;
    /** Tasks here whose records are on other members, by {@link #foreignKey}, until they end. */
    private final Map<String, Queued> foreignTasks = new HashMap<>();
    private boolean retryScheduled;
    private long stateVersion;
    private boolean publishScheduled;
    private CompletableFuture<Void> leaving;
    /** Completes when its spawn has ended, whether or not it succeeded. */
    private final CompletableFuture<Void> registered = new CompletableFuture<>();
    /** Retired: the agent has left (its removal completed); the endpoint still owes signals. */
    private boolean retired;
    /** Forgotten: neutral as well; gone from the broker and the detector. */
    private boolean forgotten;
    /** Work stealing: this peer's flags in the router's sets, and its one open request. */
    private boolean backlogged;
    private boolean hungry;
    private boolean stealPending;
    /** The backlog version at which a steal request last came back empty. */
    private long stealRefusedAt = -1;

    // published for other threads
    private final ConcurrentHashMap<String, Queued> queuedById = new ConcurrentHashMap<>();
    private volatile int runningNow;
    private volatile long lastSeenMillis;
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder executionNanos = new LongAdder();

    MeshPeer(AgentDefinition definition, String endpoint, long incarnation, MeshContext ctx,
            CompletionPeer completion, IPeerDiscoverySystem discovery, int maxConcurrent) {
        this.id = definition.id();
        this.endpoint = endpoint;
        this.incarnation = incarnation;
        this.definition = definition;
        this.ctx = ctx;
        this.kernel = ctx.kernel();
        this.completion = completion;
        this.discovery = discovery;
        this.maxConcurrent = maxConcurrent;
        this.state = new AgentStateMachine(id, kernel.runtime().clock());
        this.meter = new TokenMeter(kernel.runtime().clock());
        this.cycle = new PauseCycle(id, ctx.swarmId(), definition.session(), state, meter,
                kernel.runtime().clock(), kernel.runtime().worker(),
                action -> post(new PeerCommand.Run(action)), ctx.pausePolicy(),
                ctx.checkpoints());
        this.lastSeenMillis = kernel.runtime().clock().millis();
        this.inbox = definition.messageHandler()
                .map(handler -> new AgentInbox(id, handler, kernel.runtime().worker(),
                        kernel.sessionHost()))
                .orElse(null);
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

    /** Sends this peer a command from itself. Any thread. */
    CompletableFuture<Void> post(PeerCommand command) {
        return kernel.broker().sendControl(endpoint, endpoint,
                MeshCommand.message(command, endpoint, endpoint));
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
        Object content = message.payload();
        if (forgotten || retired && !(content instanceof Signal || content instanceof Returned)) {
            late(message);
            return;
        }
        if (retired) {
            // what it still owes: the signals for what it sent, and its own returned messages
            onWire(message, (WireMessage) content);
            forgetIfNeutral();
            return;
        }
        lastSeenMillis = kernel.runtime().clock().millis();
        if (discovery != null && discovery.handleMessage(message)) {
            ctx.membership().discoveryProgressed();
            return;
        }
        try {
            Object payload = message.payload();
            if (payload instanceof WireMessage wire) {
                onWire(message, wire);
            } else if (payload instanceof PeerCommand command) {
                onCommand(command);
            } else {
                LOG.warn("peer '{}' ignored a message it does not understand: {}", endpoint,
                        message.type());
            }
        } catch (RuntimeException e) {
            // a bug in the coordinator, not in user code (sessions run elsewhere): make it loud
            LOG.error("peer '{}' failed handling a '{}' message", endpoint, message.type(), e);
            throw e;
        }
        if (leaving != null) {
            finishLeavingIfDone();
        }
        if (!retired) {
            updateStealing();
        }
    }

    private void onWire(Message message, WireMessage wire) {
        if (wire instanceof Assign assign) {
            onAssign(message, assign);
        } else if (wire instanceof Signal signal) {
            String root = rootOf(signal.root());
            if (root == null) {
                for (long messageId : signal.messageIds()) {
                    completion.onSignal(new CompletionProbe(messageId, signal.sender(),
                            signal.recipient(), CompletionProbe.Type.ACKNOWLEDGMENT,
                            signal.epoch()));
                }
            } else {
                completion.onSignal(new CompletionSignal(root, signal.epoch(), signal.sender(),
                        signal.recipient(), signal.messageIds()));
            }
        } else if (wire instanceof UserMail mail) {
            onMail(message, mail);
        } else if (wire instanceof Returned returned) {
            onReturned(message, returned);
        } else if (wire instanceof PeerStealRequest request) {
            onStealRequest(request);
        } else if (wire instanceof PeerStolen stolen) {
            stealPending = false;
            if (stolen.tasks() == 0) {
                stealRefusedAt = ctx.router().backlogVersion();
            }
        } else if (wire instanceof PeerStealChance) {
            onStealChance();
        } else if (wire instanceof TaskNotice notice && notice.kind() == TaskNotice.Kind.CANCEL) {
            // it ended at its home first: stop it here (its result, sent all the same, is
            // dropped there)
            Queued queued = foreignTasks.get(foreignKey(message.senderId(), notice.taskId(),
                    notice.serial(), notice.attempt()));
            if (queued != null) {
                queued.record.cancel("it ended at its home member first");
                if (queue.remove(queued)) {
                    // not started: it leaves the queue now, its slot and load free at once
                    exitWork(queued.root);
                    queuedById.remove(queued.record.id(), queued);
                    releaseLoad(queued);
                    sendHome(queued);
                    dropEnded(queued.record);
                    maybeIdle();
                }
            }
        } else {
            LOG.warn("peer '{}' ignored a wire message meant for another actor: {}", endpoint,
                    wire.wireType());
        }
    }

    private void onCommand(PeerCommand command) {
        if (command instanceof PeerCommand.Delegate delegate) {
            onDelegate(delegate.subtask());
        } else if (command instanceof PeerCommand.SessionDone done) {
            onDone(done.session());
        } else if (command instanceof PeerCommand.Settled settled) {
            unsettled--;
            exitWork(settled.root());
            maybeIdle();
        } else if (command instanceof PeerCommand.SendMail send) {
            onSendMail(send);
        } else if (command instanceof PeerCommand.MailHandled handled) {
            mailsInProgress--;
            exitWork(handled.root());
            maybeIdle();
        } else if (command instanceof PeerCommand.Retry) {
            onRetry();
        } else if (command instanceof PeerCommand.Migrate migrate) {
            onMigrate(migrate);
        } else if (command instanceof PeerCommand.PublishState) {
            publishScheduled = false;
            publishState();
        } else if (command instanceof PeerCommand.Run run) {
            run.action().run();
        } else if (command instanceof PeerCommand.Pause pause) {
            cycle.pause(running + mailsInProgress, queue.size() + outbox.size(), pause.done());
        } else if (command instanceof PeerCommand.Resume resume) {
            cycle.resume(resume.checkpointId(), resume.done());
        } else if (command instanceof PeerCommand.AutoPause autoPause) {
            cycle.autoPause(autoPause.epoch(), running + mailsInProgress,
                    queue.size() + outbox.size());
        } else if (command instanceof PeerCommand.Leave leave) {
            onLeave(leave.left());
        } else if (command instanceof PeerCommand.StealChance) {
            onStealChance();
        }
    }

    // ---- work stealing ------------------------------------------------------------------

    /** Work is queued somewhere (a peer's or the coordinator's word): ask again if hungry. */
    private void onStealChance() {
        // nothing else to do here: updateStealing, after this turn, asks if it is hungry
        stealRefusedAt = -1;
    }

    /**
     * After every mailbox turn: publishes whether this peer has tasks queued behind busy slots
     * (a victim) or a free slot and nothing queued (a thief), and, hungry, asks a victim for
     * work. So a session that blocks on its subtasks holds its own slot but never the tasks
     * queued behind it: idle capable peers take them (moved as basic messages by the victim,
     * which is engaged, so completion stays exact as for any migration).
     */
    private void updateStealing() {
        boolean nowBacklogged = leaving == null && !queue.isEmpty() && running >= maxConcurrent;
        boolean nowHungry = leaving == null && queue.isEmpty() && running < maxConcurrent
                && cycle.isRunnable();
        if (nowBacklogged != backlogged) {
            backlogged = nowBacklogged;
            ctx.router().backlogged(endpoint, nowBacklogged);
            if (nowBacklogged) {
                String thief = ctx.router().hungryPeer(endpoint);
                if (thief != null) {
                    sendWire(thief, new PeerStealChance());
                }
            }
        }
        if (nowHungry != hungry) {
            hungry = nowHungry;
            ctx.router().hungry(endpoint, nowHungry);
        }
        if (nowHungry && !stealPending
                && stealRefusedAt != ctx.router().backlogVersion()) {
            String victim = ctx.router().victimFor(endpoint);
            if (victim != null) {
                stealPending = true;
                sendWire(victim, new PeerStealRequest(endpoint, definition.capabilities(),
                        maxConcurrent - running));
            }
        }
    }

    /** Gives a thief up to half the queue (at least one task), best first, of what it can run. */
    private void onStealRequest(PeerStealRequest request) {
        int moved = 0;
        if (leaving == null && ctx.membership().isLive(request.thief())) {
            int wanted = Math.min(request.slots(), Math.max(1, queue.size() / 2));
            List<Queued> eligible = new ArrayList<>(queue);
            eligible.sort(RUN_ORDER);
            for (Queued queued : eligible) {
                if (moved == wanted) {
                    break;
                }
                if (request.capabilities().containsAll(queued.task.requiredCapabilities())
                        && moveTo(queued, request.thief())) {
                    moved++;
                }
            }
        }
        sendWire(request.thief(), new PeerStolen(moved));
        maybeIdle();
    }

    /** Sends another peer a wire message (control traffic, never refused for space). */
    private void sendWire(String to, WireMessage wire) {
        WireMessage carried = kernel.wire().carry(wire);
        kernel.broker().sendControl(endpoint, to, Message.of(carried.wireType(), carried,
                endpoint, to));
    }

    private void onAssign(Message message, Assign assign) {
        String root = received(message, assign.root(), assign.epoch());
        MeshCluster cluster = ctx.cluster();
        if (cluster != null && cluster.isForeign(assign)) {
            // its record is on another member: run it on one of our own, send the outcome home
            // (a leaving peer runs it too: it cannot hand on a task it has no record of)
            Queued queued = new Queued(this, cluster.proxy(assign, id), assign.task(),
                    arrivals++, root, assign);
            ctx.router().adjustLoad(endpoint, +1);
            foreignTasks.put(foreignKey(assign.home(), assign.taskId(), assign.serial(),
                    assign.attempt()), queued);
            if (leaving != null) {
                // sent before this peer stopped being routable: back to its home
                giveBack(queued);
                maybeIdle();
                return;
            }
            enqueue(queued);
            return;
        }
        TaskRecord record = kernel.registry().current(assign.taskId(), assign.serial(),
                assign.attempt());
        Queued queued = new Queued(this, record, assign.task(), arrivals++, root, null);
        if (record == null || record.state() != TaskState.ASSIGNED) {
            // ended while in flight (cancelled, timed out, swarm shutting down), or forgotten
            releaseLoad(queued);
            if (record != null) {
                dropEnded(record);
            }
            maybeIdle();
            return;
        }
        if (leaving != null) {
            // it was sent before this peer stopped being routable: pass it on
            releaseLoad(queued);
            record.unassign();
            route(record);
            maybeIdle();
            return;
        }
        enqueue(queued);
    }

    /** Queues an arrived task; a paused agent resumes first, then starts its queue. */
    private void enqueue(Queued queued) {
        queue.add(queued);
        enterWork(queued.root);
        queuedById.put(queued.record.id(), queued);
        cycle.whenRunnable(this::startNext);
    }

    /**
     * Rule 2 for a basic message of {@code wireRoot}'s work, in that root's tree: returns the
     * root (null for our own), entered in the work table so the tree goes idle once its work
     * here is done.
     */
    private String received(Message message, String wireRoot, long epoch) {
        String root = rootOf(wireRoot);
        if (root == null) {
            completion.onReceive(message.senderId(), message.messageId());
        } else {
            completion.tree(root).onReceive(message.senderId(), message.messageId(), epoch);
            foreignWork.putIfAbsent(root, 0);
        }
        return root;
    }

    /** A root named on the wire as this peer sees it: null for its coordinator's own. */
    private String rootOf(String wireRoot) {
        MeshCluster cluster = ctx.cluster();
        return cluster == null ? null : cluster.rootOf(wireRoot);
    }

    /** This peer's node of {@code root}'s tree (null: its own). */
    CompletionPeer node(String root) {
        return root == null ? completion : completion.tree(root);
    }

    /** One more unit of work of {@code root} here (our own root's needs no entry). */
    private void enterWork(String root) {
        if (root != null) {
            foreignWork.merge(root, 1, Integer::sum);
            foreignTotal++;
        }
    }

    /** One unit of work of {@code root} less here. */
    private void exitWork(String root) {
        if (root != null) {
            foreignWork.merge(root, -1, Integer::sum);
            foreignTotal--;
        }
    }

    /**
     * A user message (a basic message): this peer is busy with it until its handler has
     * returned, so it cannot detach while the message, or what its handler sends, is work.
     */
    private void onMail(Message message, UserMail mail) {
        String root = received(message, mail.root(), mail.epoch());
        if (inbox == null) {
            LOG.warn("peer '{}' accepts no messages; dropped one from '{}'", id,
                    mail.fromAgentId());
            maybeIdle();
            return;
        }
        mailsInProgress++;
        enterWork(root);
        inbox.deliver(message, mail, root, () -> post(PeerCommand.MailHandled.of(root)));
    }

    /** Sends user messages for a session or a handler of this peer, as basic messages. */
    private void onSendMail(PeerCommand.SendMail send) {
        CompletionPeer node = node(send.root());
        if (!node.isEngaged()) {
            // cannot happen while the sender's work is not done; refuse rather than break DS
            send.done().completeExceptionally(new IllegalStateException("agent '" + id
                    + "' has no work under way: it may not send"));
            return;
        }
        send.done().complete(ctx.router().sendMails(node, endpoint, send.outgoing()));
    }

    /** Gives back the unit of this peer's load a task brought, once. */
    private void releaseLoad(Queued queued) {
        if (queued.loadHeld) {
            queued.loadHeld = false;
            ctx.router().adjustLoad(endpoint, -1);
        }
    }

    /**
     * A task that ended without running here: counted out once its record has settled (its
     * future completed), not before — the ending thread may still be completing it.
     */
    private void dropEnded(TaskRecord record) {
        if (!record.isSettled()) {
            String root = record.root();
            unsettled++;
            enterWork(root);
            record.whenSettled(() -> post(PeerCommand.Settled.of(root)));
        }
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
            exitWork(next.root);
            TaskRecord record = next.record;
            queuedById.remove(record.id());
            if (record.state() != TaskState.ASSIGNED) {
                releaseLoad(next);
                if (next.foreign != null) {
                    sendHome(next);
                }
                dropEnded(record);
                continue;
            }
            SessionTask session = new SessionTask(record, next.task, id, next,
                    definition.session(), kernel.sessionHost());
            running++;
            enterWork(next.root);
            runningIds.add(record.id());
            try {
                kernel.runtime().worker().execute(session);
                if (next.foreign != null) {
                    ctx.cluster().sendStarted(endpoint, next.foreign);
                    // ended from outside (a timeout) while a session that ignores the
                    // interrupt runs on: the home hears it now, as in one JVM, not when
                    // the session returns (it stays work here until then); any other end
                    // is answered when the session's end is heard, without a mailbox turn
                    record.whenSettled(() -> {
                        if (session.isRunningElsewhere()) {
                            post(new PeerCommand.Run(() -> sendHome(next)));
                        }
                    });
                }
            } catch (RejectedExecutionException e) {
                running--;
                exitWork(next.root);
                runningIds.remove(record.id());
                releaseLoad(next);
                record.fail(new SwarmShutdownException("swarm '" + ctx.swarmId()
                        + "' is shutting down; task '" + record.id() + "' was not started"));
                if (next.foreign != null) {
                    sendHome(next);
                }
                dropEnded(record);
            }
        }
        runningNow = running;
        maybeIdle();
    }

    private void onDone(SessionTask session) {
        Queued queued = (Queued) session.owner();
        if (queued.foreign != null) {
            // before this peer can go idle in the task's tree: the result is a basic message
            sendHome(queued);
        }
        running--;
        exitWork(queued.root);
        runningIds.remove(session.record().id());
        releaseLoad(queued);
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

    /** A session of this peer has ended and its record settled. Any thread. */
    void sessionEnded(SessionTask session) {
        post(new PeerCommand.SessionDone(session));
    }

    /**
     * Gives a queued task of another member back to its home, unrun (this peer leaves): the
     * home places it again. Mailbox.
     */
    private void giveBack(Queued queued) {
        Assign assign = queued.foreign;
        queued.answered = true;
        foreignTasks.remove(foreignKey(assign.home(), assign.taskId(), assign.serial(),
                assign.attempt()));
        queuedById.remove(queued.record.id(), queued);
        releaseLoad(queued);
        ctx.cluster().sendReleased(node(queued.root), endpoint, assign);
        // the stand-in record ends here; the home's goes on
        queued.record.fail(new UnknownAgentException(id, ctx.swarmId()));
    }

    /** The key of a task run here for the member whose desk is {@code home}. */
    private static String foreignKey(String home, String taskId, long serial, int attempt) {
        return home + '\u0000' + taskId + '\u0000' + serial + '\u0000' + attempt;
    }

    /**
     * Sends the outcome of a task run here for another member to its home, once: when its
     * record has settled or its session ended, whichever the mailbox sees first. Mailbox.
     */
    private void sendHome(Queued queued) {
        if (queued.answered) {
            return;
        }
        queued.answered = true;
        Assign assign = queued.foreign;
        foreignTasks.remove(foreignKey(assign.home(), assign.taskId(), assign.serial(),
                assign.attempt()));
        ctx.cluster().sendResult(node(queued.root), endpoint, queued.foreign.home(),
                queued.foreign, queued.record);
    }

    /**
     * Rule 4, per tree: idle in another root's tree once no work of that root is left here,
     * in its own root's tree once all work left here is other roots'.
     */
    private void maybeIdle() {
        runningNow = running;
        int work = running + queue.size() + outbox.size() + unsettled + mailsInProgress;
        if (work == 0 && state.state() == AgentState.BUSY) {
            cycle.becameIdle();
            stateChanged();
        }
        if (work == foreignTotal) {
            completion.onIdle();
        }
        if (!foreignWork.isEmpty()) {
            for (Iterator<Map.Entry<String, Integer>> it = foreignWork.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, Integer> entry = it.next();
                if (entry.getValue() == 0) {
                    it.remove();
                    completion.tree(entry.getKey()).onIdle();
                }
            }
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
            ctx.router().schedulePublish(endpoint);
        }
    }

    /**
     * Shares this peer's state as an artifact, keyed by its agent id; versions keep rising
     * across incarnations, so a re-spawned agent's states supersede the old one's. Mailbox (or
     * at spawn, before any message). A store that fails is logged, not fatal: peer states are
     * a view.
     */
    void publishState() {
        List<String> active = new ArrayList<>(Math.min(running + queuedById.size(),
                PeerStateManager.MAX_LISTED_TASKS));
        for (String taskId : runningIds) {
            if (active.size() == PeerStateManager.MAX_LISTED_TASKS) {
                break;
            }
            active.add(taskId);
        }
        for (String taskId : queuedById.keySet()) {
            if (active.size() == PeerStateManager.MAX_LISTED_TASKS) {
                break;
            }
            active.add(taskId);
        }
        try {
            ctx.peerStates().publish(id, Math.max(0, running + queuedById.size()), active,
                    completed.sum(), failed.sum(), meter.workTokens(),
                    (incarnation << 32) + stateVersion++);
        } catch (RuntimeException e) {
            LOG.warn("peer '{}' could not publish its state", id, e);
        }
    }

    /** Completes when this peer's spawn has ended (discovery converged or given up). */
    CompletableFuture<Void> registered() {
        return registered;
    }

    /** Starts leaving the swarm: completes when the peer has no work and owes no signal. */
    CompletableFuture<Void> leave() {
        CompletableFuture<Void> left = kernel.track(new CompletableFuture<>());
        if (post(new PeerCommand.Leave(left)).isCompletedExceptionally()) {
            left.completeExceptionally(kernel.refusal("remove agent '" + id + "'"));
        }
        return left;
    }

    private void onLeave(CompletableFuture<Void> left) {
        if (leaving != null) {
            leaving.whenComplete((v, e) -> left.complete(null));
            return;
        }
        leaving = left;
        // queued tasks go to other capable peers (or fail if none is left); one whose record
        // is on another member is run here first (there is no record here to hand on)
        while (!queue.isEmpty()) {
            Queued queued = queue.poll();
            exitWork(queued.root);
            if (queued.foreign != null) {
                giveBack(queued);
                continue;
            }
            TaskRecord record = queued.record;
            queuedById.remove(record.id());
            releaseLoad(queued);
            if (record.unassign()) {
                route(record);
            } else {
                dropEnded(record);
            }
        }
        maybeIdle();
    }

    /**
     * A leaving agent has left once it has nothing queued, running, unsent, unsettled or
     * unhandled: its removal completes and its id is free again. Its endpoint may still be
     * engaged, waiting for signals from peers it sent work to — which come only once those are
     * idle, and under steady load may take long — so it lingers, retired, handling only
     * signals (and returning anything else), until it is neutral; then it is forgotten.
     */
    private void finishLeavingIfDone() {
        if (!retired && running == 0 && queue.isEmpty() && outbox.isEmpty() && unsettled == 0
                && mailsInProgress == 0 && !cycle.isTransitioning()) {
            CompletableFuture<Void> left = leaving;
            retired = true;
            ctx.membership().retire(this);
            cycle.terminate(new UnknownAgentException(id, ctx.swarmId()));
            // the swarm may be stopping on another thread, terminating it too
            state.terminate();
            left.complete(null);
            forgetIfNeutral();
        }
    }

    private void forgetIfNeutral() {
        if (retired && !forgotten && completion.isNeutral()
                && ctx.detector().getDeficitCounter(endpoint) == 0) {
            forgotten = true;
            ctx.membership().forget(this);
        }
    }

    /**
     * A message reached this peer after it was forgotten (accepted just before its endpoint
     * went). An assignment goes back to its sender to be placed again; requests are answered.
     */
    private void late(Message message) {
        Object payload = message.payload();
        if (payload instanceof Assign || payload instanceof UserMail) {
            kernel.broker().sendControl(endpoint, message.senderId(), Message.of(Returned.TYPE,
                    kernel.wire().carry(new Returned((WireMessage) payload,
                            message.messageId())), endpoint, message.senderId()));
        } else if (payload instanceof PeerCommand.Pause pause) {
            pause.done().completeExceptionally(new UnknownAgentException(id, ctx.swarmId()));
        } else if (payload instanceof PeerCommand.Resume resume) {
            resume.done().completeExceptionally(new UnknownAgentException(id, ctx.swarmId()));
        } else if (payload instanceof PeerCommand.Migrate migrate) {
            migrate.moved().complete(false);
        } else if (payload instanceof PeerCommand.Leave leave) {
            leave.left().complete(null);
        } else if (payload instanceof PeerStealRequest request) {
            sendWire(request.thief(), new PeerStolen(0));
        } else {
            LOG.debug("peer '{}' has left; dropped a late '{}' message", endpoint,
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
        state.terminate();
    }

    /** Places a delegated subtask and sends it; a subtask with dependencies waits at the root. */
    private void onDelegate(TaskRecord subtask) {
        if (subtask.dependencies() != null && subtask.root() != null) {
            // the root would hold it for its own tree, not for the other member's
            subtask.fail(new UnsupportedOperationException("subtask '" + subtask.id()
                    + "' of another member's work has dependencies: not supported in cluster "
                    + "mode yet (delegate it without dependencies, or submit it on its member)"));
            dropEnded(subtask);
            maybeIdle();
            return;
        }
        if (subtask.dependencies() != null) {
            ctx.router().holdAtRoot(endpoint, subtask);
            return;
        }
        route(subtask);
    }

    /**
     * One of this peer's assignments came back from a peer that had gone: the task is placed
     * again (or ends), then its first message is withdrawn — in that order, while the peer
     * counts itself busy, so the withdrawal cannot detach it while the task still needs it.
     */
    private void onReturned(Message message, Returned returned) {
        String root = rootOf(returned.message() instanceof Assign assign ? assign.root()
                : returned.message() instanceof UserMail mail ? mail.root() : "");
        CompletionPeer node = node(root);
        if (root != null) {
            foreignWork.putIfAbsent(root, 0);
        }
        node.onBusy();
        if (returned.message() instanceof Assign assign) {
            TaskRecord record = kernel.registry().current(assign.taskId(), assign.serial(),
                    assign.attempt());
            ctx.router().returnedFrom(message.senderId(), record);
            if (record != null && record.unassign()) {
                route(record);
            } else if (record != null) {
                dropEnded(record);
            }
        } else if (returned.message() instanceof UserMail mail) {
            LOG.warn("message from '{}' to '{}' dropped: '{}' left before it was delivered",
                    mail.fromAgentId(), mail.toAgentId(), mail.toAgentId());
        }
        node.onSendFailed(returned.messageId());
        maybeIdle();
    }

    /** Sends a pending task to the best capable peer; keeps it to resend if refused. */
    private void route(TaskRecord record) {
        String target = ctx.router().placeFrom(this, record);
        if (target == null) {
            // it failed (no capable peer), or ended meanwhile
            dropEnded(record);
            return;
        }
        if (ctx.router().sendBasic(node(record.root()), endpoint, target, record)) {
            return;
        }
        if (kernel.isAccepting()) {
            outbox.add(record);
            enterWork(record.root());
            scheduleRetry();
        } else {
            record.fail(new SwarmShutdownException("swarm '" + ctx.swarmId()
                    + "' is shutting down; subtask '" + record.id() + "' was not sent"));
            dropEnded(record);
        }
    }

    private void scheduleRetry() {
        if (!retryScheduled) {
            retryScheduled = true;
            ctx.router().scheduleRetry(endpoint);
        }
    }

    private void onRetry() {
        retryScheduled = false;
        for (int n = outbox.size(); n > 0; n--) {
            TaskRecord record = outbox.poll();
            exitWork(record.root());
            if (record.state().isTerminal()) {
                dropEnded(record);
            } else {
                route(record);
            }
        }
        maybeIdle();
    }

    /** Moves one queued task to another peer if it has not started (the balancer asks). */
    private void onMigrate(PeerCommand.Migrate migration) {
        Queued queued = queuedById.get(migration.taskId());
        String to = migration.toEndpoint();
        boolean moved = queued != null && ctx.membership().isLive(to) && !to.equals(endpoint)
                && moveTo(queued, to);
        migration.moved().complete(moved);
        if (moved) {
            maybeIdle();
        }
    }

    /**
     * Sends a queued task on to another peer, if it has not started. The other peer's load
     * unit is taken before the task can reach it, and this peer's given back only once it has.
     *
     * @return whether it moved (false: it had ended, or the broker refused; it stays queued)
     */
    private boolean moveTo(Queued queued, String to) {
        TaskRecord record = queued.record;
        if (queued.foreign != null || record.state() != TaskState.ASSIGNED) {
            // one whose record is on another member runs here (it has no record to hand on)
            return false;
        }
        record.unassign();
        ctx.router().adjustLoad(to, +1);
        if (!record.assign(agentIdOf(to))) {
            // it ended meanwhile: it stays queued here and is dropped when its turn comes
            ctx.router().adjustLoad(to, -1);
            return false;
        }
        if (!ctx.router().sendBasic(node(queued.root), endpoint, to, record)) {
            // undone by sendBasic but for this peer's own hold on it: it stays queued here
            record.assign(id);
            return false;
        }
        queue.remove(queued);
        exitWork(queued.root);
        queuedById.remove(record.id());
        releaseLoad(queued);
        ctx.router().moved();
        return true;
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

    @Override
    public CompletableFuture<String> requestPause() {
        CompletableFuture<String> done = kernel.track(new CompletableFuture<>());
        if (post(new PeerCommand.Pause(done)).isCompletedExceptionally()) {
            done.completeExceptionally(kernel.refusal("pause agent '" + id + "'"));
        }
        return done;
    }

    @Override
    public CompletableFuture<Void> requestResume(String checkpointId) {
        CompletableFuture<Void> done = kernel.track(new CompletableFuture<>());
        if (post(new PeerCommand.Resume(checkpointId, done)).isCompletedExceptionally()) {
            done.completeExceptionally(kernel.refusal("resume agent '" + id + "'"));
        }
        return done;
    }

    @Override
    public void requestAutoPause(long epoch) {
        post(new PeerCommand.AutoPause(epoch));
    }

    /** Asks the peer to move a queued task; completes false if it had started or is gone. */
    CompletableFuture<Boolean> requestMigration(String taskId, String toEndpoint) {
        CompletableFuture<Boolean> moved = kernel.track(new CompletableFuture<>());
        if (post(new PeerCommand.Migrate(taskId, toEndpoint, moved)).isCompletedExceptionally()) {
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
