package io.github.hivemesh.mesh;

import io.github.hivemesh.CoordinatorMetrics;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.IQueryController;
import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.agent.QueryController;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.broker.BrokerMetrics;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.cluster.ClusterMessageBroker;
import io.github.hivemesh.completion.CompletionProbe;
import io.github.hivemesh.completion.CompletionRoot;
import io.github.hivemesh.completion.CompletionSignal;
import io.github.hivemesh.completion.DistributedCompletionConfig;
import io.github.hivemesh.completion.DistributedCompletionDetector;
import io.github.hivemesh.completion.IDistributedCompletionDetector;
import io.github.hivemesh.completion.SignalTransport;
import io.github.hivemesh.internal.AgentControls;
import io.github.hivemesh.internal.util.Futures;
import io.github.hivemesh.internal.SwarmKernel;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.TaskRegistry;
import io.github.hivemesh.memory.ISwarmMemoryManager;
import io.github.hivemesh.placement.CapabilityIndex;
import io.github.hivemesh.placement.PlacementStrategy;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.BroadcastResult;
import io.github.hivemesh.task.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer-to-peer swarm: every agent is a {@link MeshPeer} with its own mailbox on the broker;
 * peers place subtasks on each other directly, least-loaded first, and the swarm learns that
 * all work has ended through Dijkstra–Scholten ({@link DistributedCompletionDetector}), with
 * this coordinator as the virtual root.
 *
 * <h2>Paths of a task</h2>
 * <ul>
 *   <li><b>Submitted, no dependencies</b>: held at the root from before it is registered,
 *       placed on the submitting thread — the least-loaded live peer having all its
 *       capabilities — and sent as a basic message from the root.</li>
 *   <li><b>Submitted or delegated with dependencies</b>: held at the root ({@link MeshRoot})
 *       until they complete.</li>
 *   <li><b>Delegated</b>: the session's peer places and sends it from its own mailbox; with
 *       discovery on, it chooses among the peers its own discovery view knows.</li>
 *   <li><b>Refused for mailbox space</b>: kept by its sender (root backlog or peer outbox) and
 *       resent a millisecond later; the sender stays engaged meanwhile, so completion is
 *       never reported early.</li>
 * </ul>
 * A task's future completes before the peer holding it may count it out (see
 * {@link TaskRecord}), so every ended task's future is complete before quiescence can be
 * reported.
 *
 * <h2>Peers and incarnations</h2>
 * Each spawn of an agent is a new <em>incarnation</em> with an endpoint of its own
 * ({@code <agent id>@<n>}) on the broker, in the detector, the balancer and the capability
 * index. An agent removed and spawned again under the same id is a different endpoint, so a
 * message or a placement decision meant for the old one never reaches the new one: a send to
 * a removed endpoint is refused, and one the old peer accepted just before it went is bounced
 * back to its sender, which places the task again.
 *
 * <h2>Threads</h2>
 * Peers and the root are serial actors on the broker's dispatcher; sessions run on the worker
 * executor; timers (resends, rebalancing, discovery) on the scheduler. Thread-safe.
 */
public final class MeshCoordinator implements IMeshCoordinator {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final SwarmKernel kernel;
    private final SwarmConfig config;
    private final MeshCoordinatorConfig meshConfig;
    private final String swarmId;
    private final String rootId;
    private final IMessageBroker broker;
    private final TaskRegistry registry;
    private final IDistributedCompletionDetector detector;
    private final CompletionRoot root;
    private final MeshRoot rootActor;
    private final MeshLoadBalancer balancer;
    private final MeshRouter router;
    private final CapabilityIndex capabilities = new CapabilityIndex();
    private final PeerStateManager peerStates;
    private final MeshPeers peers;
    /** This member's part in a cluster, or null in one JVM. */
    private final MeshCluster cluster;
    private final AgentControls agentControls;
    private final QueryController queryController;
    private volatile ScheduledFuture<?> rebalanceTimer;
    private volatile ScheduledFuture<?> pauseSweeper;

