package io.github.hivemesh.internal;

import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskContext;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskTimeoutException;
import java.util.Objects;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One execution of a session for one task, on the worker executor, and the
 * {@link TaskContext} that session sees.
 *
 * <p>The agent hears that the session ended ({@link TaskHost#sessionEnded}) only once the
 * session has returned <em>and</em> the record has settled (its future completed): usually
 * both on the worker thread, in that order; when a timeout or a cancellation ended the record
 * first, on whichever thread finishes last. So by the time the agent can go idle — and
 * completion can be reported — the task's future is done. Delegation is refused once
 * {@code execute} has returned; a delegation racing with the return is ordered by this
 * object's monitor, so no subtask is posted after the agent learnt the task ended.
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

    /** Guarded by {@code this}. */
    private boolean open = true;
    private volatile Thread runner;
    private volatile boolean cancelled;

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

    @Override
    public void run() {
        runner = Thread.currentThread();
        ScheduledFuture<?> timeout = null;
        try {
            if (!cancelled && record.start()) {
                timeout = scheduleTimeout();
                Object output;
                try {
                    output = session.execute(this);
                } catch (Throwable failure) {
                    close();
                    record.fail(host.wire().carryError(failure));
                    return;
                }
                close();
                Object delivered;
                try {
                    delivered = host.wire().carryOutput(output);
                } catch (RuntimeException refused) {
                    // an output the wire cannot carry fails the task where it was produced
                    record.fail(refused);
                    return;
                }
                record.complete(delivered);
            }
        } finally {
            if (timeout != null) {
                timeout.cancel(false);
            }
            close();
            runner = null;
            // a timeout or shutdown may have interrupted us after execute returned
            Thread.interrupted();
            if (record.isSettled()) {
                host.sessionEnded(this, true);
            } else {
                // ended by a timeout or a cancellation that is still completing the future
                record.whenSettled(() -> host.sessionEnded(this, false));
            }
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
                if (record.fail(new TaskTimeoutException(record.id(), limit))) {
                    cancel();
                }
            }, limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /**
     * Marks the task cancelled and interrupts its session if it is running. The caller ends the
     * record; the session, when it returns, finds the record ended and changes nothing.
     */
    public void cancel() {
        cancelled = true;
        Thread thread = runner;
        if (thread != null) {
            thread.interrupt();
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
            throw new IllegalStateException("task '" + record.id() + "' has returned: delegate "
                    + "subtasks from inside execute");
        }
        if (isCancelled()) {
            throw new IllegalStateException("task '" + record.id() + "' was cancelled or timed "
                    + "out: it may not delegate");
        }
        return host.delegate(record, agentId, subtask);
    }

    @Override
    public CompletableFuture<Void> sendToPeer(String peerId, String type, Object payload) {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(type, "type");
        return host.sendToPeer(agentId, peerId, type, payload);
    }

    @Override
    public void recordTokens(long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be in [0, " + Long.MAX_VALUE
                    + "], was " + tokens);
        }
        host.recordTokens(agentId, record, tokens);
    }

    @Override
    public boolean isCancelled() {
        return cancelled || record.state().isTerminal();
    }
}
