package io.github.hivemesh.internal;

import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskCancelledException;
import io.github.hivemesh.task.TaskFailedException;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.task.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One task's life in a coordinator: its state, where it is, its timestamps and its future.
 *
 * <p>State changes are compare-and-set along {@link TaskState}'s edges, so a task ends exactly
 * once even if a timeout, a cancellation and its session's return race; the loser learns it
 * lost from the return value. Other fields are written by whoever wins the transition that
 * sets them and read through the volatile state.
 *
 * <h2>The user's future, and settling</h2>
 * {@link #future()} is handed to the application (and to a delegating session) and belongs to
 * it: completing it, or an {@code orTimeout} on it, changes only that future, never the task;
 * only {@code cancel} is forwarded, as a cancellation request. The coordinators therefore never
 * read task state from it. They wait instead for the record to <em>settle</em>: the winner of
 * the end transition completes the future and only then marks the record settled and runs the
 * actions registered with {@link #whenSettled}. Whoever counts a task out of the work (a mesh
 * peer going idle, the queen's count) does so only once it is settled, so completion is never
 * reported while the future of an ended task is still pending — even when a timeout or a
 * cancellation, not the session, ended it.
 *
 * <p>Thread-safe.
 */
public final class TaskRecord {

    private static final AtomicReferenceFieldUpdater<TaskRecord, TaskState> STATE =
            AtomicReferenceFieldUpdater.newUpdater(TaskRecord.class, TaskState.class, "state");

    private final Task task;
    /** This registration's number in its registry: tells apart two tasks of one id. */
    private final long serial;
    private final String parentId;
    private final Instant submittedAt;
    private final TaskFuture future = new TaskFuture(this);
    private final TaskRegistry registry;
    /** The delegating task, or null. */
    private final TaskRecord parent;
    /**
     * The completion root whose work it is, or null for this coordinator's own (cluster mode:
     * a subtask inherits its parent's; a task run here for another member is that member's).
     */
    private final String root;
    /** Subtasks it delegated that have not ended, for cancellation; created on the first. */
    private volatile Set<TaskRecord> children;
    /** The gate whose room it holds until it ends, or null. */
    private final SubmissionGate gate;
    /** Its dependencies, resolved when it was accepted; dropped once they have been read. */
    private volatile TaskRecord[] dependencies;
    /** Set once the future is complete after the end; guarded by {@code this} with the list. */
    private volatile boolean settled;
    private List<Runnable> afterSettle;

    private volatile TaskState state = TaskState.PENDING;
    private volatile String agentId;
    private volatile Instant assignedAt;
    private volatile Instant startedAt;
    private volatile Instant finishedAt;
    private volatile Throwable error;
    private volatile Object attachment;
    private volatile SessionTask session;
    private volatile CompletableFuture<String> placement;
    /** How it ended (set by the end transition's winner before the future completes). */
    private volatile TaskResult result;

    TaskRecord(Task task, long serial, TaskRecord parent, String parentId, Instant submittedAt,
            TaskRegistry registry, TaskRecord[] dependencies, SubmissionGate gate, String root) {
        this.task = task;
        this.serial = serial;
        this.parent = parent;
        this.root = root;
        this.parentId = parentId;
        this.submittedAt = submittedAt;
        this.registry = registry;
        this.dependencies = dependencies;
        this.gate = gate;
    }

    /**
     * The records of its dependencies, resolved when it was accepted (so a dependency that
     * ends and is forgotten meanwhile is still read for what it was), or null when it has none
     * or they were dropped ({@link #dropDependencies}). The record drops them itself when it
     * ends, on the thread that ends it: a reader on another thread reads this once.
     */
    public TaskRecord[] dependencies() {
        return dependencies;
    }

    /** Forgets the dependency records once they have been read, so chains are not retained. */
    public void dropDependencies() {
        dependencies = null;
    }

    /** Whether it has ended and its future is complete (see class docs). */
    public boolean isSettled() {
        return settled;
    }

    /**
     * Runs {@code action} once the record has settled: at once on this thread if it has, else
     * on the thread that settles it, right after its future completed.
     */
    public void whenSettled(Runnable action) {
        if (!settled) {
            synchronized (this) {
                if (!settled) {
                    if (afterSettle == null) {
                        afterSettle = new ArrayList<>(2);
                    }
                    afterSettle.add(action);
                    return;
                }
            }
        }
        action.run();
    }

    /** The future is complete after the end: runs what waited for it. The ending thread. */
    private void settle() {
        List<Runnable> actions;
        synchronized (this) {
            settled = true;
            actions = afterSettle;
            afterSettle = null;
        }
        registry.settled(this);
        if (actions != null) {
            for (Runnable action : actions) {
                action.run();
            }
        }
    }

    /** Gives back the room it held at its gate. Called once, when it ends. */
    void releaseRoom() {
        if (gate != null) {
            gate.leave();
        }
    }

    /** The task. */
    public Task task() {
        return task;
    }

    /** The task's id. */
    public String id() {
        return task.id();
    }

    /** This registration's number in its registry (a task id may be registered again). */
    public long serial() {
        return serial;
    }

    /** Which attempt is under way: 1 (tasks are not retried yet). */
    public int attempt() {
        return 1;
    }

    /** Whether an assignment names this registration and its current attempt. */
    public boolean isCurrent(long assignedSerial, int assignedAttempt) {
        return serial == assignedSerial && attempt() == assignedAttempt;
    }

    /**
     * The completion root whose work this task is, or null for the coordinator's own root (see
     * {@code docs/cluster.md}, "Dijkstra–Scholten per root").
     */
    public String root() {
        return root;
    }

    /** The delegating task's id, or null. */
    public String parentId() {
        return parentId;
    }

    /** The state now. */
    public TaskState state() {
        return state;
    }

    /** The agent it is or was assigned to, or null. */
    public String agentId() {
        return agentId;
    }

    /** When {@code execute} began, or null. */
    public Instant startedAt() {
        return startedAt;
    }

    /** When it ended, or null. */
    public Instant finishedAt() {
        return finishedAt;
    }

    /**
     * The future handed to the submitter: the user's, completed by this record when the task
     * ends; cancelling it cancels the task, anything else done to it changes only it.
     */
    public CompletableFuture<TaskResult> future() {
        return future;
    }

    /** How it ended, or null while it has not (set before its future completes). */
    public TaskResult result() {
        return result;
    }

    /** A coordinator's own per-task object (e.g. the running session's handle), or null. */
    public Object attachment() {
        return attachment;
    }

    /**
     * A future completed with the agent the task is first assigned to, or failed with the
     * task's failure if it fails first — also when it is asked for after either happened.
     */
    public CompletableFuture<String> placement() {
        CompletableFuture<String> placed = placement;
        if (placed == null) {
            synchronized (this) {
                placed = placement;
                if (placed == null) {
                    placed = new CompletableFuture<>();
                    placement = placed;
                }
            }
            // read after publishing it: an assignment or an end that missed it is seen here
            String agent = agentId;
            TaskResult ended = result;
            if (agent != null) {
                placed.complete(agent);
            } else if (ended != null && ended.error() != null) {
                placed.completeExceptionally(new TaskFailedException(ended));
            }
        }
        return placed;
    }

    /** The session that runs (or ran) this task, or null before one was created. */
    public SessionTask session() {
        return session;
    }

    void bind(SessionTask sessionTask) {
        this.session = sessionTask;
    }

    /** Sets the coordinator's per-task object. */
    public void attach(Object value) {
        this.attachment = value;
    }

    /** {@code PENDING → ASSIGNED} on {@code agent}; false if the task is not pending. */
    public boolean assign(String agent) {
        if (!transition(TaskState.PENDING, TaskState.ASSIGNED)) {
            return false;
        }
        this.agentId = agent;
        this.assignedAt = registry.now();
        CompletableFuture<String> placed = placement;
        if (placed != null) {
            placed.complete(agent);
        }
        return true;
    }

    /** {@code ASSIGNED → PENDING}, for a task moved off an agent before it started. */
    public boolean unassign() {
        return transition(TaskState.ASSIGNED, TaskState.PENDING);
    }

    /** {@code ASSIGNED → RUNNING}; false if it is no longer assigned (e.g. it failed). */
    public boolean start() {
        if (!transition(TaskState.ASSIGNED, TaskState.RUNNING)) {
            return false;
        }
        Instant now = registry.now();
        this.startedAt = now;
        registry.started(assignedAt, now);
        return true;
    }

    /**
     * {@code RUNNING → COMPLETED} and completes the future with the output.
     *
     * @return false if the task had already ended (timed out, cancelled, shut down)
     */
    public boolean complete(Object output) {
        if (!transition(TaskState.RUNNING, TaskState.COMPLETED)) {
            return false;
        }
        Instant end = registry.now();
        this.finishedAt = end;
        TaskResult result = TaskResult.completed(task.id(), output, agentId, submittedAt,
                startedAt, end);
        this.result = result;
        unlinkFromParent();
        dependencies = null;
        registry.ended(this, result);
        future.completeAsTask(result);
        settle();
        return true;
    }

    /**
     * Fails the task from whatever non-terminal state it is in and completes the future
     * exceptionally with a {@link TaskFailedException} whose cause is {@code cause}.
     *
     * @return false if the task had already ended
     */
    public boolean fail(Throwable cause) {
        return end(cause, true, false);
    }

    /**
     * Fails the task from outside its session (a timeout, a shutdown), as {@link #fail}, and
     * stops its session (interrupted, its stage cancelled) after the task has ended and before
     * the future completes: whatever the session held (an agent's chat memory, a turn) is let
     * go before anyone the future calls back — the submitter, about to send the agent its next
     * task — can act.
     *
     * @return false if the task had already ended (its session is then not touched)
     */
    public boolean failAndStop(Throwable cause) {
        return end(cause, true, true);
    }

    /**
     * Ends the task as failed from any non-terminal state. With {@code completeFuture} false the
     * future has been completed already (cancelled by its holder).
     */
    private boolean end(Throwable cause, boolean completeFuture, boolean stopSession) {
        while (true) {
            TaskState current = state;
            if (current.isTerminal()) {
                return false;
            }
            if (STATE.compareAndSet(this, current, TaskState.FAILED)) {
                registry.moved(current, TaskState.FAILED);
                Instant end = registry.now();
                this.finishedAt = end;
                this.error = cause;
                TaskResult result = TaskResult.failed(task.id(), cause, agentId, submittedAt,
                        startedAt, end);
                this.result = result;
                unlinkFromParent();
                dependencies = null;
                registry.ended(this, result);
                TaskFailedException failure = new TaskFailedException(result);
                CompletableFuture<String> placed = placement;
                if (placed != null) {
                    placed.completeExceptionally(failure);
                }
                SessionTask running = session;
                try {
                    if (stopSession && running != null) {
                        running.cancel();
                    }
                } finally {
                    // a stage whose cancel() throws must not leave the future pending
                    if (completeFuture) {
                        future.failAsTask(failure);
                        settle();
                    }
                }
                return true;
            }
        }
    }

    /**
     * Cancels the task: it fails with a {@link TaskCancelledException}, its running session is
     * interrupted, and its subtasks that have not started are cancelled too.
     *
     * @return false if it had already ended
     */
    public boolean cancel(String why) {
        return future.cancel(why);
    }

    /**
     * The task's future is being cancelled: ends the task first (so whoever is called back by
     * the future sees it ended), without completing the future, which the caller then cancels.
     *
     * @return false if the task had ended already: the future is its winner's to complete
     */
    private boolean endCancelled(String why) {
        return end(new TaskCancelledException(task.id(), why), false, false);
    }

    /** The task was cancelled: stop its session and cancel the subtasks it has not started. */
    private void cancelled() {
        SessionTask running = session;
        if (running != null) {
            running.cancel();
        }
        Set<TaskRecord> subtasks = children;
        if (subtasks != null) {
            for (TaskRecord child : List.copyOf(subtasks)) {
                TaskState childState = child.state;
                if (childState == TaskState.PENDING || childState == TaskState.ASSIGNED) {
                    child.cancel("its parent '" + task.id() + "' was cancelled");
                }
            }
        }
    }

    private void addChild(TaskRecord child) {
        Set<TaskRecord> subtasks = children;
        if (subtasks == null) {
            synchronized (this) {
                subtasks = children;
                if (subtasks == null) {
                    subtasks = ConcurrentHashMap.newKeySet();
                    children = subtasks;
                }
            }
        }
        subtasks.add(child);
    }

    /** Links this subtask to its parent, so cancelling the parent reaches it. */
    void linkToParent() {
        if (parent != null) {
            parent.addChild(this);
        }
    }

    /** Forgets this subtask in its parent once it has ended, so parents hold only live ones. */
    private void unlinkFromParent() {
        Set<TaskRecord> siblings = parent == null ? null : parent.children;
        if (siblings != null) {
            siblings.remove(this);
        }
    }

    /**
     * The future handed to the submitter: the user's own. Cancelling it cancels the task (and
     * its subtasks that have not started); completing it, or an {@code orTimeout} on it, only
     * completes it — the task goes on, and the record never reads this future back.
     */
    private static final class TaskFuture extends CompletableFuture<TaskResult> {
        private final TaskRecord record;

        TaskFuture(TaskRecord record) {
            this.record = record;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return cancel("its future was cancelled");
        }

        boolean cancel(String why) {
            if (!record.endCancelled(why)) {
                // already ended; or the user completed this future, which cancels nothing
                return false;
            }
            // the record has ended: its session stops before the future completes (as in
            // failAndStop), then the future, whose callbacks may read the record
            try {
                record.cancelled();
            } finally {
                super.cancel(true);
                record.settle();
            }
            return true;
        }

        void completeAsTask(TaskResult result) {
            super.complete(result);
        }

        void failAsTask(Throwable failure) {
            super.completeExceptionally(failure);
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            // what is chained on it is a plain future: cancelling that is not a task cancel
            return new CompletableFuture<>();
        }
    }

    /** A snapshot for {@code taskStatus}. */
    public TaskStatus status() {
        TaskState now = state;
        Throwable failure = error;
        return new TaskStatus(task.id(), task.type(), task.priority(), now, agentId, parentId,
                submittedAt, assignedAt, startedAt, finishedAt,
                failure == null ? null : String.valueOf(failure.getMessage() != null
                        ? failure.getMessage() : failure.getClass().getName()));
    }

    private boolean transition(TaskState from, TaskState to) {
        if (STATE.compareAndSet(this, from, to)) {
            registry.moved(from, to);
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "TaskRecord[" + task.id() + " " + state + (agentId == null ? "" : " @" + agentId)
                + "]";
    }
}
