package io.github.hivemesh.agent;

/** No agent with this id is in the swarm. */
public class UnknownAgentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String agentId;
    private final String swarmId;

    /** An exception naming the id and the swarm. */
    public UnknownAgentException(String agentId, String swarmId) {
        super("no agent '" + agentId + "' in swarm '" + swarmId + "'");
        this.agentId = agentId;
        this.swarmId = swarmId;
    }

    /** The id nobody has. */
    public String agentId() {
        return agentId;
    }

    /** The swarm that was asked. */
    public String swarmId() {
        return swarmId;
    }
}
