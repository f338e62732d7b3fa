package io.github.hivemesh.internal;

import io.github.hivemesh.CoordinatorMetrics;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.SwarmSaturatedException;
import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.agent.TokenMeter;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.artifact.FileArtifactStorage;
import io.github.hivemesh.artifact.InMemoryArtifactStorage;
import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.ClusterMessageBroker;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.completion.ICompletionDetector;
import io.github.hivemesh.internal.util.Futures;
import io.github.hivemesh.internal.wire.ForcedWire;
import io.github.hivemesh.internal.wire.Wire;
import io.github.hivemesh.memory.ISwarmMemoryManager;
import io.github.hivemesh.memory.SwarmMemoryManager;
import io.github.hivemesh.task.BroadcastResult;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskFailedException;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.task.TaskStatus;
import io.github.hivemesh.task.UnknownDependencyException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every coordinator is underneath its topology: the lifecycle, the threads, the broker it
 * owns or was given, the task registry, the bounds on submitted and delegated tasks, and the
 * rules for accepting work and for stopping. A coordinator composes one kernel and supplies
 * its {@link Topology} — where tasks go, how completion is counted.
 *
 * <h2>Accepting a task</h2>
 * {@link #submit} and the sessions' delegations go the same way, inside a lifecycle admission
 * (so a concurrent stop waits for them): with encoding forced the task is encoded once (a
 * payload the codec refuses fails here), the dependencies are resolved to their records, room
 * is taken at the task's gate (submissions wait or are refused as configured; delegations are
 * refused when full, never made to wait), the topology counts the task, the registry registers
 * it, and the topology routes it. A step that fails undoes the ones before it, once. Every
 * problem but a {@code null} or malformed argument fails the returned future with a
 * {@link TaskFailedException} whose cause is the specific exception — nothing is thrown.
 *
 * <h2>Stopping</h2>
 * The stop moves the lifecycle to STOPPING (nothing new is admitted), opens the gates, waits
 * for admissions under way, fails the completion waiters, fails every task not yet ended and
 * interrupts its session, lets the topology stop its agents, closes the broker if the kernel
 * created it, and stops the threads it created. So after {@code close()} no future the swarm
 * handed out is pending and no task is left non-terminal.
 *
 * <p>Thread-safe.
 */
