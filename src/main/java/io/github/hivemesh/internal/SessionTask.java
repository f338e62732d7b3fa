package io.github.hivemesh.internal;

import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.memory.ISwarmMemoryManager;
import io.github.hivemesh.task.BroadcastResult;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One execution of a session for one task, on the worker executor, and the
 * {@link TaskContext} that session sees.
 *
 * <h2>When it is done</h2>
 * A session's work is done when {@code execute} has returned — or, if it returned a
 * {@link CompletionStage}, when that stage has completed (its value is the output, its failure
 * the error). No thread waits for a stage: the worker thread is given back as soon as
 * {@code execute} returns, and the stage's completion ends the task on whatever thread
 * completes it. A timeout, a cancellation or a shutdown ends the task whether or not the stage
 * honours the cancellation passed to it ({@code toCompletableFuture().cancel}); a stage that
 * completes after that is dropped (and counted).
 *
 * <h2>Order</h2>
 * The agent hears that the session ended ({@link TaskHost#sessionEnded}) only once the
 * session's work is done (or abandoned) <em>and</em> the record has settled (its future
 * completed): usually both on one thread, in that order; when a timeout or a cancellation
 * ended the record first, on whichever thread finishes last. So by the time the agent can go
 * idle — and completion can be reported — the task's future is done. Delegation is refused
 * once the work is done; a delegation racing with the end is ordered by this object's monitor,
 * so no subtask is posted after the agent learnt the task ended.
 *
 * <p>Thread-safe.
 */
public final class SessionTask implements TaskContext, Runnable {

    private final TaskRecord record;
    private final Task task;
    private final String agentId;
    private final Object owner;
    private final AgentSession session;
    private final TaskHost host;

    /** Guarded by {@code this}: delegation and messages are accepted while open. */
    private boolean open = true;
    private volatile Thread runner;
    private volatile boolean cancelled;
    /** The stage an asynchronous session returned, or null. */
    private volatile CompletableFuture<?> pending;
    private volatile ScheduledFuture<?> timeout;
    private final AtomicBoolean reported = new AtomicBoolean();

    /**
     * A session run of {@code record} on {@code agentId}.
     *
     * @param task  the task as the agent received it (through the wire when encoding is on)
     * @param owner the coordinator's actor for that agent (its handle on the session's end)
     */
    public SessionTask(TaskRecord record, Task task, String agentId, Object owner,
            AgentSession session, TaskHost host) {
        this.record = record;
        this.task = task;
        this.agentId = agentId;
        this.owner = owner;
        this.session = session;
        this.host = host;
        record.bind(this);
    }

    /** The coordinator's actor for the agent running it. */
    public Object owner() {
        return owner;
    }

    /** The task's record. */
    public TaskRecord record() {
        return record;
    }

    /**
     * Whether the session is running now on a thread other than the caller's: asked when the
     * record has ended, true when a timeout or a cancellation ended it while a session that
     * ignores the interrupt runs on (the agent hears of its session's end only when it
     * returns). False means that end will be heard soon: the session ended the task itself,
     * has returned, or never started.
     */
    public boolean isRunningElsewhere() {
        Thread thread = runner;
        return thread != null && thread != Thread.currentThread();
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        boolean async = false;
        try {
            if (!cancelled && record.start()) {
                timeout = scheduleTimeout();
                Object output;
                try {
                    output = session.execute(this);
                } catch (Throwable failure) {
                    close();
                    finish(null, failure);
                    return;
                }
                if (output instanceof CompletionStage<?> stage) {
                    async = true;
                    awaitStage(stage);
                    return;
                }
                // closed before the future completes: whoever it calls back sees it ended
                close();
                finish(output, null);
            }
        } finally {
            runner = null;
            // a timeout or shutdown may have interrupted us after execute returned
            Thread.interrupted();
            if (!async) {
                close();
                reportWhenSettled(true);
            }
        }
    }

    /**
     * The session returned a stage: the task ends when it completes, or when the record ends
     * first (timeout, cancellation, shutdown) — then the stage is abandoned.
     */
    private void awaitStage(CompletionStage<?> stage) {
        CompletableFuture<?> future;
        try {
            future = stage.toCompletableFuture();
        } catch (UnsupportedOperationException e) {
            future = null;
        }
        pending = future;
        // Ended while execute() ran (timeout, cancellation, shutdown): whoever ended it found no
        // stage to cancel. Cancel it here, before anything below can tell the agent its session
        // ended and let its next task start. An end from now on finds the stage in `pending`.
        if (record.state().isTerminal()) {
            cancelStage();
        }
        stage.whenComplete((value, failure) -> {
            Throwable cause = failure instanceof CompletionException wrapped
                    && wrapped.getCause() != null ? wrapped.getCause() : failure;
            close();
            // a stage cancelled because its task ended was abandoned, not completed late
            if (!finish(value, cause) && !(cause instanceof CancellationException)) {
                host.lateCompletion(this);
            }
            reportWhenSettled(false);
        });
        // ended before the stage completes: the slot is not held for a stage nobody awaits
        record.whenSettled(() -> {
            close();
            reportWhenSettled(false);
        });
    }

    /**
     * Ends the record with the session's outcome, through the wire; false if it had already
     * ended (timed out, cancelled, shut down).
     */
    private boolean finish(Object output, Throwable failure) {
        ScheduledFuture<?> armed = timeout;
        if (armed != null) {
            armed.cancel(false);
        }
        if (failure != null) {
            return record.fail(host.wire().carryError(failure));
        }
        Object delivered;
        try {
            delivered = host.wire().carryOutput(record.id(), output);
        } catch (RuntimeException refused) {
            // an output the wire cannot carry fails the task where it was produced; the
            // refusal travels to the owner as any failure does
            return record.fail(host.wire().carryError(refused));
        }
        return record.complete(delivered);
    }

    /** Tells the agent the session ended, once, when the record has settled. */
    private void reportWhenSettled(boolean onSessionThread) {
        if (record.isSettled()) {
            report(onSessionThread);
        } else {
            // ended by a timeout or a cancellation that is still completing the future
            record.whenSettled(() -> report(false));
        }
    }

    private void report(boolean onSessionThread) {
        if (reported.compareAndSet(false, true)) {
            host.sessionEnded(this, onSessionThread);
        }
    }

    /** Arms the task's timeout (its own, else the coordinator's default), if it has one. */
    private ScheduledFuture<?> scheduleTimeout() {
        Duration limit = record.task().timeout().orElseGet(host::defaultTaskTimeout);
        if (limit == null) {
            return null;
        }
        try {
            return host.timer().schedule(() -> {
                record.failAndStop(new TaskTimeoutException(record.id(), limit));
            }, limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /**
     * Marks the task cancelled: interrupts its session if it is running, cancels the stage of
     * an asynchronous one. The caller ends the record; the session, when it returns, finds the
     * record ended and changes nothing.
     */
    public void cancel() {
        cancelled = true;
        Thread thread = runner;
        if (thread != null) {
            thread.interrupt();
        }
        cancelStage();
    }

    private void cancelStage() {
        CompletableFuture<?> stage = pending;
        if (stage != null && !stage.isDone()) {
            stage.cancel(true);
        }
    }

    private synchronized void close() {
        open = false;
    }

    @Override
    public Task task() {
        return task;
    }

    @Override
    public String agentId() {
        return agentId;
    }

    @Override
    public String swarmId() {
        return host.swarmId();
    }

    @Override
    public synchronized CompletableFuture<TaskResult> delegate(Task subtask) {
        Objects.requireNonNull(subtask, "subtask");
        if (!open) {
            throw new IllegalStateException("task '" + record.id() + "' has ended: delegate "
                    + "subtasks from inside execute, or before its stage completes");
        }
        if (isCancelled()) {
            throw new IllegalStateException("task '" + record.id() + "' was cancelled or timed "
                    + "out: it may not delegate");
        }
        return host.delegate(record, agentId, subtask);
    }

    @Override
    public synchronized CompletableFuture<Void> sendToPeer(String peerId, String type,
            Object payload) {
        Objects.requireNonNull(peerId, "agentId");
        Objects.requireNonNull(type, "type");
        checkSending();
        return host.sendToPeer(agentId, record.root(), peerId, type, payload);
    }

    @Override
    public synchronized CompletableFuture<BroadcastResult> broadcast(String type,
            Object payload) {
        Objects.requireNonNull(type, "type");
        checkSending();
        return host.broadcast(agentId, record.root(), null, type, payload);
    }

    @Override
    public synchronized CompletableFuture<BroadcastResult> broadcastToCapability(
            String capability, String type, Object payload) {
        Objects.requireNonNull(capability, "capability");
        Objects.requireNonNull(type, "type");
        checkSending();
        return host.broadcast(agentId, record.root(), capability, type, payload);
    }

    /**
     * A message is work only while this session's work is: refused after it is done. Called
     * under this object's monitor, like the send it guards, so no message is posted after the
     * agent learnt the task ended.
     */
    private void checkSending() {
        if (!open) {
            throw new IllegalStateException("task '" + record.id() + "' has ended: send "
                    + "messages from inside execute, or before its stage completes");
        }
    }

    @Override
    public ISwarmMemoryManager memory() {
        return host.memory();
    }

    @Override
    public ArtifactStorage artifacts() {
        return host.artifacts();
    }

    @Override
    public void recordTokens(long tokens) {
        checkTokens("tokens", tokens);
        if (!record.state().isTerminal()) {
            host.recordTokens(agentId, record, meter -> meter.recordTokens(tokens));
        }
    }

    @Override
    public void recordTokens(long inputTokens, long outputTokens) {
        checkTokens("inputTokens", inputTokens);
        checkTokens("outputTokens", outputTokens);
        if (!record.state().isTerminal()) {
            host.recordTokens(agentId, record,
                    meter -> meter.recordTokens(inputTokens, outputTokens));
        }
    }

    private static void checkTokens(String name, long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException(name + " must be in [0, " + Long.MAX_VALUE
                    + "], was " + tokens);
        }
    }

    @Override
    public Executor executor() {
        return host.worker();
    }

    @Override
    public boolean isCancelled() {
        return cancelled || record.state().isTerminal();
    }
}