    /**
     * A mesh for the given swarm configuration. Prefer
     * {@code CoordinatorFactory.createWithTopology}, which validates the topology first.
     *
     * @param config the settings
     */
    public MeshCoordinator(SwarmConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.meshConfig = config.meshConfig();
        this.swarmId = config.swarmId();
        this.kernel = new SwarmKernel(config, "hivemesh-mesh-" + INSTANCES.incrementAndGet());
        this.broker = kernel.broker();
        this.cluster = broker instanceof ClusterMessageBroker member
                ? new MeshCluster(kernel, member) : null;
        // in a cluster every member is a root of its own
        this.rootId = "hivemesh.root." + swarmId + (cluster == null ? "" : "." + cluster.tag());
        this.registry = kernel.registry();
        ScheduledExecutorService scheduler = kernel.runtime().scheduler();
        SignalTransport[] signals = new SignalTransport[1];
        this.detector = DistributedCompletionDetector.createDistributedCompletionDetector(swarmId,
                rootId, new SignalTransport() {
                    @Override
                    public void send(CompletionProbe acknowledgment) {
                        signals[0].send(acknowledgment);
                    }

                    @Override
                    public void send(CompletionSignal signal) {
                        signals[0].send(signal);
                    }
                }, DistributedCompletionConfig.builder()
                        .defaultTimeout(meshConfig.completionTimeout())
                        .clock(config.clock())
                        .scheduler(scheduler)
                        .build());
        this.root = detector.root();
        LoadBalancerConfig.Builder balancing = LoadBalancerConfig.builder()
                .strategy(meshConfig.loadBalancingEnabled() ? PlacementStrategy.LEAST_LOADED_FAIR
                        : PlacementStrategy.RANDOM);
        config.randomSeed().ifPresent(balancing::seed);
        Map<String, MeshPeer> live = new ConcurrentHashMap<>();
        this.balancer = new MeshLoadBalancer(balancing.build(), new PeerMigrator(live),
                config.clock());
        this.router = new MeshRouter(kernel, rootId, root, capabilities, balancer, cluster);
        signals[0] = router.signals();
        if (cluster != null) {
            cluster.bind(rootId, capabilities, balancer, router, detector);
        }
        this.rootActor = new MeshRoot(rootId, root, router, broker, registry);
        this.peerStates = new PeerStateManager(swarmId, kernel.memory(), kernel.artifacts(),
                config.clock());
        IdlePausePolicy pausePolicy = config.autoPause() ? config.newIdlePausePolicy()
                : IdlePausePolicy.never();
        this.peers = new MeshPeers(new MeshPeers.Parts(kernel, config.maxAgents(), meshConfig,
                detector, router, balancer, capabilities, peerStates,
                pausePolicy, config.checkpointsEnabled() ? peerStates.storage() : null, rootId,
                cluster),
                live);
        this.agentControls = new AgentControls(swarmId, live::get, live::values);
        this.queryController = new QueryController(agentControls, config.tokenCostModel());
        kernel.bind(new MeshTopology(kernel, peers, router, detector, rootId));
    }

    /**
     * {@return the seed's {@code createMeshCoordinator}: a mesh from its own configuration, capped
     * at {@link MeshCoordinatorConfig#peerCount()} peers}
     *
     * @param config the settings
     */
    public static MeshCoordinator createMeshCoordinator(MeshCoordinatorConfig config) {
        Objects.requireNonNull(config, "config");
        return new MeshCoordinator(SwarmConfig.builder()
                .topology(Topology.MESH)
                .maxAgents(config.peerCount())
                .meshConfig(config)
                .brokerConfig(config.brokerConfig())
                .build());
    }

    // ---- lifecycle --------------------------------------------------------------------

    @Override
    public Topology topology() {
        return Topology.MESH;
    }

    @Override
    public String swarmId() {
        return swarmId;
    }

    @Override
    public CompletableFuture<Void> initialize() {
        return kernel.start(() -> {
            // the root listens before anything can be accepted
            broker.onPeerMessage(rootId, rootActor::onMessage);
            detector.initialize(List.of());
            if (cluster != null) {
                cluster.start();
            }
            ScheduledExecutorService scheduler = kernel.runtime().scheduler();
            if (meshConfig.autoRebalance()) {
                long period = meshConfig.rebalanceInterval().toNanos();
                rebalanceTimer = scheduler.scheduleAtFixedRate(this::autoRebalance, period,
                        period, TimeUnit.NANOSECONDS);
            }
            if (config.autoPause()) {
                long period = config.pauseCheckInterval().toNanos();
                pauseSweeper = scheduler.scheduleAtFixedRate(
                        () -> agentControls.sweep(kernel.runtime().clock().millis()), period,
                        period, TimeUnit.NANOSECONDS);
            }
        });
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        return kernel.shutdown(() -> {
            for (ScheduledFuture<?> timer : new ScheduledFuture<?>[] {rebalanceTimer,
                pauseSweeper}) {
                if (timer != null) {
                    timer.cancel(false);
                }
            }
        });
    }

    @Override
    public void close() {
        shutdown().join();
    }

    // ---- agents -----------------------------------------------------------------------

