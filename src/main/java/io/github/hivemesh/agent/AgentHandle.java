package io.github.hivemesh.agent;

import java.util.Set;

/** A spawned agent, as the application sees it: a live view, not a snapshot. */
public interface AgentHandle {

    /** The agent's id, unique in its swarm. */
    String id();

    /** What it can do. */
    Set<String> capabilities();

    /** Its state now. */
    AgentState state();
}
