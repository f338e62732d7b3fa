package io.github.hivemesh.agent;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Pauses idle agents so they stop burning tokens, resumes them fast, and accounts what was
 * saved (the seed's {@code IQueryController}). Reached through
 * {@code ICoordinator.queryController()}. Thread-safe.
 *
 * <p>An agent that runs or holds a task is not paused: the request fails with
 * {@link AgentBusyException} and no task is touched (pause it when it is idle, or rely on the
 * idle auto-pause policy, which only ever pauses idle agents). A task sent to a paused agent
 * resumes it first, then runs.
 */
public interface IQueryController {

    /**
     * Pauses one idle agent.
     *
     * @param agentId the agent's id
     * @return completes with the checkpoint id (null when checkpoints are off or the session
     *     returned none) once the agent is paused
     */
    CompletableFuture<String> pauseAgent(String agentId);

    /**
     * Resumes one paused agent, handing {@code checkpointId} (may be null) to its session's
     * {@code onResume}; completes once it takes work again.
     *
     * @param agentId the agent's id
     * @param checkpointId the checkpoint's id
     * @return a future that completes once the agent is resumed
     */
    CompletableFuture<Void> resumeAgent(String agentId, String checkpointId);

    /**
     * Pauses several agents; the result names each failure and its reason.
     *
     * @param peerIds the peers' ids
     * @param reason why they are paused
     * @return a future of the result: the agents paused and the failures
     */
    CompletableFuture<PeerOperationResult> pausePeers(Collection<String> peerIds, String reason);

    /**
     * Resumes several agents (no checkpoint); the result names each failure and its reason.
     *
     * @param peerIds the peers' ids
     * @return a future of the result: the agents resumed and the failures
     */
    CompletableFuture<PeerOperationResult> resumePeers(Collection<String> peerIds);

    /**
     * {@return what pausing saved for one agent}
     *
     * @param agentId the agent's id
     * @throws UnknownAgentException for an unknown id
     */
    TokenSavings getTokenSavings(String agentId);

    /**
     * {@return what pausing saved for the whole swarm (its live agents)}
     *
     * @param swarmId the swarm's id
     * @throws IllegalArgumentException if {@code swarmId} is not this swarm's
     */
    TokenSavings getMeshTokenSavings(String swarmId);
}
