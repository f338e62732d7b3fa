package io.github.hivemesh.agent;

/** Spawning would take the swarm beyond its {@code maxAgents} cap; the agent was not added. */
public class AgentLimitExceededException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The cap that was reached. */
    private final int maxAgents;

    /**
     * An exception naming the agent and the cap.
     *
     * @param agentId the agent's id
     * @param maxAgents the cap that was reached
     */
    public AgentLimitExceededException(String agentId, int maxAgents) {
        super("cannot spawn agent '" + agentId + "': the swarm already has its maximum of "
                + maxAgents + " agents (SwarmConfig.maxAgents)");
        this.maxAgents = maxAgents;
    }

    /**
     * An exception for a spawn of {@code requested} agents (the first named) into a swarm that
     * has {@code current} of its {@code maxAgents}.
     *
     * @param agentId the agent's id
     * @param maxAgents the cap that was reached
     * @param current how many agents the swarm has
     * @param requested how many agents the refused spawn asked for
     */
    public AgentLimitExceededException(String agentId, int maxAgents, int current,
            int requested) {
        super("cannot spawn " + (requested == 1 ? "agent '" + agentId + "'"
                : requested + " agents ('" + agentId + "', ...)") + ": the swarm has " + current
                + " of its maximum of " + maxAgents + " agents (SwarmConfig.maxAgents)");
        this.maxAgents = maxAgents;
    }

    /** {@return the cap that was reached} */
    public int maxAgents() {
        return maxAgents;
    }
}
