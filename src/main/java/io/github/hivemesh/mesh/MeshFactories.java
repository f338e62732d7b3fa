package io.github.hivemesh.mesh;

import io.github.hivemesh.broker.IMessageBroker;
import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The seed's static factories for the mesh building blocks. {@code CoordinatorFactory}
 * delegates to these.
 */
public final class MeshFactories {

    private MeshFactories() {
    }

    /**
     * {@return one peer's discovery system (one per peer; see {@link PeerDiscoverySystem})}
     *
     * @param localPeerId  the peer whose view it holds
     * @param capabilities the peer's capabilities
     * @param broker       carries discovery messages; the caller routes the peer's messages to
     *     {@link IPeerDiscoverySystem#handleMessage}
     * @param config       intervals and timeouts
     * @param clock        time for liveness
     * @param scheduler    runs the heartbeat and rediscovery timers
     */
    public static IPeerDiscoverySystem createPeerDiscoverySystem(String localPeerId,
            Collection<String> capabilities, IMessageBroker broker, PeerDiscoveryConfig config,
            Clock clock, ScheduledExecutorService scheduler) {
        return new PeerDiscoverySystem(localPeerId, capabilities, broker, config, clock,
                scheduler);
    }

    /**
     * {@return a load balancer moving tasks through {@code migrator}}
     *
     * @param config intervals and timeouts
     * @param migrator moves a task from one peer to another
     * @param clock time for liveness
     */
    public static IMeshLoadBalancer createMeshLoadBalancer(LoadBalancerConfig config,
            TaskMigrator migrator, Clock clock) {
        return new MeshLoadBalancer(config, migrator, clock);
    }

    /**
     * {@return a load balancer that never moves tasks, on the system clock (the seed's signature)}
     *
     * @param config intervals and timeouts
     */
    public static IMeshLoadBalancer createMeshLoadBalancer(LoadBalancerConfig config) {
        return new MeshLoadBalancer(config, TaskMigrator.NONE, Clock.systemUTC());
    }
}
