package io.github.hivemesh.mesh;

import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.agent.AgentState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A snapshot of one mesh peer (the seed's {@code PeerAgent}).
 *
 * @param id                  the peer's (agent's) id
 * @param session             its session
 * @param capabilities        what it can do
 * @param load                tasks assigned to it and not ended (queued + running)
 * @param state               its lifecycle state
 * @param neighbors           the live peers it knows of, itself excluded
 * @param lastSeen            when it last handled a message
 * @param successRate         completed ÷ ended tasks, 1.0 before any ended
 * @param averageResponseTime mean execution time of its ended tasks
 * @param tasksCompleted      tasks it completed
 * @param tasksFailed         tasks that failed on it
 */
public record PeerAgent(
        String id,
        AgentSession session,
        Set<String> capabilities,
        int load,
        AgentState state,
        Set<String> neighbors,
        Instant lastSeen,
        double successRate,
        Duration averageResponseTime,
        long tasksCompleted,
        long tasksFailed) {

    /**
     * Copies the sets.
     *
     * @param id the peer's (agent's) id
     * @param session its session
     * @param capabilities what it can do
     * @param load tasks assigned to it and not ended (queued + running)
     * @param state its lifecycle state
     * @param neighbors the live peers it knows of, itself excluded
     * @param lastSeen when it last handled a message
     * @param successRate completed ÷ ended tasks, 1.0 before any ended
     * @param averageResponseTime mean execution time of its ended tasks
     * @param tasksCompleted tasks it completed
     * @param tasksFailed tasks that failed on it
     */
    public PeerAgent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(session, "session");
        capabilities = Set.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
        Objects.requireNonNull(state, "state");
        neighbors = Set.copyOf(Objects.requireNonNull(neighbors, "neighbors"));
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(averageResponseTime, "averageResponseTime");
    }
}
