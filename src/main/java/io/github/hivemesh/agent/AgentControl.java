package io.github.hivemesh.agent;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * What a coordinator lets the {@link QueryController} do to its agents. Each coordinator
 * hands its controller an implementation over its own agents, so {@code agent} imports no
 * coordinator (docs/design.md §4). Thread-safe.
 */
public interface AgentControl {

    /** {@return the swarm's id} */
    String swarmId();

    /** {@return the live agents' ids (a snapshot)} */
    Collection<String> agentIds();

    /**
     * Pauses an idle agent: it stops taking work, its session's {@code checkpoint()} (when
     * checkpoints are on) and {@code onPause()} run, and it stops burning tokens. A task sent to
     * it later resumes it first.
     *
     * @param agentId the agent's id
     * @return completes with the checkpoint id (null without one) once paused; fails with
     *     {@link AgentBusyException} if it runs or holds a task, with
     *     {@link IllegalStateTransitionException} if it is not idle (already paused, terminated),
     *     and with {@link UnknownAgentException} for an unknown id
     */
    CompletableFuture<String> pause(String agentId);

    /**
     * Resumes a paused agent: its session's {@code onResume(checkpointId)} runs, then it takes
     * work again.
     *
     * @param agentId the agent's id
     * @param checkpointId the checkpoint's id
     * @return completes once the agent is idle again; fails with
     *     {@link IllegalStateTransitionException} if it is not paused, and with
     *     {@link UnknownAgentException} for an unknown id
     */
    CompletableFuture<Void> resume(String agentId, String checkpointId);

    /**
     * {@return the agent's token account}
     *
     * @param agentId the agent's id
     * @throws UnknownAgentException for an unknown id
     */
    TokenMeter meter(String agentId);
}
