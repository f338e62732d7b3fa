package io.github.hivemesh;

import io.github.hivemesh.hierarchy.HierarchicalCoordinator;
import io.github.hivemesh.mesh.MeshCoordinator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ITopologyRouter}.
 *
 * <p>Why the cut at 7/8: in a mesh every peer knows every other (all-to-all discovery and
 * heartbeats grow with n²) and places work itself, which pays off while a swarm is small
 * enough for each peer to see all the others; beyond that a queen with team leads places work
 * with less traffic and a global priority order.
 */
public final class TopologyRouter implements ITopologyRouter {

    /** Largest swarm {@link Topology#AUTO} builds as a mesh. */
    public static final int MESH_MAX_AGENTS = 7;
    /** Smallest swarm {@link Topology#AUTO} builds hierarchically. */
    public static final int HIERARCHY_MIN_AGENTS = 8;
    /** Smallest swarm a mesh makes sense for. */
    public static final int MESH_MIN_AGENTS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(TopologyRouter.class);

    private final LongAdder meshSelections = new LongAdder();
    private final LongAdder hierarchicalSelections = new LongAdder();
    private final LongAdder autoSelections = new LongAdder();
    private final LongAdder overrides = new LongAdder();
    private final LongAdder validationErrors = new LongAdder();
    private final LongAdder validationWarnings = new LongAdder();

    /** A router whose counters ({@link #getMetrics()}) start at zero. */
    public TopologyRouter() {
    }

    @Override
    public Topology getRecommendedTopology(int agentCount) {
        if (agentCount < 1) {
            throw new IllegalArgumentException("agentCount must be in [1, "
                    + SwarmConfig.MAX_AGENTS_LIMIT + "], was " + agentCount);
        }
        return agentCount <= MESH_MAX_AGENTS ? Topology.MESH : Topology.HIERARCHICAL;
    }

    @Override
    public TopologyValidationResult validateTopology(SwarmConfig config) {
        Objects.requireNonNull(config, "config");
        int agents = config.maxAgents();
        Topology recommended = getRecommendedTopology(agents);
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> suggestions = new ArrayList<>();
        if (config.topology() == Topology.MESH && agents < MESH_MIN_AGENTS) {
            errors.add("topology MESH needs at least " + MESH_MIN_AGENTS
                    + " agents to have peers, but maxAgents is " + agents);
            suggestions.add("raise maxAgents to at least " + MESH_MIN_AGENTS
                    + ", or use Topology.AUTO");
        }
        if (config.topology() == Topology.MESH && agents > MESH_MAX_AGENTS) {
            warnings.add("topology MESH with maxAgents " + agents + ": every peer discovers and "
                    + "heartbeats every other, which grows with the square of the swarm; "
                    + "a mesh is meant for " + MESH_MIN_AGENTS + "–" + MESH_MAX_AGENTS + " agents");
            suggestions.add("use Topology.AUTO or HIERARCHICAL for " + agents + " agents");
        }
        if (config.topology() == Topology.HIERARCHICAL && agents < HIERARCHY_MIN_AGENTS) {
            warnings.add("topology HIERARCHICAL with maxAgents " + agents + ": a queen adds a hop "
                    + "to every task, which pays off from " + HIERARCHY_MIN_AGENTS + " agents");
            suggestions.add("use Topology.AUTO or MESH for " + agents + " agents");
        }
        return new TopologyValidationResult(errors.isEmpty(), errors, warnings, recommended,
                suggestions);
    }

    @Override
    public ICoordinator selectCoordinator(SwarmConfig config) {
        TopologyValidationResult validation = validateTopology(config);
        if (!validation.valid()) {
            validationErrors.add(validation.errors().size());
            throw new IllegalArgumentException("invalid swarm configuration: "
                    + String.join("; ", validation.errors()));
        }
        validationWarnings.add(validation.warnings().size());
        validation.warnings().forEach(warning -> LOG.warn("swarm '{}': {}", config.swarmId(),
                warning));
        Topology topology = config.topology();
        if (topology == Topology.AUTO) {
            autoSelections.increment();
            topology = validation.recommendedTopology();
        } else if (topology != validation.recommendedTopology()) {
            overrides.increment();
        }
        return build(topology, config);
    }

    private ICoordinator build(Topology topology, SwarmConfig config) {
        if (topology == Topology.MESH) {
            meshSelections.increment();
            return new MeshCoordinator(config);
        }
        hierarchicalSelections.increment();
        return new HierarchicalCoordinator(config);
    }

    @Override
    public TopologyRouterMetrics getMetrics() {
        return new TopologyRouterMetrics(meshSelections.sum(), hierarchicalSelections.sum(),
                autoSelections.sum(), overrides.sum(), validationErrors.sum(),
                validationWarnings.sum());
    }
}
