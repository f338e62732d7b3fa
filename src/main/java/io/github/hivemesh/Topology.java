package io.github.hivemesh;

/** How a swarm is coordinated. */
public enum Topology {
    /** Chosen from the swarm's size: {@link #MESH} up to 7 agents, {@link #HIERARCHICAL} from 8. */
    AUTO,
    /** Peer to peer: agents delegate to each other directly; for 2–7 agents. */
    MESH,
    /** Queen-led: a coordinator (and team leads above the fan-out) place all work; for 8+. */
    HIERARCHICAL
}