    @Override
    public CompletableFuture<AgentHandle> spawnAgent(AgentDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        return Futures.unwrapped(spawnAgents(List.of(definition))
                .thenApply(handles -> handles.get(0)));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The whole batch is checked and its ids and room reserved first (ids unique and free,
     * room under {@code maxAgents}), so a refused batch spawns nothing. The agents are then
     * registered in parallel on the worker executor ("session forking"), and the future
     * completes when every one is routable and, with discovery on, known to every live peer.
     */
    @Override
    public CompletableFuture<List<AgentHandle>> spawnAgents(
            Collection<AgentDefinition> definitions) {
        Objects.requireNonNull(definitions, "definitions");
        List<AgentDefinition> batch = new ArrayList<>(definitions);
        for (AgentDefinition definition : batch) {
            Objects.requireNonNull(definition, "definitions contains null");
        }
        return peers.spawn(batch);
    }

    @Override
    public CompletableFuture<Void> removeAgent(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        return peers.remove(agentId);
    }

    @Override
    public List<AgentHandle> agents() {
        return peers.agents();
    }

    // ---- tasks ------------------------------------------------------------------------

    @Override
    public CompletableFuture<TaskResult> submitTask(Task task) {
        return kernel.submit(task);
    }

    @Override
    public CompletableFuture<String> assignTaskToPeer(Task task) {
        SwarmKernel.Accepted accepted = kernel.accept(task, null, null);
        return accepted.record() == null
                ? Futures.unwrapped(accepted.future().thenApply(TaskResult::agentId))
                : accepted.record().placement();
    }

    @Override
    public Optional<TaskStatus> taskStatus(String taskId) {
        return kernel.taskStatus(taskId);
    }

    @Override
    public CompletableFuture<Boolean> waitForCompletion(Duration timeout) {
        return kernel.waitForCompletion(timeout);
    }

    @Override
    public CompletableFuture<Boolean> waitForMeshCompletion() {
        return waitForCompletion(meshConfig.completionTimeout());
    }

    // ---- messages, memory, queries -----------------------------------------------------

    @Override
    public CompletableFuture<Void> sendToPeer(String agentId, String type, Object payload) {
        return kernel.sendToPeer(agentId, type, payload);
    }

    @Override
    public CompletableFuture<BroadcastResult> broadcast(String type, Object payload) {
        return kernel.broadcast(null, type, payload);
    }

    @Override
    public CompletableFuture<BroadcastResult> broadcastToCapability(String capability,
            String type, Object payload) {
        Objects.requireNonNull(capability, "capability");
        return kernel.broadcast(capability, type, payload);
    }

    @Override
    public ISwarmMemoryManager memory() {
        return kernel.memory();
    }

    @Override
    public ArtifactStorage artifacts() {
        return kernel.artifacts();
    }

    @Override
    public IQueryController queryController() {
        return queryController;
    }

    /** The root's endpoint id (for tests). */
    String rootId() {
        return rootId;
    }

    /** The peer states' store (for tests). */
    PeerStateManager peerStates() {
        return peerStates;
    }

    // ---- views ------------------------------------------------------------------------

    @Override
    public List<PeerAgent> getActivePeers() {
        return peers.snapshots();
    }

    /**
     * The agents the other members of the cluster host, by id, as their members announced them
     * — placement candidates here like this member's own (cluster mode; empty in one JVM).
     * They are not handles: pausing or removing one is its member's call.
     *
     * @return the other members' agent ids, in no particular order
     */
    public List<String> remoteAgents() {
        if (cluster == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        cluster.remotes().forEach(remote -> ids.add(MeshPeer.agentIdOf(remote.id())));
        return ids;
    }

    @Override
    public Optional<PeerAgent> getPeer(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        return Optional.ofNullable(peers.get(peerId)).map(peers::snapshot);
    }

    @Override
    public List<PeerAgent> findPeersByCapabilities(Collection<String> required) {
        Objects.requireNonNull(required, "capabilities");
        return peers.snapshotsWithAll(required);
    }

    /** {@inheritDoc} Peers are named by their agent ids. */
    @Override
    public CompletableFuture<RebalanceResult> rebalanceMesh() {
        return balancer.rebalance(swarmId).thenApply(result -> new RebalanceResult(
                result.swarmId(), result.migrations().stream()
                        .map(m -> new RebalanceResult.Migration(m.taskId(),
                                MeshPeer.agentIdOf(m.fromPeerId()),
                                MeshPeer.agentIdOf(m.toPeerId()))).toList(),
                result.failedAttempts(), result.before().renamed(MeshPeer::agentIdOf),
                result.after().renamed(MeshPeer::agentIdOf)));
    }

    private void autoRebalance() {
        if (!balancer.isBalanced(meshConfig.imbalanceThreshold())) {
            balancer.rebalance(swarmId);
        }
    }

    @Override
    public CoordinatorMetrics getMetrics() {
        return kernel.metrics(registry.waiting(), peers.size(),
                detector.getMetrics().acknowledgmentsReceived());
    }

    @Override
    public MeshMetrics getMeshMetrics() {
        BrokerMetrics messages = broker.getMetrics();
        LoadDistribution distribution = balancer.getLoadDistribution();
        return new MeshMetrics(peers.spawned(), peers.size(), distribution.average(),
                peers.longestDiscovery(), kernel.lastDetection(), messages.accepted(),
                messages.delivered(), registry.startDelayPercentile(0.95),
                queryController.getMeshTokenSavings(swarmId).percentage(),
                router.tasksMoved());
    }

    /**
     * {@return the completion detector (its probes and deficits are part of the seed's API)} Peers
     * are known to it by their endpoints ({@code <agent id>@<incarnation>}), the root by
     * {@code hivemesh.root.<swarm id>}.
     */
    public IDistributedCompletionDetector completionDetector() {
        return detector;
    }

    @Override
    public String toString() {
        return "MeshCoordinator[" + swarmId + ", peers=" + peers.size() + ", "
                + kernel.lifecycle() + "]";
    }
}
