package io.github.hivemesh;

/**
 * Chooses how a swarm is coordinated (the seed's {@code ITopologyRouter}).
 *
 * <p>{@link Topology#AUTO} builds a mesh for up to {@value TopologyRouter#MESH_MAX_AGENTS}
 * agents and a hierarchy from {@value TopologyRouter#HIERARCHY_MIN_AGENTS}; an explicit topology
 * is honoured, with warnings when it fits the swarm's size badly. Thread-safe.
 */
public interface ITopologyRouter {

    /**
     * Validates the configuration and builds its coordinator.
     *
     * @param config the settings
     * @return the coordinator, not yet initialized
     * @throws IllegalArgumentException listing every validation error, if there is one
     */
    ICoordinator selectCoordinator(SwarmConfig config);

    /**
     * {@return what the router thinks of a configuration: errors, warnings, suggestions}
     *
     * @param config the settings
     */
    TopologyValidationResult validateTopology(SwarmConfig config);

    /**
     * {@return the topology the router picks for a swarm of this many agents}
     *
     * @param agentCount the number of agents, at least 1
     */
    Topology getRecommendedTopology(int agentCount);

    /** {@return what the router has decided so far} */
    TopologyRouterMetrics getMetrics();
}
