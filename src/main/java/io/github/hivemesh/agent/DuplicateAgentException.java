package io.github.hivemesh.agent;

/** An agent id is already in use in the swarm; the second agent was not added. */
public class DuplicateAgentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The id already in use. */
    private final String agentId;

    /**
     * An exception naming the id.
     *
     * @param agentId the id already in use
     */
    public DuplicateAgentException(String agentId) {
        super("agent id '" + agentId + "' is already in use in this swarm");
        this.agentId = agentId;
    }

    /** {@return the id already in use} */
    public String agentId() {
        return agentId;
    }
}
