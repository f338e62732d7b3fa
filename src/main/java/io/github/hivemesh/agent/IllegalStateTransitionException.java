package io.github.hivemesh.agent;

/** An agent was asked to move to a state its lifecycle does not allow from where it is. */
public class IllegalStateTransitionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The agent. */
    private final String agentId;
    /** Its state when the transition was refused. */
    private final AgentState from;
    /** The state it was asked to enter. */
    private final AgentState to;

    /**
     * An exception naming the agent and both states.
     *
     * @param agentId the agent
     * @param from its state when the transition was refused
     * @param to the state it was asked to enter
     */
    public IllegalStateTransitionException(String agentId, AgentState from, AgentState to) {
        super("agent '" + agentId + "' cannot go from " + from + " to " + to);
        this.agentId = agentId;
        this.from = from;
        this.to = to;
    }

    /** {@return the agent} */
    public String agentId() {
        return agentId;
    }

    /** {@return its state when the transition was refused} */
    public AgentState from() {
        return from;
    }

    /** {@return the state it was asked to enter} */
    public AgentState to() {
        return to;
    }
}
