package io.github.hivemesh.internal;

import io.github.hivemesh.agent.TokenMeter;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.internal.wire.Wire;
import io.github.hivemesh.memory.ISwarmMemoryManager;
import io.github.hivemesh.task.BroadcastResult;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * What a coordinator does for a running session's {@link io.github.hivemesh.task.TaskContext}
 * and a message handler's {@code MessageContext}. Called from the session's or the handler's
 * thread (a worker), never from a dispatcher; nothing here blocks.
 */
public interface TaskHost {

    /** The swarm's id. */
    String swarmId();

    /** Registers and routes a subtask delegated by {@code parent}, running on {@code agentId}. */
    CompletableFuture<TaskResult> delegate(TaskRecord parent, String agentId, Task subtask);

    /**
     * Sends a user message (work) from one agent to another, as work of {@code root} (null:
     * the coordinator's own; see {@link TaskRecord#root()}).
     */
    CompletableFuture<Void> sendToPeer(String fromAgentId, String root, String toAgentId,
            String type, Object payload);

    /**
     * Sends a user message (work) from one agent to every other agent with a message handler
     * and, unless {@code capability} is null, that capability.
     */
    CompletableFuture<BroadcastResult> broadcast(String fromAgentId, String root,
            String capability, String type, Object payload);

    /** Accounts tokens a task's session reported, on the agent's meter (if it is live). */
    void recordTokens(String agentId, TaskRecord record, Consumer<TokenMeter> report);

    /** The swarm's worker executor (where sessions run). */
    Executor worker();

    /** The timeout of tasks that set none, or null for none. */
    Duration defaultTaskTimeout();

    /** Runs task timeouts. */
    ScheduledExecutorService timer();

    /** What an output or an error goes through on its way to the task's owner. */
    Wire wire();

    /** The swarm's shared memory. */
    ISwarmMemoryManager memory();

    /** The swarm's artifact store. */
    ArtifactStorage artifacts();

    /**
     * Called once the session's work is done (or abandoned) and the record has settled (its
     * future is complete).
     *
     * @param onSessionThread whether the caller is the session's own thread, which is about to
     *                        go idle (else it is the thread that ended the task)
     */
    void sessionEnded(SessionTask sessionTask, boolean onSessionThread);

    /** The stage of an asynchronous session completed after its task had ended: dropped. */
    void lateCompletion(SessionTask sessionTask);
}
