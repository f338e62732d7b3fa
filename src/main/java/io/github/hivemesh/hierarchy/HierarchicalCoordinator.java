package io.github.hivemesh.hierarchy;

import io.github.hivemesh.CoordinatorMetrics;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.SwarmSaturatedException;
import io.github.hivemesh.agent.IQueryController;
import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.agent.QueryController;
import io.github.hivemesh.agent.UnknownAgentException;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.artifact.InMemoryArtifactStorage;
import io.github.hivemesh.internal.AgentControls;
import io.github.hivemesh.internal.SubmissionGate;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.NoCapableAgentException;
import io.github.hivemesh.broker.BrokerMetrics;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.completion.CountingCompletionDetector;
import io.github.hivemesh.completion.DistributedCompletionConfig;
import io.github.hivemesh.internal.AgentInbox;
import io.github.hivemesh.internal.AgentMail;
import io.github.hivemesh.internal.Futures;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.internal.SwarmLifecycle;
import io.github.hivemesh.internal.SwarmRuntime;
import io.github.hivemesh.internal.TaskHost;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.TaskRegistry;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.task.TaskStatus;
import io.github.hivemesh.task.UnknownDependencyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A coordinator-led swarm: a queen holds every ready task in one global priority order and
 * hands each to a team with a free slot; team leads start tasks on their least-loaded capable
 * worker; an idle team steals queued work from the busiest one. Built for large swarms
 * ({@code Topology.AUTO} picks it from 8 agents); {@code CoordinatorFactory.create} always
 * builds it.
 *
 * <h2>Why a queen</h2>
 * Every task passes through one serial actor, so ordering is global (priority 10 first, FIFO
 * within a priority across the whole swarm) and completion is exact by counting: the swarm is
 * quiescent when the tasks accepted equal the tasks ended ({@link CountingCompletionDetector}).
 * Team leads keep the queen's per-task work to a queue operation and a placement; above
 * {@link HierarchicalCoordinatorConfig#fanOut()} workers each lead owns a slice, so the
 * queen's placement reads one load per team, not per worker.
 *
 * <h2>Completion, exactly</h2>
 * A task enters the count ({@code taskCreated}) before anything can see it — before it is
 * registered, so before any dependent can name it — and leaves it ({@code taskEnded}) once,
 * after its record has ended and its future completed: on the worker thread as its session
 * returns, or from whoever holds it when it ended without running (the queen, when it failed
 * while waiting; a team lead). The team leads' bookkeeping of that end (slots, agent states,
 * per-team counts) follows just after, through their mailboxes. A delegated subtask
 * enters the count from inside its parent's {@code execute}, which has not ended yet, so the
 * count cannot touch zero while a tree of tasks is unfinished. See {@code docs/hierarchy.md}.
 *
 * <h2>Threads</h2>
 * The queen and the team leads are serial actors on the broker's dispatcher; sessions run on
 * the worker executor. Thread-safe. Everything the coordinator created (broker, worker
 * executor, timer) stops on {@link #close()}; anything injected through {@link SwarmConfig} is
 * left running.
 */
public final class HierarchicalCoordinator implements ICoordinator, TaskHost {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final HierarchicalCoordinatorConfig settings;
    private final String swarmId;
    private final String endpointPrefix;
    private final SwarmRuntime runtime;
    private final IMessageBroker broker;
    private final boolean ownsBroker;
    private final TaskRegistry registry;
    private final CountingCompletionDetector detector;
    private final Queen queen;
    private final Roster roster;
    private final long seed;

    private final SwarmLifecycle lifecycle;
    /** Tasks the queen holds: accepted, not yet handed to a team, not ended. */
    private final AtomicInteger queenHeld = new AtomicInteger();
    /** Tasks queued at teams, all teams together. */
    private final AtomicInteger teamQueued = new AtomicInteger();
    private final LongAdder stolen = new LongAdder();
    private final LongAdder requeued = new LongAdder();
    private volatile Duration lastDetection = Duration.ZERO;
    private final SwarmConfig config;
    private final IdlePausePolicy pausePolicy;
    private final ArtifactStorage checkpoints;
    private final AgentControls agentControls;
    private final QueryController queryController;
    private final SubmissionGate gate;
    private volatile ScheduledFuture<?> pauseSweeper;

    /**
     * A hierarchy for the given swarm configuration, using its
     * {@link SwarmConfig#hierarchicalConfig()}. Prefer {@code CoordinatorFactory}, which
     * validates the topology first.
     */
    public HierarchicalCoordinator(SwarmConfig config) {
        Objects.requireNonNull(config, "config");
        this.settings = config.hierarchicalConfig();
        this.swarmId = config.swarmId();
        this.endpointPrefix = "hivemesh.hierarchy." + swarmId + ".";
        this.lifecycle = new SwarmLifecycle(swarmId);
        this.seed = config.randomSeed().orElse(ThreadLocalRandom.current().nextLong());
        this.runtime = new SwarmRuntime("hivemesh-hierarchy-" + INSTANCES.incrementAndGet(),
                config.clock(), config.workerExecutor(), config.scheduler());
        this.ownsBroker = config.broker().isEmpty();
        this.broker = config.broker().orElseGet(() ->
                new InProcessMessageBroker(config.brokerConfig()));
        this.registry = new TaskRegistry(config.clock(), config.taskRetention());
        this.detector = CountingCompletionDetector.create(swarmId,
                DistributedCompletionConfig.builder()
                        .defaultTimeout(settings.completionTimeout())
                        .clock(config.clock())
                        .scheduler(runtime.scheduler())
                        .build());
        this.config = config;
        this.pausePolicy = config.autoPause() ? config.newIdlePausePolicy()
                : IdlePausePolicy.never();
        this.checkpoints = config.checkpointsEnabled() ? new InMemoryArtifactStorage() : null;
        this.agentControls = new AgentControls(swarmId, this::workerOf, this::workers);
        this.queryController = new QueryController(agentControls, config.tokenCostModel());
        this.gate = new SubmissionGate(config.maxPendingTasks(),
                config.saturation() == SwarmConfig.Saturation.BLOCK);
        this.registry.onEnd(record -> {
            if (record.parentId() == null) {
                gate.leave();
            }
        });
        this.queen = new Queen(this, endpointPrefix + "queen", seed);
        this.roster = new Roster(config.maxAgents(), settings.fanOut(), this::newTeam);
    }

    private TeamLead newTeam(int index) {
        boolean colocated = roster.teamCount() == 1;
        TeamLead team = new TeamLead(index, colocated ? queen.endpoint()
                : endpointPrefix + "team-" + index, this, queen, colocated, seed + 1 + index);
        if (colocated) {
            queen.colocate(team);
        } else {
            broker.onPeerMessage(team.endpoint, team::onMessage);
        }
        return team;
    }

    // ---- lifecycle --------------------------------------------------------------------

    @Override
    public Topology topology() {
        return Topology.HIERARCHICAL;
    }

    @Override
    public String swarmId() {
        return swarmId;
    }

    /** The configuration this hierarchy was built with. */
    public HierarchicalCoordinatorConfig hierarchicalConfig() {
        return settings;
    }

    @Override
    public synchronized CompletableFuture<Void> initialize() {
        if (lifecycle.phase() == SwarmLifecycle.Phase.NEW) {
            // the queen listens before anything can be accepted
            broker.onPeerMessage(queen.endpoint(), queen::onMessage);
            lifecycle.start();
            if (config.autoPause()) {
                long period = config.pauseCheckInterval().toNanos();
                pauseSweeper = runtime.scheduler().scheduleAtFixedRate(this::sweepIdle, period,
                        period, TimeUnit.NANOSECONDS);
            }
        }
        return lifecycle.isRunning() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(refusal("initialize"));
    }

    @Override
    public synchronized CompletableFuture<Void> shutdown() {
        return lifecycle.stop(this::stop);
    }

    private void stop() {
        ScheduledFuture<?> sweeper = pauseSweeper;
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        gate.open();
        // waiters first: a task failed below must not look like the end of the work
        detector.shutdown();
        SwarmShutdownException reason = new SwarmShutdownException("swarm '" + swarmId
                + "' was shut down before the task ended");
        for (TaskRecord record : registry.live()) {
            // fail before interrupting, so the reason a caller reads is the shutdown
            record.fail(reason);
            if (record.attachment() instanceof Job job && job.session != null) {
                job.session.cancel();
            }
        }
        for (Worker worker : roster.workers()) {
            worker.joined.completeExceptionally(refusal("spawn agent '" + worker.id() + "'"));
            worker.left.complete(null);
            if (worker.state() != AgentState.TERMINATED) {
                worker.stateMachine().transitionTo(AgentState.TERMINATED);
            }
        }
        broker.removePeer(queen.endpoint());
        for (TeamLead team : roster.teams()) {
            broker.removePeer(team.endpoint);
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

    private boolean isAccepting() {
        return lifecycle.isRunning();
    }

    private SwarmShutdownException refusal(String what) {
        return new SwarmShutdownException(lifecycle.refusal(what));
    }

    // ---- agents -----------------------------------------------------------------------

    @Override
    public CompletableFuture<AgentHandle> spawnAgent(AgentDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        if (!isAccepting()) {
            return CompletableFuture.failedFuture(refusal("spawn agent '" + definition.id()
                    + "'"));
        }
        if (definition.id().startsWith(endpointPrefix)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("agent id '"
                    + definition.id() + "' is reserved: ids starting with '" + endpointPrefix
                    + "' name the swarm's own endpoints"));
        }
        Worker worker;
        try {
            worker = roster.admit(definition, (d, team) -> new Worker(d, team,
                    d.maxConcurrentTasks().orElse(settings.maxConcurrentTasksPerWorker()),
                    this));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        definition.messageHandler().ifPresent(handler -> broker.onPeerMessage(worker.id(),
                new AgentInbox(worker.id(), handler, runtime.worker())::deliver));
        // routable at once: a task for it is accepted and waits at the queen until the team
        // lead has taken the worker in and given its slots to the queen
        roster.activate(worker);
        send(worker.id(), worker.team.endpoint, HierarchyMessages.JOIN, worker);
        return worker.joined;
    }

    @Override
    public CompletableFuture<List<AgentHandle>> spawnAgents(
            Collection<AgentDefinition> definitions) {
        Objects.requireNonNull(definitions, "definitions");
        List<CompletableFuture<AgentHandle>> spawns = new ArrayList<>(definitions.size());
        for (AgentDefinition definition : definitions) {
            spawns.add(spawnAgent(Objects.requireNonNull(definition,
                    "definitions contains null")));
        }
        return Futures.all(spawns);
    }

    @Override
    public CompletableFuture<Void> removeAgent(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        Worker worker = roster.worker(agentId);
        if (worker == null) {
            return CompletableFuture.failedFuture(new UnknownAgentException(agentId, swarmId));
        }
        // not routable from now on; its team hands its queued work to others
        roster.deactivate(worker);
        send(worker.id(), worker.team.endpoint, HierarchyMessages.LEAVE, worker);
        return worker.left;
    }

    /** A worker has left its team with no task running. Its team lead's mailbox. */
    void workerLeft(Worker worker) {
        roster.discharge(worker);
        worker.cycle.terminate(new UnknownAgentException(worker.id(), swarmId));
        if (worker.definition().messageHandler().isPresent()) {
            broker.removePeer(worker.id());
        }
        worker.stateMachine().transitionTo(AgentState.TERMINATED);
        worker.left.complete(null);
    }

    @Override
    public List<AgentHandle> agents() {
        return new ArrayList<>(roster.workers());
    }

    // ---- tasks ------------------------------------------------------------------------

    @Override
    public CompletableFuture<TaskResult> submitTask(Task task) {
        Objects.requireNonNull(task, "task");
        if (!isAccepting()) {
            return CompletableFuture.failedFuture(refusal("submit task '" + task.id() + "'"));
        }
        resolveDependencies(task);
        gate.admit(() -> new SwarmSaturatedException(task.id(), swarmId,
                config.maxPendingTasks()), () -> new SwarmShutdownException(
                "interrupted while waiting for room to submit task '" + task.id() + "'"));
        if (!isAccepting()) {
            gate.leave();
            return CompletableFuture.failedFuture(refusal("submit task '" + task.id() + "'"));
        }
        try {
            CompletableFuture<TaskResult> result = accept(task, null, "client");
            if (registry.find(task.id()).map(r -> r.future() != result).orElse(true)) {
                // refused before it was registered (queue full): its room is free again
                gate.leave();
            }
            return result;
        } catch (RuntimeException e) {
            gate.leave();
            throw e;
        }
    }

    @Override
    public CompletableFuture<TaskResult> delegate(TaskRecord parent, String agentId,
            Task subtask) {
        if (!isAccepting()) {
            return CompletableFuture.failedFuture(refusal("delegate '" + subtask.id() + "'"));
        }
        return accept(subtask, parent.id(), agentId);
    }

    /**
     * Counts, registers and sends a task to the queen.
     *
     * @throws UnknownDependencyException for a dependency the swarm does not know
     * @throws io.github.hivemesh.task.DuplicateTaskException for an id in use
     */
    private CompletableFuture<TaskResult> accept(Task task, String parentId, String sender) {
        TaskRecord[] dependencies = resolveDependencies(task);
        if (queenHeld.incrementAndGet() > settings.queueCapacity()) {
            queenHeld.decrementAndGet();
            return CompletableFuture.failedFuture(new QueueFullException(swarmId, task.id(),
                    settings.queueCapacity()));
        }
        // counted before anything, a dependent included, can see it
        detector.taskCreated();
        TaskRecord record;
        try {
            record = registry.register(task, parentId);
        } catch (RuntimeException e) {
            queenHeld.decrementAndGet();
            detector.taskEnded();
            throw e;
        }
        Job job = new Job(record, dependencies);
        record.attach(job);
        if (dependencies == null && !roster.canServe(job.required)) {
            job.record.fail(noCapableAgent(record));
            queen.drop(job);
        } else if (send(sender, queen.endpoint(), HierarchyMessages.SUBMIT, job)
                .isCompletedExceptionally()) {
            job.record.fail(refusal("submit task '" + task.id() + "'"));
            queen.drop(job);
        }
        return record.future();
    }

    private TaskRecord[] resolveDependencies(Task task) {
        Set<String> ids = task.dependencies();
        if (ids.isEmpty()) {
            return null;
        }
        TaskRecord[] records = new TaskRecord[ids.size()];
        int i = 0;
        for (String id : ids) {
            records[i++] = registry.find(id)
                    .orElseThrow(() -> new UnknownDependencyException(task.id(), id));
        }
        return records;
    }

    /** Why no agent can run a task: its capabilities, and those no routable agent has. */
    NoCapableAgentException noCapableAgent(TaskRecord record) {
        Set<String> required = record.task().requiredCapabilities();
        return new NoCapableAgentException(record.id(), required, roster.missing(required));
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

    /** The completion detector: tasks created and ended, detections and timeouts. */
    public CountingCompletionDetector completionDetector() {
        return detector;
    }

    // ---- TaskHost: what running sessions ask for ----------------------------------------

    @Override
    public CompletableFuture<Void> sendToPeer(String fromAgentId, String toAgentId, String type,
            Object payload) {
        Worker target = roster.worker(toAgentId);
        CompletableFuture<Void> refused = AgentMail.refusal(swarmId, toAgentId, target != null,
                target != null && target.definition().messageHandler().isPresent());
        return refused != null ? refused : broker.sendToPeer(fromAgentId, toAgentId,
                AgentMail.wrap(fromAgentId, toAgentId, type, payload));
    }

    @Override
    public void recordTokens(String agentId, TaskRecord record, long tokens) {
        Worker worker = roster.worker(agentId);
        if (worker != null) {
            worker.meter().recordTokens(tokens);
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
        Job job = (Job) session.record().attachment();
        if (job.record.state().isTerminal()) {
            // the record ended on this thread, its future completed: the task leaves the count
            // here, so detecting the end of the work does not wait for a team lead's mailbox
            job.end(detector);
        }
        // the session's thread is about to go idle: let it do the team's bookkeeping too
        broker.runInline(() -> send(session.agentId(), job.worker.team.endpoint,
                HierarchyMessages.DONE, session));
    }

    // ---- pausing (AgentControl) -------------------------------------------------------

    @Override
    public IQueryController queryController() {
        return queryController;
    }

    private Worker workerOf(String agentId) {
        return roster.worker(agentId);
    }

    private Collection<Worker> workers() {
        return roster.workers();
    }

    /** Asks a worker's team lead about the worker; a refused send fails {@code done}. */
    void ask(Worker worker, String type, Object argument, CompletableFuture<?> done) {
        if (send(worker.id(), worker.team.endpoint, type,
                new HierarchyMessages.WorkerRequest(worker, argument, done))
                .isCompletedExceptionally() && done != null) {
            done.completeExceptionally(refusal("pause or resume agent '" + worker.id() + "'"));
        }
    }

    private void sweepIdle() {
        agentControls.sweep(runtime.clock().millis());
    }

    java.time.Clock clock() {
        return runtime.clock();
    }

    IdlePausePolicy idlePausePolicy() {
        return pausePolicy;
    }

    /** Where checkpoints go (in memory), or null when they are off. */
    ArtifactStorage checkpointStorage() {
        return checkpoints;
    }

    // ---- for the queen and the team leads ------------------------------------------------

    CompletableFuture<Void> send(String from, String to, String type, Object payload) {
        return broker.sendControl(from, to, Message.of(type, payload, from, to));
    }

    CountingCompletionDetector detector() {
        return detector;
    }

    Roster roster() {
        return roster;
    }

    Executor executor() {
        return runtime.worker();
    }

    boolean stealing() {
        return settings.workStealing();
    }

    /** A task leaves the queen's hands: placed on a team, or ended. */
    void releaseQueenSlot() {
        queenHeld.decrementAndGet();
    }

    /** A task comes back to the queen from a team; never refused, it was accepted before. */
    void reclaimQueenSlot() {
        queenHeld.incrementAndGet();
    }

    int teamQueued() {
        return teamQueued.get();
    }

    void teamQueuedChanged(int delta) {
        teamQueued.addAndGet(delta);
    }

    void stolen(int tasks) {
        stolen.add(tasks);
    }

    void requeued(int tasks) {
        requeued.add(tasks);
    }

    // ---- metrics ------------------------------------------------------------------------

    @Override
    public CoordinatorMetrics getMetrics() {
        BrokerMetrics messages = broker.getMetrics();
        return new CoordinatorMetrics(registry.submitted(),
                registry.count(TaskState.COMPLETED), registry.count(TaskState.FAILED),
                registry.waiting(), registry.count(TaskState.RUNNING), roster.workers().size(),
                messages.accepted(),
                0, registry.latencyPercentile(0.50), registry.latencyPercentile(0.95),
                registry.latencyPercentile(0.99), lastDetection);
    }

    /**
     * How work spread over teams and workers, and what the queen holds now. The per-team and
     * per-worker counts are kept by the team leads and settle just after a task's end is
     * counted, so right after {@link #waitForCompletion} they may lag by a few tasks.
     */
    public HierarchyMetrics getHierarchyMetrics() {
        Map<String, Long> perTeam = new LinkedHashMap<>();
        for (TeamLead team : roster.teams()) {
            perTeam.put("team-" + team.index, team.executed());
        }
        Map<String, Long> perWorker = new LinkedHashMap<>();
        for (Worker worker : roster.workers()) {
            perWorker.put(worker.id(), worker.executed());
        }
        return new HierarchyMetrics(perTeam.size(), queen.waiting(), queenHeld.get(),
                teamQueued.get(), stolen.sum(), requeued.sum(), perTeam, perWorker);
    }

    @Override
    public String toString() {
        return "HierarchicalCoordinator[" + swarmId + ", agents=" + roster.workers().size()
                + ", teams=" + roster.teams().size() + ", " + lifecycle + "]";
    }
}
