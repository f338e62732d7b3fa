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
     * @throws IllegalArgumentException listing every validation error, if there is one
     */
    ICoordinator selectCoordinator(SwarmConfig config);

    /** What the router thinks of a configuration: errors, warnings, suggestions. */
    TopologyValidationResult validateTopology(SwarmConfig config);

    /** The topology the router picks for a swarm of this many agents. */
    Topology getRecommendedTopology(int agentCount);

    /** What the router has decided so far. */
    TopologyRouterMetrics getMetrics();
}
