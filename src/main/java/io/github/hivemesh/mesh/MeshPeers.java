package io.github.hivemesh.mesh;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentLimitExceededException;
import io.github.hivemesh.agent.DuplicateAgentException;
import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.agent.UnknownAgentException;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.completion.IDistributedCompletionDetector;
import io.github.hivemesh.internal.AgentControls;
import io.github.hivemesh.internal.util.Futures;
import io.github.hivemesh.internal.SwarmKernel;
import io.github.hivemesh.placement.CapabilityIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents of a mesh: spawning them as peers (all or nothing per batch), removing them, and
 * the lookups and views over the live incarnations. It is also the peers'
 * {@link MeshContext.Membership}: what only the registry of peers can do for a peer (retire it,
 * forget it, tell a waiting spawn that discovery moved).
 *
 * <h2>Spawning</h2>
 * A batch is checked and its ids and room reserved at once under one lock; each agent is then
 * registered (every step that can fail comes before the peer is visible, and a failure gives
 * its reservation back), made routable and announced; its spawn completes once discovery has
 * converged. A removal asked for while the spawn is under way takes effect when it has ended.
 *
 * <p>Thread-safe.
 */
final class MeshPeers implements MeshContext.Membership {

    private static final Logger LOG = LoggerFactory.getLogger(MeshPeers.class);

    private final SwarmKernel kernel;
    private final String swarmId;
    private final int maxAgents;
    private final MeshCoordinatorConfig meshConfig;
    private final PeerDiscoveryConfig discoveryConfig;
    private final IMessageBroker broker;
    private final IDistributedCompletionDetector detector;
    private final MeshRouter router;
    private final MeshLoadBalancer balancer;
    private final CapabilityIndex capabilities;
    private final DiscoveryBarrier discoveryBarrier;
    private final MeshContext context;
    /** This member's part in a cluster, or null in one JVM. */
    private final MeshCluster cluster;
    /** What makes this member's endpoint ids its own in a cluster ("" in one JVM). */
    private final String endpointSuffix;

    /** The live incarnation of each agent, by agent id. */
    private final Map<String, MeshPeer> peers;
    /** Ids of a spawn batch being registered; guarded by {@code spawnLock} with the count. */
    private final Set<String> reserved = new HashSet<>();
    private final Object spawnLock = new Object();
    private int agentCount;
    private final AtomicInteger spawned = new AtomicInteger();
    private final AtomicLong incarnations = new AtomicLong();

    /** What a mesh's peers are made of and told about; the parts are the coordinator's. */
    record Parts(SwarmKernel kernel, int maxAgents, MeshCoordinatorConfig meshConfig,
            IDistributedCompletionDetector detector,
            MeshRouter router, MeshLoadBalancer balancer, CapabilityIndex capabilities,
            PeerStateManager peerStates, IdlePausePolicy pausePolicy,
            ArtifactStorage checkpoints, String rootId, MeshCluster cluster) {
    }

    /**
     * @param peers the map of live peers by agent id, shared with the balancer's migrator (a
     *              thread-safe map; only this registry writes it)
     */
    MeshPeers(Parts parts, Map<String, MeshPeer> peers) {
        this.kernel = parts.kernel();
        this.swarmId = kernel.swarmId();
        this.maxAgents = parts.maxAgents();
        this.meshConfig = parts.meshConfig();
        this.discoveryConfig = discoveryConfig(meshConfig.discoveryInterval(),
                kernel.wire().isForced());
        this.broker = kernel.broker();
        this.detector = parts.detector();
        this.router = parts.router();
        this.balancer = parts.balancer();
        this.capabilities = parts.capabilities();
        this.peers = peers;
        this.cluster = parts.cluster();
        this.endpointSuffix = cluster == null ? "" : "." + cluster.tag();
        this.discoveryBarrier = new DiscoveryBarrier(this, kernel.runtime().scheduler(),
                swarmId, meshConfig.discoveryInterval());
        this.context = new MeshContext(kernel, router, detector, parts.peerStates(),
                parts.pausePolicy(), parts.checkpoints(), parts.rootId(), this, cluster);
    }

    /**
     * Discovery timing derived from the mesh's one interval: heartbeats at it, a peer presumed
     * gone after three missed, a full announcement every six; announcements and heartbeats as
     * bytes when wire encoding is {@code forced} (they would travel between processes too).
     */
    private static PeerDiscoveryConfig discoveryConfig(Duration interval, boolean forced) {
        Duration peerTimeout = interval.multipliedBy(3);
        return PeerDiscoveryConfig.builder()
                .heartbeatInterval(interval)
                .peerTimeout(peerTimeout)
                .discoveryInterval(interval.multipliedBy(6))
                // a slow mesh (interval > 100 s) would otherwise evict before it times out
                .evictionTimeout(peerTimeout.compareTo(PeerDiscoveryConfig.DEFAULT_EVICTION_TIMEOUT)
                        > 0 ? peerTimeout : PeerDiscoveryConfig.DEFAULT_EVICTION_TIMEOUT)
                .enableArtifactSharing(forced)
                .build();
    }

