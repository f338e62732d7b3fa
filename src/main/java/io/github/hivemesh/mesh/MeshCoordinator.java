package io.github.hivemesh.mesh;

import io.github.hivemesh.CoordinatorMetrics;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.SwarmSaturatedException;
import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentLimitExceededException;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.IQueryController;
import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.agent.QueryController;
import io.github.hivemesh.agent.UnknownAgentException;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.agent.DuplicateAgentException;
import io.github.hivemesh.broker.BrokerMetrics;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.completion.CompletionRoot;
import io.github.hivemesh.completion.DistributedCompletionConfig;
import io.github.hivemesh.completion.DistributedCompletionDetector;
import io.github.hivemesh.completion.IDistributedCompletionDetector;
import io.github.hivemesh.completion.SignalTransport;
import io.github.hivemesh.internal.AgentControls;
import io.github.hivemesh.internal.AgentMail;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.internal.Futures;
import io.github.hivemesh.internal.SubmissionGate;
import io.github.hivemesh.internal.SwarmLifecycle;
import io.github.hivemesh.internal.SwarmRuntime;
import io.github.hivemesh.internal.TaskHost;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.TaskRegistry;
import io.github.hivemesh.placement.CapabilityIndex;
import io.github.hivemesh.placement.PlacementStrategy;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.task.TaskStatus;
import io.github.hivemesh.task.UnknownDependencyException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
 *   <li><b>Submitted, no dependencies</b>: placed on the submitting thread — the least-loaded
 *       live peer having all its capabilities — and sent as a basic message from the root.</li>
 *   <li><b>Submitted or delegated with dependencies</b>: held at the root ({@link MeshRoot})
 *       until they complete.</li>
 *   <li><b>Delegated</b>: the session's peer places and sends it from its own mailbox; with
 *       discovery on, it chooses among the peers its own discovery view knows.</li>
 *   <li><b>Refused for mailbox space</b>: kept by its sender (root backlog or peer outbox) and
 *       resent a millisecond later; the sender stays engaged meanwhile, so completion is
 *       never reported early.</li>
 * </ul>
 * A task's future completes on its session's thread before the peer hears the session ended,
 * so every ended task's future is complete before quiescence can be reported.
 *
 * <h2>Threads</h2>
 * Peers and the root are serial actors on the broker's dispatcher; sessions run on the worker
 * executor; timers (resends, rebalancing, discovery) on the scheduler. Thread-safe.
 */
public final class MeshCoordinator implements IMeshCoordinator, TaskHost {

