package io.github.hivemesh.agent;

/** An agent was asked to move to a state its lifecycle does not allow from where it is. */
public class IllegalStateTransitionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String agentId;
    private final AgentState from;
    private final AgentState to;

    /** An exception naming the agent and both states. */
    public IllegalStateTransitionException(String agentId, AgentState from, AgentState to) {
        super("agent '" + agentId + "' cannot go from " + from + " to " + to);
        this.agentId = agentId;
        this.from = from;
        this.to = to;
    }

    /** The agent. */
    public String agentId() {
        return agentId;
    }

    /** Its state when the transition was refused. */
    public AgentState from() {
        return from;
    }

    /** The state it was asked to enter. */
    public AgentState to() {
        return to;
    }
}