public final class SwarmKernel {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmKernel.class);
    /** The sender id of the application's own messages ({@code ICoordinator.sendToPeer}). */
    public static final String APPLICATION = "hivemesh.application";
    /** Agent ids may not start with this: it names the library's own endpoints and senders. */
    public static final String RESERVED_PREFIX = "hivemesh.";
    private static final Duration ADMISSION_GRACE = Duration.ofSeconds(10);
    private static final Duration SESSION_GRACE = Duration.ofSeconds(10);

    /** What a coordinator's topology does for the kernel. */
    public interface Topology {
        /**
         * Counts a task about to be registered (it is work from now on), after checking any
         * room of the topology's own; throws to refuse it. Any thread.
         *
         * @param delegated whether a running session delegates it
         */
        void beforeRegister(Task task, boolean delegated);

        /** Undoes {@link #beforeRegister}: the task was not registered after all. */
        void notRegistered(Task task, boolean delegated);

        /**
         * Routes a registered task: a submission ({@code delegatingAgentId} null) or a subtask
         * delegated by a session on that agent. Any thread; must not block.
         */
        void route(TaskRecord record, String delegatingAgentId);

        /**
         * Sends a user message (work) to an agent, from an agent whose work is not done or,
         * when {@code fromAgentId} is {@link SwarmKernel#APPLICATION}, from the application;
         * {@code root} is the completion root whose work sends it (null: the coordinator's own,
         * see {@link TaskRecord#root()}).
         */
        CompletableFuture<Void> sendToPeer(String fromAgentId, String root, String toAgentId,
                String type, Object payload);

        /**
         * Sends a user message (work) to every other agent with a message handler and, unless
         * {@code capability} is null, that capability; from an agent or the application.
         */
        CompletableFuture<BroadcastResult> broadcast(String fromAgentId, String root,
                String capability, String type, Object payload);

        /** Accounts tokens a task's session reported, on the agent's meter (if it is live). */
        void recordTokens(String agentId, TaskRecord record, Consumer<TokenMeter> report);

        /** A session has returned and its record settled (see {@link TaskHost}). */
        void sessionEnded(SessionTask session, boolean onSessionThread);

        /**
         * The topology's completion detector: the kernel waits on it for quiescence and shuts
         * it down (failing its waiters) when the swarm stops.
         */
        ICompletionDetector detector();

        /** Stops the agents, after every live task has been failed. */
        void stopAgents();

        /**
         * A record standing for {@code dependencyId}, a task this member does not know, named
         * as a dependency of {@code taskId}; or null when there is nowhere else to look (the
         * task is refused: {@link UnknownDependencyException}). In cluster mode the mesh looks
         * it up on the other members. Any thread; must not block.
         */
        default TaskRecord dependencyElsewhere(String taskId, String dependencyId) {
            return null;
        }
    }

    private final SwarmConfig config;
    private final String swarmId;
    private final SwarmLifecycle lifecycle;
    private final SwarmRuntime runtime;
    private final IMessageBroker broker;
    private final boolean ownsBroker;
    private final TaskRegistry registry;
    private final SubmissionGate submissions;
    private final SubmissionGate subtasks;
    private final TaskHost sessionHost = new SessionHost();
    private final Wire wire;
    private final ArtifactStorage artifacts;
    private final SwarmMemoryManager memory;
    private final LongAdder lateCompletions = new LongAdder();
    /** Futures of requests (spawn, removal, pause...) a stop fails if nobody answered them. */
    private final Set<CompletableFuture<?>> requests = ConcurrentHashMap.newKeySet();
    /** Whether the stop has failed the tracked requests (from then on, track fails at once). */
    private volatile boolean requestsSwept;
    private Topology topology;
    private volatile Duration lastDetection = Duration.ZERO;

    /**
     * A kernel for one swarm.
     *
     * @param threadPrefix prefix of the threads it creates, e.g. {@code "hivemesh-mesh-1"}
     */
    public SwarmKernel(SwarmConfig config, String threadPrefix) {
        this.config = Objects.requireNonNull(config, "config");
        this.swarmId = config.swarmId();
        this.lifecycle = new SwarmLifecycle(swarmId);
        this.ownsBroker = config.broker().isEmpty();
        // first: joining a cluster may fail, and then nothing else has been started
        this.broker = config.broker().orElseGet(() -> config.cluster()
                .<IMessageBroker>map(cluster -> joinCluster(cluster, config))
                .orElseGet(() -> new InProcessMessageBroker(config.brokerConfig())));
        this.runtime = new SwarmRuntime(threadPrefix, config.clock(), config.workerExecutor(),
                config.scheduler());
        this.registry = new TaskRegistry(config.clock(), config.taskRetention());
        this.submissions = new SubmissionGate(config.maxPendingTasks(),
                config.saturation() == SwarmConfig.Saturation.BLOCK);
        this.subtasks = new SubmissionGate(config.maxPendingSubtasks(), false);
        this.wire = config.forceWireEncoding() ? new ForcedWire(config.payloadCodec()) : Wire.OFF;
        this.artifacts = config.artifactStoragePath().<ArtifactStorage>map(FileArtifactStorage::new)
                .orElseGet(InMemoryArtifactStorage::new);
        this.memory = new SwarmMemoryManager(swarmId, artifacts, config.clock());
    }

    /**
     * Joins the cluster: a broker for this member's endpoints, over the cluster's transport
     * (blocks while it joins). A transport that cannot start leaves nothing running.
     */
    private static ClusterMessageBroker joinCluster(ClusterConfig cluster, SwarmConfig config) {
        ClusterTransport transport = ClusterTransport.create(cluster);
        InProcessMessageBroker local = new InProcessMessageBroker(config.brokerConfig());
        try {
            return ClusterMessageBroker.start(transport, local, config.payloadCodec(),
                    DecodeLimits.DEFAULT);
        } catch (RuntimeException e) {
            local.close();
            transport.close();
            throw e;
        }
    }

    /** Sets the topology; once, before {@link #start}. */
    public void bind(Topology owner) {
        if (this.topology != null) {
            throw new IllegalStateException("the kernel of swarm '" + swarmId
                    + "' already has a topology");
        }
        this.topology = Objects.requireNonNull(owner, "topology");
    }

    // ---- parts -------------------------------------------------------------------------

    /** The configuration. */
    public SwarmConfig config() {
        return config;
    }

    /** The swarm's id. */
    public String swarmId() {
        return swarmId;
    }

    /** Threads and clock. */
    public SwarmRuntime runtime() {
        return runtime;
    }

    /** The broker (created here unless the configuration injected one). */
    public IMessageBroker broker() {
        return broker;
    }

    /** Every task by id. */
    public TaskRegistry registry() {
        return registry;
    }

    /** The lifecycle. */
    public SwarmLifecycle lifecycle() {
        return lifecycle;
    }

    /**
     * What crosses as if between processes: {@link Wire#OFF} by default, a {@link ForcedWire}
     * over the configured payload codec when {@code SwarmConfig.forceWireEncoding()} is on.
     */
    public Wire wire() {
        return wire;
    }

    /** The swarm's shared memory (over {@link #artifacts()}). */
    public SwarmMemoryManager memory() {
        return memory;
    }

    /** The swarm's artifact store: durable under {@code artifactStoragePath}, else in memory. */
    public ArtifactStorage artifacts() {
        return artifacts;
    }

    /** Stages of asynchronous sessions that completed after their task had ended. */
    public long lateCompletions() {
        return lateCompletions.sum();
    }

    /**
     * Checks an agent id is not reserved for the library's own endpoints.
     *
     * @throws IllegalArgumentException if it starts with {@value #RESERVED_PREFIX}
     */
    public static void checkAgentId(String agentId) {
        if (agentId.startsWith(RESERVED_PREFIX)) {
            throw new IllegalArgumentException("agent id '" + agentId + "' is reserved: ids "
                    + "starting with '" + RESERVED_PREFIX + "' name the library's own endpoints");
        }
    }

    /** Sends a user message from the application to an agent (see {@code ICoordinator}). */
    public CompletableFuture<Void> sendToPeer(String toAgentId, String type, Object payload) {
        Objects.requireNonNull(toAgentId, "agentId");
        Objects.requireNonNull(type, "type");
        return admitted("send a message to '" + toAgentId + "'",
                () -> topology.sendToPeer(APPLICATION, null, toAgentId, type, payload));
    }

    /** Broadcasts a user message from the application (capability null: to every agent). */
    public CompletableFuture<BroadcastResult> broadcast(String capability, String type,
            Object payload) {
        Objects.requireNonNull(type, "type");
        return admitted("broadcast a message",
                () -> topology.broadcast(APPLICATION, null, capability, type, payload));
    }

    /** What running sessions are given to reach the swarm. */
    public TaskHost sessionHost() {
        return sessionHost;
    }

    /** Whether work is accepted. */
    public boolean isAccepting() {
        return lifecycle.isRunning();
    }

    /** Why {@code what} cannot be done now (not initialized, or shut down). */
    public SwarmShutdownException refusal(String what) {
        return new SwarmShutdownException(lifecycle.refusal(what));
    }

    // ---- lifecycle ---------------------------------------------------------------------

    /**
     * Moves to RUNNING after {@code starting} (the topology's listeners and timers) ran, on the
     * first call; completes at once, or fails once the swarm is shut down.
     */
    public synchronized CompletableFuture<Void> start(Runnable starting) {
        if (lifecycle.phase() == SwarmLifecycle.Phase.NEW) {
            starting.run();
            lifecycle.start();
        }
        return lifecycle.isRunning() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(refusal("initialize"));
    }

    /** Stops the swarm once (see class docs); later calls return the same future. */
    public CompletableFuture<Void> shutdown(Runnable stoppingTimers) {
        return lifecycle.stop(() -> stop(stoppingTimers));
    }

    private void stop(Runnable stoppingTimers) {
        stoppingTimers.run();
        // submitters waiting for room wake up, see the stop and leave
        submissions.open();
        if (!lifecycle.awaitAdmissions(ADMISSION_GRACE)) {
            LOG.warn("swarm '{}': admissions still under way {} after the stop began", swarmId,
                    ADMISSION_GRACE);
        }
        // waiters first: a task failed below must not look like the end of the work
        topology.detector().shutdown();
        SwarmShutdownException reason = new SwarmShutdownException("swarm '" + swarmId
                + "' was shut down before the task ended");
        for (TaskRecord record : registry.live()) {
            // ended before its session is interrupted, so the reason a caller reads is the
            // shutdown; stopped before its future completes, so what it held is let go first
            record.failAndStop(reason);
        }
        topology.stopAgents();
        if (ownsBroker) {
            broker.close();
        }
        runtime.shutdown(SESSION_GRACE);
        // set before the sweep: a request tracked from now on is failed by track() itself
        requestsSwept = true;
        for (CompletableFuture<?> request : List.copyOf(requests)) {
            request.completeExceptionally(refusal("finish the request"));
        }
    }

    /**
     * Tracks the future of a request answered through an agent's mailbox (a removal, a pause,
     * a spawn's discovery), so a stop fails it if it is still pending then; one tracked after
     * the stop's sweep fails at once. Any thread.
     */
    public <T> CompletableFuture<T> track(CompletableFuture<T> request) {
        requests.add(request);
        request.whenComplete((value, failure) -> requests.remove(request));
        // read after the add: either the sweep saw the request, or this sees the sweep
        if (requestsSwept) {
            request.completeExceptionally(refusal("finish the request"));
        }
        return request;
    }

    // ---- admission ---------------------------------------------------------------------

    /**
     * Runs {@code admission} as one admission of work (see {@link SwarmLifecycle#enter}); a
     * stop, or any exception it throws, becomes a failed future.
     */
    public <T> CompletableFuture<T> admitted(String what, Supplier<CompletableFuture<T>> admission) {
        if (!lifecycle.enter()) {
            return CompletableFuture.failedFuture(refusal(what));
        }
        try {
            return Futures.unwrapped(admission.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            lifecycle.exit();
        }
    }

    /** Submits an application's task (see class docs). */
    public CompletableFuture<TaskResult> submit(Task task) {
        Objects.requireNonNull(task, "task");
        return accept(task, null, null).future();
    }

    /** Like {@link #submit}, returning the record (or null, with the failed future). */
    public Accepted accept(Task task, TaskRecord parent, String delegatingAgentId) {
        Objects.requireNonNull(task, "task");
        if (!lifecycle.enter()) {
            return refused(task, refusal((parent == null ? "submit task '" : "delegate '")
                    + task.id() + "'"));
        }
        try {
            return admit(task, parent, delegatingAgentId);
        } catch (Refused e) {
            return refused(task, e.getCause());
        } catch (RuntimeException e) {
            return refused(task, e);
        } finally {
            lifecycle.exit();
        }
    }

    private Accepted admit(Task task, TaskRecord parent, String delegatingAgentId) {
        // a payload that cannot cross fails here, at the sender, before anything is counted
        wire.admit(task);
        TaskRecord[] dependencies = resolve(task);
        SubmissionGate gate = parent == null ? submissions : subtasks;
        if (parent == null) {
            boolean entered;
            try {
                entered = gate.enter();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Refused(new InterruptedException("interrupted while waiting for room "
                        + "to submit task '" + task.id() + "'; nothing was accepted"));
            }
            if (!entered) {
                throw new SwarmSaturatedException(task.id(), swarmId, config.maxPendingTasks());
            }
            if (!lifecycle.isRunning()) {
                // it waited for room through the start of a stop
                gate.leave();
                throw refusal("submit task '" + task.id() + "'");
            }
        } else if (!gate.tryEnter()) {
            throw new SwarmSaturatedException(task.id(), swarmId, config.maxPendingSubtasks(),
                    "delegated subtasks", "SwarmConfig.maxPendingSubtasks");
        }
        TaskRecord record;
        try {
            topology.beforeRegister(task, parent != null);
            try {
                record = registry.register(task, parent, dependencies, gate);
            } catch (RuntimeException e) {
                topology.notRegistered(task, parent != null);
                throw e;
            }
        } catch (RuntimeException e) {
            gate.leave();
            throw e;
        }
        try {
            topology.route(record, delegatingAgentId);
        } catch (RuntimeException e) {
            // a bug in a topology, not the caller's doing: the task fails, loudly
            LOG.error("swarm '{}' failed to route task '{}'", swarmId, task.id(), e);
            record.fail(e);
        }
        return new Accepted(record, record.future());
    }

    /** The records of a task's dependencies, or null when it has none. */
    private TaskRecord[] resolve(Task task) {
        Set<String> ids = task.dependencies();
        if (ids.isEmpty()) {
            return null;
        }
        TaskRecord[] records = new TaskRecord[ids.size()];
        int i = 0;
        for (String id : ids) {
            TaskRecord known = registry.find(id).orElse(null);
            if (known == null) {
                known = topology.dependencyElsewhere(task.id(), id);
            }
            if (known == null) {
                throw new UnknownDependencyException(task.id(), id);
            }
            records[i++] = known;
        }
        return records;
    }

    private Accepted refused(Task task, Throwable cause) {
        Instant now = runtime.clock().instant();
        return new Accepted(null, CompletableFuture.failedFuture(new TaskFailedException(
                TaskResult.failed(task.id(), cause, null, now, null, now))));
    }

    /**
     * What an acceptance produced: the record (null when it was refused) and the future for
     * the submitter (failed when refused).
     */
    public record Accepted(TaskRecord record, CompletableFuture<TaskResult> future) {
    }

    // ---- queries -----------------------------------------------------------------------

    /** A snapshot of a task's state. */
    public Optional<TaskStatus> taskStatus(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        return registry.find(taskId).map(TaskRecord::status);
    }

    /**
     * Completes true at the first quiescent moment, false after {@code timeout} (a negative
     * one is taken as zero: the answer is given now); fails once the swarm is stopping.
     */
    public CompletableFuture<Boolean> waitForCompletion(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (lifecycle.isStopping()) {
            return CompletableFuture.failedFuture(refusal("wait for completion"));
        }
        Duration bound = timeout.isNegative() ? Duration.ZERO : timeout;
        return Futures.unwrapped(topology.detector().detectCompletion(swarmId, bound)
                .thenApply(done -> {
                    if (done && registry.submitted() > 0) {
                        lastDetection = registry.sinceLastEnd();
                    }
                    return done;
                }));
    }

    /**
     * The metrics both coordinators report, from the registry and the broker.
     *
     * @param queued  tasks waiting now, as the topology counts them
     * @param signals completion signals applied (the mesh's), or 0
     */
    public CoordinatorMetrics metrics(long queued, int agents, long signals) {
        return new CoordinatorMetrics(registry.submitted(), registry.count(TaskState.COMPLETED),
                registry.count(TaskState.FAILED), queued, registry.count(TaskState.RUNNING),
                agents, broker.getMetrics().accepted(), signals,
                registry.latencyPercentile(0.50), registry.latencyPercentile(0.95),
                registry.latencyPercentile(0.99), lastDetection, lateCompletions.sum());
    }

    /** Time from the last task's end to the last detected completion. */
    public Duration lastDetection() {
        return lastDetection;
    }

    /** The default task timeout, or null. */
    public Duration defaultTaskTimeout() {
        return config.defaultTaskTimeout().orElse(null);
    }

    @Override
    public String toString() {
        return "SwarmKernel[" + swarmId + ", " + lifecycle + "]";
    }

    /** Carries a refusal whose cause is checked (an interrupt) out of an admission. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(Throwable cause) {
            super(cause);
        }
    }

    /** The sessions' way into the swarm: delegation through the kernel, the rest to the topology. */
    private final class SessionHost implements TaskHost {
        @Override
        public String swarmId() {
            return swarmId;
        }

        @Override
        public CompletableFuture<TaskResult> delegate(TaskRecord parent, String agentId,
                Task subtask) {
            return accept(subtask, parent, agentId).future();
        }

        @Override
        public CompletableFuture<Void> sendToPeer(String fromAgentId, String root,
                String toAgentId, String type, Object payload) {
            return admitted("send a message to '" + toAgentId + "'",
                    () -> topology.sendToPeer(fromAgentId, root, toAgentId, type, payload));
        }

        @Override
        public CompletableFuture<BroadcastResult> broadcast(String fromAgentId, String root,
                String capability, String type, Object payload) {
            return admitted("broadcast a message",
                    () -> topology.broadcast(fromAgentId, root, capability, type, payload));
        }

        @Override
        public ISwarmMemoryManager memory() {
            return memory;
        }

        @Override
        public ArtifactStorage artifacts() {
            return artifacts;
        }

        @Override
        public void lateCompletion(SessionTask session) {
            lateCompletions.increment();
            LOG.debug("swarm '{}': the stage of task '{}' completed after the task ended; "
                    + "dropped", swarmId, session.record().id());
        }

        @Override
        public void recordTokens(String agentId, TaskRecord record,
                Consumer<TokenMeter> report) {
            topology.recordTokens(agentId, record, report);
        }

        @Override
        public Duration defaultTaskTimeout() {
            return SwarmKernel.this.defaultTaskTimeout();
        }

        @Override
        public Executor worker() {
            return runtime.worker();
        }

        @Override
        public ScheduledExecutorService timer() {
            return runtime.scheduler();
        }

        @Override
        public void sessionEnded(SessionTask session, boolean onSessionThread) {
            topology.sessionEnded(session, onSessionThread);
        }

        @Override
        public Wire wire() {
            return wire;
        }
    }
}
