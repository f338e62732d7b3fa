package io.github.hivemesh;

import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.completion.DistributedCompletionConfig;
import io.github.hivemesh.completion.DistributedCompletionDetector;
import io.github.hivemesh.completion.IDistributedCompletionDetector;
import io.github.hivemesh.completion.SignalTransport;
import io.github.hivemesh.mesh.IMeshLoadBalancer;
import io.github.hivemesh.mesh.IPeerDiscoverySystem;
import io.github.hivemesh.mesh.LoadBalancerConfig;
import io.github.hivemesh.mesh.MeshCoordinator;
import io.github.hivemesh.mesh.MeshCoordinatorConfig;
import io.github.hivemesh.mesh.MeshFactories;
import io.github.hivemesh.mesh.PeerDiscoveryConfig;
import java.time.Clock;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where a swarm starts: builds coordinators, and the seed's component factories.
 *
 * <pre>{@code
 * try (ICoordinator swarm = CoordinatorFactory.createWithTopology(
 *         SwarmConfig.builder().maxAgents(5).build())) { ... }
 * }</pre>
 */
public final class CoordinatorFactory {

    private static final TopologyRouter ROUTER = new TopologyRouter();

    private CoordinatorFactory() {
    }

    /**
     * Builds the coordinator the configuration's topology calls for, through the shared
     * {@link TopologyRouter} ({@link Topology#AUTO}: mesh up to 7 agents, hierarchy from 8).
     *
     * @throws IllegalArgumentException if the topology is invalid for the configuration
     */
    public static ICoordinator createWithTopology(SwarmConfig config) {
        return ROUTER.selectCoordinator(Objects.requireNonNull(config, "config"));
    }

    /**
     * The seed's backward-compatible entry: always the hierarchical coordinator, whatever the
     * configuration's topology.
     */
    public static ICoordinator create(SwarmConfig config) {
        Objects.requireNonNull(config, "config");
        return ROUTER.selectCoordinator(config.toBuilder().topology(Topology.HIERARCHICAL)
                .build());
    }

    /** The router {@link #createWithTopology} uses, for its validation and metrics. */
    public static ITopologyRouter router() {
        return ROUTER;
    }

    /** The seed's {@code createMeshCoordinator}. */
    public static MeshCoordinator createMeshCoordinator(MeshCoordinatorConfig config) {
        return MeshCoordinator.createMeshCoordinator(config);
    }

    /** The seed's {@code createPeerDiscoverySystem}: one peer's view of its swarm. */
    public static IPeerDiscoverySystem createPeerDiscoverySystem(String localPeerId,
            Collection<String> capabilities, IMessageBroker broker, PeerDiscoveryConfig config,
            Clock clock, ScheduledExecutorService scheduler) {
        return MeshFactories.createPeerDiscoverySystem(localPeerId, capabilities, broker, config,
                clock, scheduler);
    }

    /** The seed's {@code createDistributedCompletionDetector}. */
    public static IDistributedCompletionDetector createDistributedCompletionDetector(
            String swarmId, String rootId, SignalTransport transport,
            DistributedCompletionConfig config) {
        return DistributedCompletionDetector.createDistributedCompletionDetector(swarmId, rootId,
                transport, config);
    }

    /** The seed's {@code createMeshLoadBalancer}. */
    public static IMeshLoadBalancer createMeshLoadBalancer(LoadBalancerConfig config) {
        return MeshFactories.createMeshLoadBalancer(config);
    }
}