    // ---- spawning -----------------------------------------------------------------------

    /** Spawns a batch, all or nothing (see the class docs). */
    CompletableFuture<List<AgentHandle>> spawn(List<AgentDefinition> batch) {
        return kernel.admitted("spawn agents", () -> {
            reserve(batch);
            // tracked: a stop drops registrations still queued on the worker threads, and
            // their slice of the batch would never answer
            return kernel.track(Futures.forkEach(batch, kernel.runtime().worker(), definition ->
                    kernel.admitted("spawn agent '" + definition.id() + "'",
                            () -> register(definition))));
        });
    }

    /**
     * Checks a batch and reserves its ids and room, all or nothing.
     *
     * @throws DuplicateAgentException     for an id in use, reserved, or twice in the batch
     * @throws AgentLimitExceededException if the batch does not fit under {@code maxAgents}
     */
    private void reserve(List<AgentDefinition> batch) {
        Set<String> ids = new HashSet<>();
        synchronized (spawnLock) {
            for (AgentDefinition definition : batch) {
                String id = definition.id();
                SwarmKernel.checkAgentId(id);
                if (peers.containsKey(id) || reserved.contains(id)
                        || !ids.add(id) || cluster != null && cluster.remote(id) != null) {
                    throw new DuplicateAgentException(id);
                }
            }
            // in a cluster the limit is the swarm's, over every member's agents
            int existing = agentCount + (cluster == null ? 0 : cluster.remotes().size());
            if (existing + batch.size() > maxAgents) {
                throw new AgentLimitExceededException(batch.get(0).id(), maxAgents,
                        existing, batch.size());
            }
            agentCount += batch.size();
            reserved.addAll(ids);
        }
    }

