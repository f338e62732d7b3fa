package io.github.hivemesh.agent;

/** No agent with this id is in the swarm. */
public class UnknownAgentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The id nobody has. */
    private final String agentId;
    /** The swarm that was asked. */
    private final String swarmId;

    /**
     * An exception naming the id and the swarm.
     *
     * @param agentId the id nobody has
     * @param swarmId the swarm that was asked
     */
    public UnknownAgentException(String agentId, String swarmId) {
        super("no agent '" + agentId + "' in swarm '" + swarmId + "'");
        this.agentId = agentId;
        this.swarmId = swarmId;
    }

    /** {@return the id nobody has} */
    public String agentId() {
        return agentId;
    }

    /** {@return the swarm that was asked} */
    public String swarmId() {
        return swarmId;
    }
}
