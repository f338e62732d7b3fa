package io.github.hivemesh.hierarchy;

import io.github.hivemesh.CoordinatorMetrics;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.IQueryController;
import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.agent.QueryController;
import io.github.hivemesh.agent.UnknownAgentException;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.completion.CountingCompletionDetector;
import io.github.hivemesh.completion.DistributedCompletionConfig;
import io.github.hivemesh.internal.AgentControls;
import io.github.hivemesh.internal.AgentInbox;
import io.github.hivemesh.internal.util.Futures;
import io.github.hivemesh.internal.SwarmKernel;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.TaskRegistry;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.memory.ISwarmMemoryManager;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.BroadcastResult;
import io.github.hivemesh.task.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
 * after its record has settled (ended, its future completed — see {@link TaskRecord}): as its
 * session's end is reported, or from whoever holds it when it ended without running (the
 * queen, when it failed while waiting; a team lead). The team leads' bookkeeping of that end
 * (slots, agent states, per-team counts) follows just after, through their mailboxes. A
 * delegated subtask enters the count from inside its parent's {@code execute}, which has not
 * ended yet, so the count cannot touch zero while a tree of tasks is unfinished. See
 * {@code docs/hierarchy.md}.
 *
 * <h2>Threads</h2>
 * The queen and the team leads are serial actors on the broker's dispatcher; sessions run on
 * the worker executor. Thread-safe. Everything the coordinator created (broker, worker
 * executor, timer) stops on {@link #close()}; anything injected through {@link SwarmConfig} is
 * left running.
 */
public final class HierarchicalCoordinator implements ICoordinator {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final SwarmKernel kernel;
    private final SwarmConfig config;
    private final HierarchicalCoordinatorConfig settings;
    private final String swarmId;
    private final String endpointPrefix;
    private final IMessageBroker broker;
    private final TaskRegistry registry;
    private final CountingCompletionDetector detector;
    private final Queen queen;
    private final Roster roster;
    private final long seed;

    private final HiveContext.Counters counters = new HiveContext.Counters();
    private final HiveContext hive;
    private final AtomicLong incarnations = new AtomicLong();
    private final IdlePausePolicy pausePolicy;
    private final ArtifactStorage checkpoints;
    private final AgentControls agentControls;
    private final QueryController queryController;
    private volatile ScheduledFuture<?> pauseSweeper;

    /**
     * A hierarchy for the given swarm configuration, using its
     * {@link SwarmConfig#hierarchicalConfig()}. Prefer {@code CoordinatorFactory}, which
     * validates the topology first.
     *
     * @param config the settings
     */
    public HierarchicalCoordinator(SwarmConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.settings = config.hierarchicalConfig();
        this.swarmId = config.swarmId();
        this.endpointPrefix = "hivemesh.hierarchy." + swarmId + ".";
        this.seed = config.randomSeed().orElse(ThreadLocalRandom.current().nextLong());
        this.kernel = new SwarmKernel(config,
                "hivemesh-hierarchy-" + INSTANCES.incrementAndGet());
        this.broker = kernel.broker();
        this.registry = kernel.registry();
        this.detector = CountingCompletionDetector.create(swarmId,
                DistributedCompletionConfig.builder()
                        .defaultTimeout(settings.completionTimeout())
                        .clock(config.clock())
                        .scheduler(kernel.runtime().scheduler())
                        .build());
        this.pausePolicy = config.autoPause() ? config.newIdlePausePolicy()
                : IdlePausePolicy.never();
        this.checkpoints = config.checkpointsEnabled() ? kernel.artifacts() : null;
        this.agentControls = new AgentControls(swarmId, this::workerOf, this::workers);
        this.queryController = new QueryController(agentControls, config.tokenCostModel());
        this.roster = new Roster(config.maxAgents(), settings.fanOut(), this::newTeam);
        this.hive = new HiveContext(kernel, roster, detector, settings.workStealing(),
                pausePolicy, checkpoints, counters, this::workerLeft);
        this.queen = new Queen(hive, endpointPrefix + "queen", roster.teamCount(), seed);
        kernel.bind(new HierarchyTopology(hive, queen, settings.queueCapacity()));
    }

    /** Creates team {@code index}: in the queen's own mailbox when it is the only one. */
    private TeamLead newTeam(int index) {
        boolean colocated = roster.teamCount() == 1;
        TeamLead team = new TeamLead(index, colocated ? queen.endpoint()
                : endpointPrefix + "team-" + index, hive, queen, colocated, seed + 1 + index);
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

    /** {@return the configuration this hierarchy was built with} */
    public HierarchicalCoordinatorConfig hierarchicalConfig() {
        return settings;
    }

    @Override
    public CompletableFuture<Void> initialize() {
        return kernel.start(() -> {
            // the queen listens before anything can be accepted
            broker.onPeerMessage(queen.endpoint(), queen::onMessage);
            if (config.autoPause()) {
                long period = config.pauseCheckInterval().toNanos();
                pauseSweeper = kernel.runtime().scheduler().scheduleAtFixedRate(
                        () -> agentControls.sweep(kernel.runtime().clock().millis()), period,
                        period,
                        TimeUnit.NANOSECONDS);
            }
        });
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        return kernel.shutdown(() -> {
            ScheduledFuture<?> sweeper = pauseSweeper;
            if (sweeper != null) {
                sweeper.cancel(false);
            }
        });
    }

    @Override
    public void close() {
        shutdown().join();
    }

    private RuntimeException refusal(String what) {
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
     * <p>The whole batch is checked and admitted to the roster at once (ids unique and free,
     * room under {@code maxAgents}), so a refused batch spawns nothing.
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
            for (AgentDefinition definition : batch) {
                SwarmKernel.checkAgentId(definition.id());
            }
            List<Worker> workers = roster.admitAll(batch, (d, team) -> new Worker(d, team,
                    d.maxConcurrentTasks().orElse(settings.maxConcurrentTasksPerWorker()),
                    d.id() + "@" + incarnations.incrementAndGet(), hive));
            List<CompletableFuture<AgentHandle>> joined = new ArrayList<>(workers.size());
            for (Worker worker : workers) {
                worker.definition().messageHandler().ifPresent(handler -> {
                    AgentInbox inbox = new AgentInbox(worker.id(), handler,
                            kernel.runtime().worker(), kernel.sessionHost());
                    broker.onPeerMessage(worker.endpoint, message -> {
                        if (message.payload() instanceof UserMail mail) {
                            // the message is work until its handler returns (counted at send)
                            inbox.deliver(message, mail, null, detector::taskEnded);
                        }
                    });
                });
                // routable at once: a task for it is accepted and waits at the queen until the
                // team lead has taken the worker in and given its slots to the queen
                roster.activate(worker);
                hive.send(new HiveCommand.Join(worker), worker.endpoint, worker.team.endpoint);
                joined.add(kernel.track(worker.joined));
            }
            return Futures.all(joined);
        });
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
        // a worker still on its way into its team leaves once it is in (the leave then follows
        // the join in the team's mailbox); one whose join the stop failed has its removal
        // failed by the stop as well
        worker.joined.thenRun(() -> hive.send(new HiveCommand.Leave(worker), worker.endpoint,
                worker.team.endpoint));
        return kernel.track(worker.left);
    }

    /** A worker has left its team with no task running. Its team lead's mailbox. */
    private void workerLeft(Worker worker) {
        roster.discharge(worker);
        worker.cycle.terminate(new UnknownAgentException(worker.id(), swarmId));
        if (worker.definition().messageHandler().isPresent()) {
            broker.removePeer(worker.endpoint);
        }
        // the swarm may be stopping on another thread, terminating it too
        worker.stateMachine().terminate();
        worker.left.complete(null);
    }

    @Override
    public List<AgentHandle> agents() {
        return AgentControls.live(roster.workers());
    }

    // ---- tasks ------------------------------------------------------------------------

    @Override
    public CompletableFuture<TaskResult> submitTask(Task task) {
        return kernel.submit(task);
    }

    @Override
    public Optional<TaskStatus> taskStatus(String taskId) {
        return kernel.taskStatus(taskId);
    }

    @Override
    public CompletableFuture<Boolean> waitForCompletion(Duration timeout) {
        return kernel.waitForCompletion(timeout);
    }

    /** {@return the completion detector: tasks created and ended, detections and timeouts} */
    public CountingCompletionDetector completionDetector() {
        return detector;
    }

    // ---- pausing (AgentControl) -------------------------------------------------------

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

    private Worker workerOf(String agentId) {
        return roster.worker(agentId);
    }

    private Collection<Worker> workers() {
        return roster.workers();
    }

    /** The roster (for tests). */
    Roster roster() {
        return roster;
    }

    // ---- metrics ------------------------------------------------------------------------

    @Override
    public CoordinatorMetrics getMetrics() {
        return kernel.metrics(registry.waiting(), roster.workers().size(), 0);
    }

    /**
     * {@return how work spread over teams and workers, and what the queen holds now} The per-team
     * and per-worker counts are kept by the team leads and settle just after a task's end is
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
        return new HierarchyMetrics(perTeam.size(), queen.waiting(),
                counters.queenHeld.get(), counters.teamQueued.get(), counters.stolen.sum(),
                counters.requeued.sum(), perTeam, perWorker);
    }

    @Override
    public String toString() {
        return "HierarchicalCoordinator[" + swarmId + ", agents=" + roster.workers().size()
                + ", teams=" + roster.teams().size() + ", " + kernel.lifecycle() + "]";
    }
}
