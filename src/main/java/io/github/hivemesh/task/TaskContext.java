package io.github.hivemesh.task;

import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.memory.ISwarmMemoryManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What a running session sees: its task, and the ways to reach the rest of the swarm. Valid
 * while the session's work is not done — inside {@code execute}, and, for a session that
 * returned a {@link java.util.concurrent.CompletionStage}, until that stage completes; safe to
 * use from the thread running it and from threads it starts.
 *
 * <p>A session that blocks on the futures of its subtasks holds its agent's slot while it
 * waits; the rest of the swarm keeps moving (idle agents take work queued behind busy ones),
 * and completion detection stays exact either way. A session that returns a stage holds the
 * slot but no thread.
 */
public interface TaskContext extends Messaging {

    /** {@return the task being executed (as the agent received it)} */
    Task task();

    /** {@return the agent executing it} */
    String agentId();

    /** {@return the swarm this agent belongs to} */
    String swarmId();

    /**
     * Submits a subtask, routed to the least-loaded agent with its required capabilities (maybe
     * this one). The swarm is not quiescent until the subtask has ended too.
     *
     * @param subtask the subtask
     * @return completes when the subtask's own {@code execute} has returned or failed; fails (with
     *     a {@link TaskFailedException}) when it cannot be accepted — e.g. the swarm holds
     *     {@code SwarmConfig.maxPendingSubtasks} subtasks already
     */
    CompletableFuture<TaskResult> delegate(Task subtask);

    /** {@return the swarm's shared memory} */
    ISwarmMemoryManager memory();

    /** {@return the swarm's artifact store (in memory, or the durable one when configured)} */
    ArtifactStorage artifacts();

    /**
     * Reports tokens this task consumed, for token accounting, without saying how many were
     * input and how many output (see {@link #recordTokens(long, long)}); negative values are
     * refused. Works from any thread until the task ends; later reports are ignored.
     *
     * @param tokens the tokens
     */
    void recordTokens(long tokens);

    /**
     * Reports tokens this task consumed, input (the prompt a model read) and output (what it
     * generated) apart — what a model's reported usage gives. They count as work tokens like
     * {@link #recordTokens(long)}'s, and are also summed apart
     * ({@code TokenSavings.inputTokens}, {@code outputTokens}). Negative values are refused.
     * Works from any thread until the task ends; later reports are ignored.
     *
     * @param inputTokens tokens of the input the model read, {@code >= 0}
     * @param outputTokens tokens the model generated, {@code >= 0}
     */
    void recordTokens(long inputTokens, long outputTokens);

    /**
     * {@return the swarm's worker executor, where sessions run} An asynchronous session that must
     * do blocking work after a future completed (say, call a model again once a subtask's result is
     * in) runs it here, not on the thread that completed the future — that may be one of the
     * swarm's dispatcher threads, which must never block. Refuses work once the swarm has shut
     * down.
     */
    Executor executor();

    /**
     * {@return whether the task was cancelled or timed out; a long session should check and stop}
     */
    boolean isCancelled();
}
