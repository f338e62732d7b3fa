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
     * @param config the settings
     * @return the coordinator, not yet initialized
     * @throws IllegalArgumentException if the topology is invalid for the configuration
     */
    public static ICoordinator createWithTopology(SwarmConfig config) {
        return ROUTER.selectCoordinator(Objects.requireNonNull(config, "config"));
    }

    /**
     * {@return the seed's backward-compatible entry: always the hierarchical coordinator, whatever
     * the configuration's topology}
     *
     * @param config the settings
     */
    public static ICoordinator create(SwarmConfig config) {
        Objects.requireNonNull(config, "config");
        return ROUTER.selectCoordinator(config.toBuilder().topology(Topology.HIERARCHICAL)
                .build());
    }

    /** {@return the router {@link #createWithTopology} uses, for its validation and metrics} */
    public static ITopologyRouter router() {
        return ROUTER;
    }

    /**
     * {@return the seed's {@code createMeshCoordinator}}
     *
     * @param config the settings
     */
    public static MeshCoordinator createMeshCoordinator(MeshCoordinatorConfig config) {
        return MeshCoordinator.createMeshCoordinator(config);
    }

    /**
     * {@return the seed's {@code createPeerDiscoverySystem}: one peer's view of its swarm}
     *
     * @param localPeerId the local peer's id
     * @param capabilities the capabilities
     * @param broker the broker
     * @param config the settings
     * @param clock the clock
     * @param scheduler the scheduler
     */
    public static IPeerDiscoverySystem createPeerDiscoverySystem(String localPeerId,
            Collection<String> capabilities, IMessageBroker broker, PeerDiscoveryConfig config,
            Clock clock, ScheduledExecutorService scheduler) {
        return MeshFactories.createPeerDiscoverySystem(localPeerId, capabilities, broker, config,
                clock, scheduler);
    }

    /**
     * {@return the seed's {@code createDistributedCompletionDetector}}
     *
     * @param swarmId the swarm's id
     * @param rootId the root's id
     * @param transport carries the detector's signals between its participants
     * @param config the settings
     */
    public static IDistributedCompletionDetector createDistributedCompletionDetector(
            String swarmId, String rootId, SignalTransport transport,
            DistributedCompletionConfig config) {
        return DistributedCompletionDetector.createDistributedCompletionDetector(swarmId, rootId,
                transport, config);
    }

    /**
     * {@return the seed's {@code createMeshLoadBalancer}}
     *
     * @param config the settings
     */
    public static IMeshLoadBalancer createMeshLoadBalancer(LoadBalancerConfig config) {
        return MeshFactories.createMeshLoadBalancer(config);
    }
}
