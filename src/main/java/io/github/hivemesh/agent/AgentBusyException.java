package io.github.hivemesh.agent;

/** An agent was asked to pause while it runs or holds a task; it was left as it was. */
public class AgentBusyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception naming the agent and what it holds.
     *
     * @param agentId the agent's id
     * @param running how many tasks it is running
     * @param queued how many tasks wait in its queue
     */
    public AgentBusyException(String agentId, int running, int queued) {
        super("agent '" + agentId + "' cannot be paused: it is running " + running
                + " and holding " + queued + " task(s); pause it when it is idle");
    }
}