    private static final Logger LOG = LoggerFactory.getLogger(MeshCoordinator.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();


    private final SwarmConfig config;
    private final MeshCoordinatorConfig meshConfig;
    private final String swarmId;
    private final String rootId;
    private final SwarmRuntime runtime;
    private final IMessageBroker broker;
    private final boolean ownsBroker;
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
    private final SubmissionGate gate;
    private final AgentControls agentControls;
    private final QueryController queryController;

    private final ConcurrentHashMap<String, MeshPeer> peers = new ConcurrentHashMap<>();
    private final AtomicInteger agentCount = new AtomicInteger();
    private final AtomicInteger spawned = new AtomicInteger();
    private final SwarmLifecycle lifecycle;
    private volatile Duration lastDetection = Duration.ZERO;
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
        this.lifecycle = new SwarmLifecycle(swarmId);
        this.runtime = new SwarmRuntime("hivemesh-mesh-" + INSTANCES.incrementAndGet(),
                config.clock(), config.workerExecutor(), config.scheduler());
        this.ownsBroker = config.broker().isEmpty();
        this.broker = config.broker().orElseGet(() ->
                new InProcessMessageBroker(config.brokerConfig()));
        this.registry = new TaskRegistry(config.clock(), config.taskRetention());
        this.detector = DistributedCompletionDetector.createDistributedCompletionDetector(swarmId,
                rootId, SignalTransport.overBroker(broker), DistributedCompletionConfig.builder()
                        .defaultTimeout(meshConfig.completionTimeout())
                        .clock(config.clock())
                        .scheduler(runtime.scheduler())
                        .build());
        this.root = detector.root();
        this.rootActor = new MeshRoot(this, root, registry);
        LoadBalancerConfig.Builder balancing = LoadBalancerConfig.builder()
                .strategy(meshConfig.loadBalancingEnabled() ? PlacementStrategy.LEAST_LOADED_FAIR
                        : PlacementStrategy.RANDOM);
        config.randomSeed().ifPresent(balancing::seed);
        this.balancer = new MeshLoadBalancer(balancing.build(), new PeerMigrator(),
                config.clock());
        this.router = new MeshRouter(this, rootId, root, broker, capabilities, balancer,
                runtime.scheduler());
        Duration peerTimeout = meshConfig.discoveryInterval().multipliedBy(3);
        this.discoveryConfig = PeerDiscoveryConfig.builder()
                .heartbeatInterval(meshConfig.discoveryInterval())
                .peerTimeout(peerTimeout)
                .discoveryInterval(meshConfig.discoveryInterval().multipliedBy(6))
                // a slow mesh (interval > 100 s) would otherwise evict before it times out
                .evictionTimeout(peerTimeout.compareTo(PeerDiscoveryConfig.DEFAULT_EVICTION_TIMEOUT)
                        > 0 ? peerTimeout : PeerDiscoveryConfig.DEFAULT_EVICTION_TIMEOUT)
                .build();
        this.discoveryBarrier = new DiscoveryBarrier(this);
        this.peerStates = new PeerStateManager(swarmId, meshConfig.artifactStoragePath(),
                config.clock());
        this.pausePolicy = config.autoPause() ? config.newIdlePausePolicy()
                : IdlePausePolicy.never();
        this.agentControls = new AgentControls(swarmId, peers::get, peers::values);
        this.queryController = new QueryController(agentControls, config.tokenCostModel());
        this.gate = new SubmissionGate(config.maxPendingTasks(),
                config.saturation() == SwarmConfig.Saturation.BLOCK);
        this.registry.onEnd(this::taskEnded);
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
    public synchronized CompletableFuture<Void> initialize() {
        if (lifecycle.phase() == SwarmLifecycle.Phase.NEW) {
            // the root listens before anything can be accepted
            broker.onPeerMessage(rootId, rootActor::onMessage);
            detector.initialize(List.of());
            if (meshConfig.autoRebalance()) {
                long period = meshConfig.rebalanceInterval().toNanos();
                rebalanceTimer = runtime.scheduler().scheduleAtFixedRate(this::autoRebalance,
                        period, period, TimeUnit.NANOSECONDS);
            }
            if (config.autoPause()) {
                long period = config.pauseCheckInterval().toNanos();
                pauseSweeper = runtime.scheduler().scheduleAtFixedRate(this::sweepIdle, period,
                        period, TimeUnit.NANOSECONDS);
            }
            lifecycle.start();
        }
        return lifecycle.isRunning() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(refusal("initialize"));
    }

    @Override
    public synchronized CompletableFuture<Void> shutdown() {
        return lifecycle.stop(this::stop);
    }

    private void stop() {
        for (ScheduledFuture<?> timer : new ScheduledFuture<?>[] {rebalanceTimer, pauseSweeper}) {
            if (timer != null) {
                timer.cancel(false);
            }
        }
        discoveryBarrier.failAll(refusal("spawn"));
        gate.open();
        // waiters first: a task failed below must not look like the end of the work
        detector.shutdown();
        SwarmShutdownException reason = new SwarmShutdownException("swarm '" + swarmId
                + "' was shut down before the task ended");
        for (TaskRecord record : registry.live()) {
            // fail before interrupting, so the reason a caller reads is the shutdown
            record.fail(reason);
            SessionTask session = record.session();
            if (session != null) {
                session.cancel();
            }
        }
        for (MeshPeer peer : peers.values()) {
            if (peer.discovery() != null) {
                peer.discovery().stopDiscovery();
            }
            peer.stateMachine().transitionTo(AgentState.TERMINATED);
        }
        if (ownsBroker) {
            broker.close();
        }
        runtime.shutdown(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        shutdown().join();
    }

    boolean isAccepting() {
        return lifecycle.isRunning();
    }

    /** Why {@code what} cannot be done now (not initialized, or shut down). */
    SwarmShutdownException refusal(String what) {
        return new SwarmShutdownException(lifecycle.refusal(what));
    }

    // ---- agents -----------------------------------------------------------------------

    @Override
    public CompletableFuture<AgentHandle> spawnAgent(AgentDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        return spawnAgents(List.of(definition)).thenApply(handles -> handles.get(0));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The whole batch is checked first (ids unique and free, room under {@code maxAgents}),
     * so a refused batch spawns nothing. The agents are then registered in parallel on the
     * worker executor ("session forking"), and the future completes when every one is routable
     * and, with discovery on, known to every live peer.
     */
    @Override
    public CompletableFuture<List<AgentHandle>> spawnAgents(
            Collection<AgentDefinition> definitions) {
        Objects.requireNonNull(definitions, "definitions");
        List<AgentDefinition> batch = new ArrayList<>(definitions);
        RuntimeException refusal = checkSpawn(batch);
        if (refusal != null) {
            return CompletableFuture.failedFuture(refusal);
        }
        return Futures.forkEach(batch, runtime.worker(), this::register);
    }

    /** Checks a batch and reserves room for it; the reason it is refused, or null. */
    private RuntimeException checkSpawn(List<AgentDefinition> batch) {
        if (!isAccepting()) {
            return refusal("spawn agents");
        }
        Set<String> ids = new java.util.HashSet<>();
        for (AgentDefinition definition : batch) {
            Objects.requireNonNull(definition, "definitions contains null");
            String id = definition.id();
            if (id.equals(rootId) || peers.containsKey(id) || !ids.add(id)) {
                return new DuplicateAgentException(id);
            }
        }
        while (true) {
            int now = agentCount.get();
            if (now + batch.size() > config.maxAgents()) {
                return new AgentLimitExceededException(
                        batch.get(Math.max(0, config.maxAgents() - now)).id(),
                        config.maxAgents());
            }
            if (agentCount.compareAndSet(now, now + batch.size())) {
                return null;
            }
        }
    }

    /** Makes a checked agent a routable peer; completes once discovery has converged. */
    private CompletableFuture<AgentHandle> register(AgentDefinition definition) {
        String id = definition.id();
        IPeerDiscoverySystem discovery = meshConfig.discoveryEnabled()
                ? new PeerDiscoverySystem(id, definition.capabilities(), broker, discoveryConfig,
                        runtime.clock(), runtime.scheduler())
                : null;
        int concurrency = definition.maxConcurrentTasks()
                .orElse(meshConfig.maxConcurrentTasksPerPeer());
        MeshPeer peer = new MeshPeer(definition, this, detector.addPeer(id), discovery,
                concurrency);
        if (peers.putIfAbsent(id, peer) != null) {
            // another spawn of the same id won a race with this batch's check
            agentCount.decrementAndGet();
            return CompletableFuture.failedFuture(new DuplicateAgentException(id));
        }
        spawned.incrementAndGet();
        broker.onPeerMessage(id, peer::onMessage);
        peer.cycle().started();
        balancer.updatePeerLoad(id, 0);
        capabilities.put(id, definition.capabilities());
        peer.publishState();
        if (discovery == null) {
            return CompletableFuture.completedFuture(peer);
        }
        return discovery.startDiscovery(swarmId)
                .thenCompose(started -> discoveryBarrier.await(peer))
                .thenApply(discovered -> peer);
    }

    @Override
    public CompletableFuture<Void> removeAgent(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        MeshPeer peer = peers.get(agentId);
        if (peer == null) {
            return CompletableFuture.failedFuture(new UnknownAgentException(agentId, swarmId));
        }
        // not routable from now on; queued tasks move, running ones finish
        capabilities.remove(agentId);
        return peer.leave();
    }

    /** Final step of a removal: the peer is neutral and has no work left. Its mailbox. */
    void forgetPeer(MeshPeer peer) {
        if (peer.discovery() != null) {
            peer.discovery().stopDiscovery();
        }
        peers.remove(peer.id());
        broker.removePeer(peer.id());
        detector.removePeer(peer.id());
        balancer.removePeer(peer.id());
        agentCount.decrementAndGet();
        peer.stateMachine().transitionTo(AgentState.TERMINATED);
    }

    @Override
    public List<AgentHandle> agents() {
        return new ArrayList<>(peers.values());
    }

    // ---- tasks ------------------------------------------------------------------------

    @Override
    public CompletableFuture<TaskResult> submitTask(Task task) {
        Objects.requireNonNull(task, "task");
        if (!isAccepting()) {
            return CompletableFuture.failedFuture(refusal("submit task '" + task.id() + "'"));
        }
        return submit(admit(task)).future();
    }

    @Override
    public CompletableFuture<String> assignTaskToPeer(Task task) {
        Objects.requireNonNull(task, "task");
        if (!isAccepting()) {
            return CompletableFuture.failedFuture(refusal("assign task '" + task.id() + "'"));
        }
        TaskRecord record = admit(task);
        CompletableFuture<String> placed = record.placement();
        submit(record);
        return placed;
    }

    /**
     * Takes room for an application's task at the gate (waiting or refusing, as configured),
     * then registers it. The room is given back when the task ends.
     */
    private TaskRecord admit(Task task) {
        for (String dependency : task.dependencies()) {
            if (!registry.contains(dependency)) {
                throw new UnknownDependencyException(task.id(), dependency);
            }
        }
        gate.admit(() -> new SwarmSaturatedException(task.id(), swarmId,
                config.maxPendingTasks()), () -> new SwarmShutdownException(
                "interrupted while waiting for room to submit task '" + task.id() + "'"));
        if (!isAccepting()) {
            gate.leave();
            throw refusal("submit task '" + task.id() + "'");
        }
        try {
            return registry.register(task, null);
        } catch (RuntimeException e) {
            gate.leave();
            throw e;
        }
    }

    /** Registers a task after checking its dependencies are known. */
    private TaskRecord register(Task task, String parentId) {
        for (String dependency : task.dependencies()) {
            if (!registry.contains(dependency)) {
                throw new UnknownDependencyException(task.id(), dependency);
            }
        }
        return registry.register(task, parentId);
    }

    private TaskRecord submit(TaskRecord record) {
        Task task = record.task();
        if (task.dependencies().isEmpty()) {
            router.dispatchFromRoot(record, false);
        } else {
            root.hold();
            if (broker.sendToPeer(rootId, rootId, Message.of(MeshMessages.SUBMIT, record,
                    rootId, rootId)).isCompletedExceptionally()) {
                record.fail(new IllegalStateException("swarm '" + swarmId + "' is full: the "
                        + "root's mailbox refused task '" + task.id() + "'; submit it later"));
                root.release();
            }
        }
        return record;
    }

    @Override
    public Optional<TaskStatus> taskStatus(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        return registry.find(taskId).map(TaskRecord::status);
    }

    @Override
    public CompletableFuture<Boolean> waitForCompletion(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (lifecycle.isStopping()) {
            return CompletableFuture.failedFuture(refusal("wait for completion"));
        }
        return detector.detectCompletion(swarmId, timeout).thenApply(done -> {
            if (done && registry.submitted() > 0) {
                lastDetection = registry.sinceLastEnd();
            }
            return done;
        });
    }

    @Override
    public CompletableFuture<Boolean> waitForMeshCompletion() {
        return waitForCompletion(meshConfig.completionTimeout());
    }

    private void taskEnded(TaskRecord record) {
        if (record.parentId() == null) {
            gate.leave();
        }
        if (rootActor.isWatched(record.id())) {
            broker.sendControl(rootId, rootId, Message.of(MeshMessages.FINISHED, record, rootId,
                    rootId));
        }
    }

    // ---- TaskHost: what running sessions ask for ----------------------------------------

    @Override
    public CompletableFuture<TaskResult> delegate(TaskRecord parent, String agentId,
            Task subtask) {
        if (!isAccepting()) {
            return CompletableFuture.failedFuture(refusal("delegate '" + subtask.id() + "'"));
        }
        TaskRecord record = register(subtask, parent.id());
        broker.sendControl(agentId, agentId, Message.of(MeshMessages.DELEGATE, record, agentId,
                agentId));
        return record.future();
    }

    @Override
    public CompletableFuture<Void> sendToPeer(String fromAgentId, String toAgentId, String type,
            Object payload) {
        MeshPeer target = peers.get(toAgentId);
        CompletableFuture<Void> refused = AgentMail.refusal(swarmId, toAgentId, target != null,
                target != null && target.definition().messageHandler().isPresent());
        return refused != null ? refused : broker.sendToPeer(fromAgentId, toAgentId,
                AgentMail.wrap(fromAgentId, toAgentId, type, payload));
    }

    @Override
    public void recordTokens(String agentId, TaskRecord record, long tokens) {
        MeshPeer peer = peers.get(agentId);
        if (peer != null) {
            peer.meter().recordTokens(tokens);
        }
    }

    @Override
    public Duration defaultTaskTimeout() {
        return config.defaultTaskTimeout().orElse(null);
    }

    @Override
    public ScheduledExecutorService timer() {
        return runtime.scheduler();
    }

    @Override
    public void sessionEnded(SessionTask session) {
        String peerId = session.agentId();
        // the session's thread is about to go idle: let it carry "done" and the completion
        // signals it triggers up the tree itself, instead of waking a dispatcher per hop
        broker.runInline(() -> broker.sendControl(peerId, peerId,
                Message.of(MeshMessages.DONE, session, peerId, peerId)));
    }

    // ---- pausing (AgentControl) -------------------------------------------------------

    @Override
    public IQueryController queryController() {
        return queryController;
    }

    private void sweepIdle() {
        agentControls.sweep(runtime.clock().millis());
    }

    IdlePausePolicy idlePausePolicy() {
        return pausePolicy;
    }

    /** Where checkpoints go, or null when they are off. */
    ArtifactStorage checkpointStorage() {
        return config.checkpointsEnabled() ? peerStates.storage() : null;
    }

    // ---- for peers ----------------------------------------------------------------------

    MeshRouter router() {
        return router;
    }

    Clock clock() {
        return runtime.clock();
    }

    Executor worker() {
        return runtime.worker();
    }

    ScheduledExecutorService scheduler() {
        return runtime.scheduler();
    }

    /** A peer handled a discovery message: a waiting spawn may be complete. */
    void discoveryProgressed() {
        discoveryBarrier.progressed();
    }

    /** How long a spawn waits for discovery to converge before completing anyway. */
    Duration discoveryPatience() {
        return meshConfig.discoveryInterval();
    }

    static Logger log() {
        return LOG;
    }

    boolean isWatchedAtRoot(String taskId) {
        return rootActor.isWatched(taskId);
    }

    IDistributedCompletionDetector detector() {
        return detector;
    }

    IMessageBroker broker() {
        return broker;
    }

    String rootId() {
        return rootId;
    }

    boolean isLive(String peerId) {
        return capabilities.contains(peerId);
    }

    Collection<MeshPeer> peers() {
        return peers.values();
    }

    void adjustLoad(String peerId, int delta) {
        if (peers.containsKey(peerId)) {
            balancer.adjustPeerLoad(peerId, delta);
        }
    }

    PeerStateManager peerStates() {
        return peerStates;
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
        for (String id : capabilities.nodesWithAll(required)) {
            MeshPeer peer = peers.get(id);
            if (peer != null) {
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
                if (!info.peerId().equals(peer.id()) && view.isPeerAlive(info.peerId(), timeout)) {
                    neighbors.add(info.peerId());
                }
            }
        } else {
            neighbors.addAll(capabilities.nodes());
            neighbors.remove(peer.id());
        }
        return peer.snapshot(balancer.getPeerLoad(peer.id()), neighbors);
    }

    @Override
    public CompletableFuture<RebalanceResult> rebalanceMesh() {
        return balancer.rebalance(swarmId);
    }

    private void autoRebalance() {
        if (!balancer.isBalanced(meshConfig.imbalanceThreshold())) {
            balancer.rebalance(swarmId);
        }
    }

    /** The load balancer (for tests and the coordinator's views). */
    IMeshLoadBalancer balancer() {
        return balancer;
    }

    @Override
    public CoordinatorMetrics getMetrics() {
        BrokerMetrics messages = broker.getMetrics();
        return new CoordinatorMetrics(registry.submitted(),
                registry.count(TaskState.COMPLETED), registry.count(TaskState.FAILED),
                registry.count(TaskState.PENDING) + registry.count(TaskState.ASSIGNED),
                registry.count(TaskState.RUNNING), peers.size(), messages.accepted(),
                detector.getMetrics().acknowledgmentsReceived(),
                registry.latencyPercentile(0.50), registry.latencyPercentile(0.95),
                registry.latencyPercentile(0.99), lastDetection);
    }

    @Override
    public MeshMetrics getMeshMetrics() {
        BrokerMetrics messages = broker.getMetrics();
        LoadDistribution distribution = balancer.getLoadDistribution();
        return new MeshMetrics(spawned.get(), peers.size(), distribution.average(),
                discoveryBarrier.longest(), lastDetection, messages.accepted(),
                messages.delivered(), registry.startDelayPercentile(0.95),
                queryController.getMeshTokenSavings(swarmId).percentage());
    }

    /** The completion detector (its probes and deficits are part of the seed's API). */
    public IDistributedCompletionDetector completionDetector() {
        return detector;
    }

    @Override
    public String toString() {
        return "MeshCoordinator[" + swarmId + ", peers=" + peers.size() + ", "
                + lifecycle + "]";
    }

    /** Moves queued tasks between peers for the balancer, through the peers' mailboxes. */
    private final class PeerMigrator implements TaskMigrator {
        @Override
        public boolean movesLoad() {
            // the peer moves the load when it moves the task, in its own mailbox
            return true;
        }

        @Override
        public List<String> movableTasks(String peerId) {
            MeshPeer peer = peers.get(peerId);
            return peer == null ? List.of() : peer.movableTasks();
        }

        @Override
        public CompletableFuture<Boolean> moveTask(String taskId, String fromPeerId,
                String toPeerId) {
            MeshPeer from = peers.get(fromPeerId);
            return from == null ? CompletableFuture.completedFuture(false)
                    : from.requestMigration(taskId, toPeerId);
        }
    }
}
