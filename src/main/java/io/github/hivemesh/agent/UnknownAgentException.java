package io.github.hivemesh.agent;

/** No agent with this id is in the swarm. */
public class UnknownAgentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** An exception naming the id and the swarm. */
    public UnknownAgentException(String agentId, String swarmId) {
        super("no agent '" + agentId + "' in swarm '" + swarmId + "'");
    }
}
