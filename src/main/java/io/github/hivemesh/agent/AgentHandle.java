package io.github.hivemesh.agent;

import java.util.Set;

/** A spawned agent, as the application sees it: a live view, not a snapshot. */
public interface AgentHandle {

    /** {@return the agent's id, unique in its swarm} */
    String id();

    /** {@return what it can do} */
    Set<String> capabilities();

    /** {@return its state now} */
    AgentState state();
}
