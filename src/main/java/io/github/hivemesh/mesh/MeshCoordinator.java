package io.github.hivemesh.mesh;

import io.github.hivemesh.CoordinatorMetrics;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentLimitExceededException;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.DuplicateAgentException;
import io.github.hivemesh.agent.IQueryController;
import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.agent.QueryController;
import io.github.hivemesh.agent.TokenMeter;
import io.github.hivemesh.agent.UnknownAgentException;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.broker.BrokerMetrics;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.completion.CompletionRoot;
import io.github.hivemesh.completion.DistributedCompletionConfig;
import io.github.hivemesh.completion.DistributedCompletionDetector;
import io.github.hivemesh.completion.IDistributedCompletionDetector;
import io.github.hivemesh.completion.CompletionProbe;
import io.github.hivemesh.internal.AgentControls;
import io.github.hivemesh.internal.AgentMail;
import io.github.hivemesh.internal.Futures;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.internal.SwarmKernel;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.TaskRegistry;
import io.github.hivemesh.internal.wire.Signal;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.memory.ISwarmMemoryManager;
import io.github.hivemesh.placement.CapabilityIndex;
import io.github.hivemesh.placement.PlacementStrategy;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.task.BroadcastResult;
import io.github.hivemesh.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(MeshCoordinator.class);
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
    private final PeerDiscoveryConfig discoveryConfig;
    private final DiscoveryBarrier discoveryBarrier;
    private final PeerStateManager peerStates;
    private final IdlePausePolicy pausePolicy;
    private final MeshContext context;
    private final AgentControls agentControls;
    private final QueryController queryController;

    /** The live incarnation of each agent, by agent id. */
    private final ConcurrentHashMap<String, MeshPeer> peers = new ConcurrentHashMap<>();
    /** Ids of a spawn batch being registered; guarded by {@code spawnLock} with the count. */
    private final Set<String> reserved = new HashSet<>();
    private final Object spawnLock = new Object();
    private int agentCount;
    private final AtomicInteger spawned = new AtomicInteger();
    private final AtomicLong incarnations = new AtomicLong();
    private volatile ScheduledFuture<?> rebalanceTimer;
    private volatile ScheduledFuture<?> pauseSweeper;

    /**
     * A mesh for the given swarm configuration. Prefer
     * {@code CoordinatorFactory.createWithTopology}, which validates the topology first.
     */
    public MeshCoordinator(SwarmConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.meshConfig = config.meshConfig();
        this.swarmId = config.swarmId();
        this.rootId = "hivemesh.root." + swarmId;
        this.kernel = new SwarmKernel(config, "hivemesh-mesh-" + INSTANCES.incrementAndGet());
        this.broker = kernel.broker();
        this.registry = kernel.registry();
        ScheduledExecutorService scheduler = kernel.runtime().scheduler();
        this.detector = DistributedCompletionDetector.createDistributedCompletionDetector(swarmId,
                rootId, this::signal, DistributedCompletionConfig.builder()
                        .defaultTimeout(meshConfig.completionTimeout())
                        .clock(config.clock())
                        .scheduler(scheduler)
                        .build());
        this.root = detector.root();
        LoadBalancerConfig.Builder balancing = LoadBalancerConfig.builder()
                .strategy(meshConfig.loadBalancingEnabled() ? PlacementStrategy.LEAST_LOADED_FAIR
                        : PlacementStrategy.RANDOM);
        config.randomSeed().ifPresent(balancing::seed);
        this.balancer = new MeshLoadBalancer(balancing.build(), new PeerMigrator(),
                config.clock());
        this.router = new MeshRouter(kernel, rootId, root, capabilities, balancer);
        this.rootActor = new MeshRoot(rootId, root, router, broker, registry);
        Duration peerTimeout = meshConfig.discoveryInterval().multipliedBy(3);
        this.discoveryConfig = PeerDiscoveryConfig.builder()
                .heartbeatInterval(meshConfig.discoveryInterval())
                .peerTimeout(peerTimeout)
                .discoveryInterval(meshConfig.discoveryInterval().multipliedBy(6))
                // a slow mesh (interval > 100 s) would otherwise evict before it times out
                .evictionTimeout(peerTimeout.compareTo(PeerDiscoveryConfig.DEFAULT_EVICTION_TIMEOUT)
                        > 0 ? peerTimeout : PeerDiscoveryConfig.DEFAULT_EVICTION_TIMEOUT)
                .build();
        Membership membership = new Membership();
        this.discoveryBarrier = new DiscoveryBarrier(membership, scheduler, swarmId,
                meshConfig.discoveryInterval());
        this.peerStates = new PeerStateManager(swarmId, kernel.memory(), kernel.artifacts(),
                config.clock());
        this.pausePolicy = config.autoPause() ? config.newIdlePausePolicy()
                : IdlePausePolicy.never();
        this.context = new MeshContext(kernel, router, detector, peerStates, pausePolicy,
                config.checkpointsEnabled() ? peerStates.storage() : null, rootId, membership);
        this.agentControls = new AgentControls(swarmId, peers::get, peers::values);
        this.queryController = new QueryController(agentControls, config.tokenCostModel());
        kernel.bind(new MeshTopology());
    }

    /**
     * The seed's {@code createMeshCoordinator}: a mesh from its own configuration, capped at
     * {@link MeshCoordinatorConfig#peerCount()} peers.
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

    boolean isAccepting() {
        return kernel.isAccepting();
    }

    /** Why {@code what} cannot be done now (not initialized, or shut down). */
    RuntimeException refusal(String what) {
        return kernel.refusal(what);
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
        return kernel.admitted("spawn agents", () -> {
            reserve(batch);
            return Futures.forkEach(batch, kernel.runtime().worker(), definition ->
                    kernel.admitted("spawn agent '" + definition.id() + "'",
                            () -> register(definition)));
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
                        || !ids.add(id)) {
                    throw new DuplicateAgentException(id);
                }
            }
            if (agentCount + batch.size() > config.maxAgents()) {
                throw new AgentLimitExceededException(batch.get(0).id(), config.maxAgents(),
                        agentCount, batch.size());
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
            String endpoint = MeshPeer.endpointOf(id, incarnation);
            IPeerDiscoverySystem discovery = meshConfig.discoveryEnabled()
                    ? new PeerDiscoverySystem(endpoint, definition.capabilities(), broker,
                            discoveryConfig, kernel.runtime().clock(),
                            kernel.runtime().scheduler())
                    : null;
            int concurrency = definition.maxConcurrentTasks()
                    .orElse(meshConfig.maxConcurrentTasksPerPeer());
            peer = new MeshPeer(definition, endpoint, incarnation, context,
                    detector.addPeer(endpoint), discovery, concurrency);
            broker.onPeerMessage(endpoint, peer::onMessage);
            peer.cycle().started();
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
        capabilities.put(peer.endpoint(), definition.capabilities());
        peer.publishState();
        // idle from the start: if tasks are queued behind busy slots, it may take some
        peer.post(PeerCommand.StealChance.INSTANCE);
        if (peer.discovery() == null) {
            return CompletableFuture.completedFuture(peer);
        }
        return kernel.track(peer.discovery().startDiscovery(swarmId)
                .exceptionally(failure -> {
                    // routable through the coordinator all the same: the spawn stands
                    LOG.warn("peer '{}' could not start discovery", id, failure);
                    return null;
                })
                .thenCompose(started -> discoveryBarrier.await(peer))
                .thenApply(discovered -> peer));
    }

    @Override
    public CompletableFuture<Void> removeAgent(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        MeshPeer peer = peers.get(agentId);
        if (peer == null) {
            return CompletableFuture.failedFuture(new UnknownAgentException(agentId, swarmId));
        }
        // not routable from now on; queued tasks move, running ones finish
        capabilities.remove(peer.endpoint());
        return peer.leave();
    }

    @Override
    public List<AgentHandle> agents() {
        List<AgentHandle> live = new ArrayList<>();
        for (MeshPeer peer : peers.values()) {
            if (peer.state() != AgentState.TERMINATED) {
                live.add(peer);
            }
        }
        return live;
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

    // ---- pausing ----------------------------------------------------------------------

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

    /** Sends a Dijkstra–Scholten signal as a wire message. The signalling peer's mailbox. */
    private void signal(CompletionProbe acknowledgment) {
        Signal signal = new Signal(acknowledgment.epoch(), acknowledgment.senderId(),
                acknowledgment.recipientId(), new long[] {acknowledgment.messageId()});
        if (broker.sendControl(acknowledgment.recipientId(), acknowledgment.senderId(),
                Message.of(Signal.TYPE, kernel.wire().carry(signal), acknowledgment.recipientId(),
                        acknowledgment.senderId())).isCompletedExceptionally()) {
            LOG.debug("completion signal {} not sent: the swarm is stopping", acknowledgment);
        }
    }

    // ---- views ------------------------------------------------------------------------

    @Override
    public List<PeerAgent> getActivePeers() {
        List<PeerAgent> snapshots = new ArrayList<>();
        for (MeshPeer peer : peers.values()) {
            snapshots.add(snapshot(peer));
        }
        return snapshots;
    }

    @Override
    public Optional<PeerAgent> getPeer(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        return Optional.ofNullable(peers.get(peerId)).map(this::snapshot);
    }

    @Override
    public List<PeerAgent> findPeersByCapabilities(Collection<String> required) {
        Objects.requireNonNull(required, "capabilities");
        List<PeerAgent> found = new ArrayList<>();
        for (String endpoint : capabilities.nodesWithAll(required)) {
            MeshPeer peer = peers.get(MeshPeer.agentIdOf(endpoint));
            if (peer != null && peer.endpoint().equals(endpoint)) {
                found.add(snapshot(peer));
            }
        }
        return found;
    }

    private PeerAgent snapshot(MeshPeer peer) {
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

    /** The load balancer (for tests and the coordinator's views), keyed by peer endpoint. */
    IMeshLoadBalancer balancer() {
        return balancer;
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
        return new MeshMetrics(spawned.get(), peers.size(), distribution.average(),
                discoveryBarrier.longest(), kernel.lastDetection(), messages.accepted(),
                messages.delivered(), registry.startDelayPercentile(0.95),
                queryController.getMeshTokenSavings(swarmId).percentage(),
                router.tasksMoved());
    }

    /**
     * The completion detector (its probes and deficits are part of the seed's API). Peers are
     * known to it by their endpoints ({@code <agent id>@<incarnation>}), the root by
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

    /** What the kernel asks of the mesh. */
    private final class MeshTopology implements SwarmKernel.Topology {
        @Override
        public void beforeRegister(Task task, boolean delegated) {
            if (!delegated) {
                // held from before anyone can see it until it is sent (or waits at the root);
                // a delegated one is covered by its parent's running session
                root.hold();
            }
        }

        @Override
        public void notRegistered(Task task, boolean delegated) {
            if (!delegated) {
                root.release();
            }
        }

        @Override
        public void route(TaskRecord record, String delegatingAgentId) {
            if (delegatingAgentId == null) {
                if (record.dependencies() == null) {
                    router.dispatchFromRoot(record);
                } else {
                    broker.sendControl(rootId, rootId, MeshCommand.message(
                            new RootCommand.Submit(record), rootId, rootId));
                }
                return;
            }
            MeshPeer peer = peers.get(delegatingAgentId);
            if (peer == null) {
                throw new IllegalStateException("no live peer '" + delegatingAgentId
                        + "' to delegate '" + record.id() + "' from");
            }
            peer.post(new PeerCommand.Delegate(record));
        }

        @Override
        public CompletableFuture<Void> sendToPeer(String fromAgentId, String toAgentId,
                String type, Object payload) {
            MeshPeer target = peers.get(toAgentId);
            CompletableFuture<Void> refused = AgentMail.refusal(swarmId, toAgentId,
                    target != null, target != null
                            && target.definition().messageHandler().isPresent());
            if (refused != null) {
                return refused;
            }
            return sendMails(fromAgentId, List.of(mailOut(fromAgentId, target, type, payload)))
                    .thenCompose(result -> result.refused().isEmpty()
                            ? CompletableFuture.<Void>completedFuture(null)
                            : CompletableFuture.<Void>failedFuture(
                                    result.refused().get(toAgentId)));
        }

        @Override
        public CompletableFuture<BroadcastResult> broadcast(String fromAgentId,
                String capability, String type, Object payload) {
            List<PeerCommand.MailOut> outgoing = new ArrayList<>();
            for (MeshPeer peer : peers.values()) {
                if (!peer.id().equals(fromAgentId)
                        && peer.definition().messageHandler().isPresent()
                        && (capability == null || peer.capabilities().contains(capability))) {
                    outgoing.add(mailOut(fromAgentId, peer, type, payload));
                }
            }
            return sendMails(fromAgentId, outgoing);
        }

        private PeerCommand.MailOut mailOut(String from, MeshPeer to, String type,
                Object payload) {
            return new PeerCommand.MailOut(to.id(), to.endpoint(), (UserMail) kernel.wire()
                    .carry(new UserMail(from, to.id(), type, payload)));
        }

        /**
         * Sends user messages as basic messages: the application's from the root (its part of
         * the detector is thread-safe), an agent's from its peer's mailbox.
         */
        private CompletableFuture<BroadcastResult> sendMails(String fromAgentId,
                List<PeerCommand.MailOut> outgoing) {
            if (fromAgentId.equals(SwarmKernel.APPLICATION)) {
                return CompletableFuture.completedFuture(router.sendMails(root, rootId,
                        outgoing));
            }
            MeshPeer sender = peers.get(fromAgentId);
            if (sender == null) {
                return CompletableFuture.failedFuture(new UnknownAgentException(fromAgentId,
                        swarmId));
            }
            CompletableFuture<BroadcastResult> done = new CompletableFuture<>();
            if (sender.post(new PeerCommand.SendMail(outgoing, done))
                    .isCompletedExceptionally()) {
                done.completeExceptionally(refusal("send messages from '" + fromAgentId + "'"));
            }
            return kernel.track(done);
        }

        @Override
        public void recordTokens(String agentId, TaskRecord record,
                Consumer<TokenMeter> report) {
            MeshPeer peer = peers.get(agentId);
            if (peer != null) {
                report.accept(peer.meter());
            }
        }

        @Override
        public void sessionEnded(SessionTask session, boolean onSessionThread) {
            MeshPeer peer = MeshPeer.of(session);
            if (onSessionThread) {
                // the session's thread is about to go idle: let it carry "done" and the
                // completion signals it triggers up the tree, instead of waking a dispatcher
                broker.runInline(() -> peer.sessionEnded(session));
            } else {
                peer.sessionEnded(session);
            }
        }

        @Override
        public CompletableFuture<Boolean> awaitQuiescence(Duration timeout) {
            return detector.detectCompletion(swarmId, timeout);
        }

        @Override
        public void failWaiters() {
            detector.shutdown();
        }

        @Override
        public void stopAgents() {
            discoveryBarrier.failAll(refusal("spawn"));
            for (MeshPeer peer : peers.values()) {
                peer.terminate();
            }
        }
    }

    /** What only the coordinator can do for its peers. */
    private final class Membership implements MeshContext.Membership {
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
    }

    /** Moves queued tasks between peers for the balancer, through the peers' mailboxes. */
    private final class PeerMigrator implements TaskMigrator {
        @Override
        public boolean movesLoad() {
            // the peer moves the load when it moves the task, in its own mailbox
            return true;
        }

        @Override
        public List<String> movableTasks(String endpoint) {
            MeshPeer peer = peerAt(endpoint);
            return peer == null ? List.of() : peer.movableTasks();
        }

        @Override
        public CompletableFuture<Boolean> moveTask(String taskId, String fromEndpoint,
                String toEndpoint) {
            MeshPeer from = peerAt(fromEndpoint);
            return from == null ? CompletableFuture.completedFuture(false)
                    : from.requestMigration(taskId, toEndpoint);
        }

        private MeshPeer peerAt(String endpoint) {
            MeshPeer peer = peers.get(MeshPeer.agentIdOf(endpoint));
            return peer != null && peer.endpoint().equals(endpoint) ? peer : null;
        }
    }
}
