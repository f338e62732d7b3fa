package io.github.hivemesh.task;

import java.util.concurrent.CompletableFuture;

/**
 * What a running session sees: its task, and the ways to reach the rest of the swarm. Valid
 * while {@code execute} runs; safe to use from the thread running it and from threads it
 * starts.
 *
 * <p>A session should not block on the futures of its subtasks: a task's slot is held until
 * its own {@code execute} returns, so a session that waits keeps its agent's slot busy (the
 * subtasks still run elsewhere, and completion detection stays exact either way).
 */
public interface TaskContext {

    /** The task being executed. */
    Task task();

    /** The agent executing it. */
    String agentId();

    /** The swarm this agent belongs to. */
    String swarmId();

    /**
     * Submits a subtask, routed to the least-loaded agent with its required capabilities (maybe
     * this one). The swarm is not quiescent until the subtask has ended too.
     *
     * @return completes when the subtask's own {@code execute} has returned or failed
     */
    CompletableFuture<TaskResult> delegate(Task subtask);

    /** Sends a user message to another agent (delivered to its message handler, if any). */
    CompletableFuture<Void> sendToPeer(String peerId, String type, Object payload);

    /** Reports tokens this task consumed, for token accounting. Negative values are refused. */
    void recordTokens(long tokens);

    /** Whether the task was cancelled or timed out; a long session should check and stop. */
    boolean isCancelled();
}
