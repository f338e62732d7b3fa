package io.github.hivemesh.internal;

import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a coordinator does for a running session's {@link io.github.hivemesh.task.TaskContext}.
 * Called from the session's thread (a worker), never from a dispatcher.
 */
public interface TaskHost {

    /** The swarm's id. */
    String swarmId();

    /**
     * Registers and routes a subtask delegated by {@code parent}, running on {@code agentId}.
     * Must not block.
     */
    CompletableFuture<TaskResult> delegate(TaskRecord parent, String agentId, Task subtask);

    /** Sends a user message from one agent to another. Must not block. */
    CompletableFuture<Void> sendToPeer(String fromAgentId, String toAgentId, String type,
            Object payload);

    /** Accounts tokens a task's session reported. */
    void recordTokens(String agentId, TaskRecord record, long tokens);

    /** The timeout of tasks that set none, or null for none. */
    Duration defaultTaskTimeout();

    /** Runs task timeouts. */
    ScheduledExecutorService timer();

    /** What an output or an error goes through on its way to the task's owner. */
    io.github.hivemesh.internal.wire.Wire wire();

    /**
     * Called once the session has returned or thrown and the record has settled (its future is
     * complete).
     *
     * @param onSessionThread whether the caller is the session's own thread, which is about to
     *                        go idle (else it is the thread that ended the task)
     */
    void sessionEnded(SessionTask sessionTask, boolean onSessionThread);
}