    /**
     * Makes a reserved agent a routable peer; completes once discovery has converged. Every
     * step that can fail comes before the peer is visible, and a failure gives its reservation
     * back.
     */
    private CompletableFuture<AgentHandle> register(AgentDefinition definition) {
        String id = definition.id();
        MeshPeer peer;
        try {
            long incarnation = incarnations.incrementAndGet();
            String endpoint = MeshPeer.endpointOf(id, incarnation) + endpointSuffix;
            // in a cluster, membership is the discovery: the broker's directory
            IPeerDiscoverySystem discovery = meshConfig.discoveryEnabled() && cluster == null
                    ? new PeerDiscoverySystem(endpoint, definition.capabilities(), broker,
                            discoveryConfig, kernel.runtime().clock(),
                            kernel.runtime().scheduler())
                    : null;
            int concurrency = definition.maxConcurrentTasks()
                    .orElse(meshConfig.maxConcurrentTasksPerPeer());
            peer = new MeshPeer(definition, endpoint, incarnation, context,
                    detector.addPeer(endpoint), discovery, concurrency);
            broker.onPeerMessage(endpoint, peer::onMessage);
            if (!peer.cycle().started()) {
                throw kernel.refusal("spawn agent '" + id + "'");
            }
            balancer.updatePeerLoad(endpoint, 0);
            router.slots(endpoint, concurrency);
        } catch (RuntimeException e) {
            synchronized (spawnLock) {
                reserved.remove(id);
                agentCount--;
            }
            throw e;
        }
        synchronized (spawnLock) {
            peers.put(id, peer);
            reserved.remove(id);
        }
        spawned.incrementAndGet();
        CompletableFuture<AgentHandle> done;
        try {
            done = announce(peer);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        // a removal asked for meanwhile waits for this (see remove)
        done.whenComplete((handle, failure) -> peer.registered().complete(null));
        return done;
    }

    /** Makes a visible peer routable and starts its discovery; completes once it converged. */
    private CompletableFuture<AgentHandle> announce(MeshPeer peer) {
        capabilities.put(peer.endpoint(), peer.capabilities());
        if (cluster != null) {
            cluster.announce(peer.endpoint(), peer.capabilities(),
                    peer.definition().messageHandler().isPresent());
        }
        peer.publishState();
        // idle from the start: if tasks are queued behind busy slots, it may take some
        peer.post(PeerCommand.StealChance.INSTANCE);
        if (peer.discovery() == null) {
            return CompletableFuture.completedFuture(peer);
        }
        return kernel.track(peer.discovery().startDiscovery(swarmId)
                .exceptionally(failure -> {
                    // routable through the coordinator all the same: the spawn stands
                    LOG.warn("peer '{}' could not start discovery", peer.id(), failure);
                    return null;
                })
                .thenCompose(started -> discoveryBarrier.await(peer))
                .thenApply(discovered -> peer));
    }

    /** Removes an agent: see {@code ICoordinator.removeAgent}. */
    CompletableFuture<Void> remove(String agentId) {
        MeshPeer peer = peers.get(agentId);
        if (peer == null) {
            return CompletableFuture.failedFuture(new UnknownAgentException(agentId, swarmId));
        }
        // an agent still being spawned is removed once its spawn has ended (it would otherwise
        // be made routable again, and its discovery started, after it left); then it is not
        // routable from now on, its queued tasks move and its running ones finish
        // tracked: a stop may end the spawn, and so start the leave, after it failed the
        // requests it knew of
        return kernel.track(peer.registered().thenCompose(registered -> {
            capabilities.remove(peer.endpoint());
            return peer.leave();
        }));
    }

    /**
     * Terminates every peer, then fails the spawns still waiting for discovery: whoever a
     * failed spawn wakes finds none of the swarm's agents live any more. The stop's.
     */
    void stopAll() {
        for (MeshPeer peer : peers.values()) {
            peer.terminate();
        }
        discoveryBarrier.failAll(kernel.refusal("spawn"));
    }

    // ---- lookups and views --------------------------------------------------------------

    /** The live incarnation of an agent, or null. */
    MeshPeer get(String agentId) {
        return peers.get(agentId);
    }

    /** The agents not yet terminated. */
    List<AgentHandle> agents() {
        return AgentControls.live(peers.values());
    }

    int size() {
        return peers.size();
    }

    /** Incarnations spawned so far. */
    int spawned() {
        return spawned.get();
    }

    /** The longest discovery a spawn waited for so far. */
    Duration longestDiscovery() {
        return discoveryBarrier.longest();
    }

    /** Snapshots of every live peer. */
    List<PeerAgent> snapshots() {
        List<PeerAgent> snapshots = new ArrayList<>();
        for (MeshPeer peer : peers.values()) {
            snapshots.add(snapshot(peer));
        }
        return snapshots;
    }

    /** Snapshots of the live peers having every capability of {@code required}. */
    List<PeerAgent> snapshotsWithAll(Collection<String> required) {
        List<PeerAgent> found = new ArrayList<>();
        for (String endpoint : capabilities.nodesWithAll(required)) {
            MeshPeer peer = peers.get(MeshPeer.agentIdOf(endpoint));
            if (peer != null && peer.endpoint().equals(endpoint)) {
                found.add(snapshot(peer));
            }
        }
        return found;
    }

    /** A peer as the application sees it: its state, load and the neighbours it knows. */
    PeerAgent snapshot(MeshPeer peer) {
        Set<String> neighbors = new LinkedHashSet<>();
        IPeerDiscoverySystem view = peer.discovery();
        if (view != null) {
            long timeout = discoveryConfig.peerTimeout().toMillis();
            for (PeerInfo info : view.getAllPeers()) {
                if (!info.peerId().equals(peer.endpoint())
                        && view.isPeerAlive(info.peerId(), timeout)) {
                    neighbors.add(MeshPeer.agentIdOf(info.peerId()));
                }
            }
        } else {
            for (String endpoint : capabilities.nodes()) {
                if (!endpoint.equals(peer.endpoint())) {
                    neighbors.add(MeshPeer.agentIdOf(endpoint));
                }
            }
        }
        return peer.snapshot(balancer.getPeerLoad(peer.endpoint()), neighbors);
    }

    // ---- the peers' membership ----------------------------------------------------------

    @Override
    public void retire(MeshPeer peer) {
        if (peer.discovery() != null) {
            peer.discovery().stopDiscovery();
        }
        synchronized (spawnLock) {
            if (peers.remove(peer.id(), peer)) {
                agentCount--;
            }
        }
        balancer.removePeer(peer.endpoint());
        router.slots(peer.endpoint(), 0);
    }

    @Override
    public void forget(MeshPeer peer) {
        broker.removePeer(peer.endpoint());
        detector.removePeer(peer.endpoint());
    }

    @Override
    public void discoveryProgressed() {
        discoveryBarrier.progressed();
    }

    @Override
    public boolean isLive(String endpoint) {
        return capabilities.contains(endpoint);
    }

    @Override
    public Collection<MeshPeer> peers() {
        return peers.values();
    }

    @Override
    public String toString() {
        return "MeshPeers[" + swarmId + ", peers=" + peers.size() + "]";
    }
}
