package io.github.hivemesh.agent;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Lifecycle of an agent.
 *
 * <pre>
 * INITIALIZING → IDLE ⇄ BUSY
 *                IDLE ⇄ PAUSED
 * any state but TERMINATED → TERMINATED
 * </pre>
 *
 * A busy agent cannot be paused (it finishes its tasks first), and a paused agent goes back to
 * {@code IDLE} before it runs anything.
 */
public enum AgentState {
    /** Registered, not yet routable. */
    INITIALIZING,
    /** Routable, running nothing. */
    IDLE,
    /** Running at least one task. */
    BUSY,
    /** Not running and not burning tokens; a task sent to it resumes it first. */
    PAUSED,
    /** Removed; final. */
    TERMINATED;

    private Set<AgentState> successors;

    static {
        INITIALIZING.successors = EnumSet.of(IDLE, TERMINATED);
        IDLE.successors = EnumSet.of(BUSY, PAUSED, TERMINATED);
        BUSY.successors = EnumSet.of(IDLE, TERMINATED);
        PAUSED.successors = EnumSet.of(IDLE, TERMINATED);
        TERMINATED.successors = EnumSet.noneOf(AgentState.class);
    }

    /**
     * {@return whether the lifecycle allows moving from this state to {@code next}}
     *
     * @param next the state to move to
     */
    public boolean canTransitionTo(AgentState next) {
        return successors.contains(Objects.requireNonNull(next, "next"));
    }
}
