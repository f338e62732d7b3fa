package io.github.hivemesh.agent;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state of one agent, moved only along the edges {@link AgentState} allows.
 *
 * <p>Thread-safe: transitions are compare-and-set, so two racing transitions cannot both win,
 * and readers on any thread see the latest state.
 */
public final class AgentStateMachine {

    private final String agentId;
    private final Clock clock;
    private final AtomicReference<AgentState> state = new AtomicReference<>(AgentState.INITIALIZING);
    private volatile long enteredAtMillis;

    /**
     * A machine in {@link AgentState#INITIALIZING}.
     *
     * @param agentId the agent's id
     * @param clock the clock
     */
    public AgentStateMachine(String agentId, Clock clock) {
        this.agentId = Objects.requireNonNull(agentId, "agentId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.enteredAtMillis = clock.millis();
    }

    /** {@return the current state} */
    public AgentState state() {
        return state.get();
    }

    /** {@return when the current state was entered, in the clock's epoch milliseconds} */
    public long enteredAtMillis() {
        return enteredAtMillis;
    }

    /**
     * Moves to {@code target} from whatever the state is.
     *
     * @param target the target
     * @return the state it left
     * @throws IllegalStateTransitionException if the lifecycle forbids the move
     */
    public AgentState transitionTo(AgentState target) {
        Objects.requireNonNull(target, "target");
        while (true) {
            AgentState current = state.get();
            if (!current.canTransitionTo(target)) {
                throw new IllegalStateTransitionException(agentId, current, target);
            }
            if (state.compareAndSet(current, target)) {
                enteredAtMillis = clock.millis();
                return current;
            }
        }
    }

    /**
     * Moves from {@code expected} to {@code target}, if the state is still {@code expected}.
     *
     * @param expected the state the move starts from
     * @param target the target
     * @return false if the state was not {@code expected}
     * @throws IllegalStateTransitionException if the lifecycle forbids {@code expected → target}
     */
    public boolean transition(AgentState expected, AgentState target) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(target, "target");
        if (!expected.canTransitionTo(target)) {
            throw new IllegalStateTransitionException(agentId, expected, target);
        }
        if (state.compareAndSet(expected, target)) {
            enteredAtMillis = clock.millis();
            return true;
        }
        return false;
    }

    /**
     * Moves to {@link AgentState#TERMINATED} from whatever the state is, unless it is there
     * already: the one transition that two parties (a removal finishing, the swarm stopping)
     * may race to make, and both may.
     *
     * @return true if this call terminated the agent, false if it was terminated already
     */
    public boolean terminate() {
        while (true) {
            AgentState current = state.get();
            if (current == AgentState.TERMINATED) {
                return false;
            }
            if (state.compareAndSet(current, AgentState.TERMINATED)) {
                enteredAtMillis = clock.millis();
                return true;
            }
        }
    }

    @Override
    public String toString() {
        return agentId + ":" + state.get();
    }
}
