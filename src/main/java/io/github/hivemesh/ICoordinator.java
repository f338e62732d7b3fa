package io.github.hivemesh;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.IQueryController;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.memory.ISwarmMemoryManager;
import io.github.hivemesh.task.Messaging;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskStatus;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A swarm of agents: spawn agents, submit tasks, learn exactly when all work has ended.
 * Implemented by the mesh and the hierarchical coordinator; built by {@link CoordinatorFactory}.
 *
 * <pre>{@code
 * try (ICoordinator swarm = CoordinatorFactory.createWithTopology(
 *         SwarmConfig.builder().topology(Topology.AUTO).maxAgents(5).build())) {
 *     swarm.initialize().join();
 *     swarm.spawnAgents(List.of(AgentDefinition.builder()
 *             .id("reviewer-1").capabilities(Set.of("code-review"))
 *             .session(ctx -> review(ctx.task().payload()))
 *             .build())).join();
 *     CompletableFuture<TaskResult> r = swarm.submitTask(Task.builder()
 *             .type("code-review").requiredCapabilities("code-review").payload(diff).build());
 *     boolean done = swarm.waitForCompletion(Duration.ofSeconds(30)).join();
 * }
 * }</pre>
 *
 * <h2>Futures</h2>
 * A task's future completes when that task's own {@code execute} has returned (with its
 * {@link TaskResult}) or failed (exceptionally, with a
 * {@link io.github.hivemesh.task.TaskFailedException} whose cause says why). It does not wait
 * for the task's subtasks: {@link #waitForCompletion} does. Callbacks attached with the
 * non-async {@code CompletableFuture} methods may run on the library's threads; keep them
 * short or use the {@code *Async} variants.
 *
 * <h2>Completion</h2>
 * The swarm is <em>quiescent</em> when no task is pending, queued, running or in flight.
 * {@link #waitForCompletion} reports the first quiescent moment after the call exactly: never
 * while work remains, and only after the future of every ended task has completed.
 *
 * <p>Implementations are thread-safe.
 */
public interface ICoordinator extends AutoCloseable, Messaging {

    /** The topology that was built ({@link Topology#MESH} or {@link Topology#HIERARCHICAL}). */
    Topology topology();

    /** The swarm's id. */
    String swarmId();

    /** Starts discovery, timers and mailboxes. Spawning and submitting need it first. */
    CompletableFuture<Void> initialize();

    /**
     * Registers an agent; completes once the swarm can route tasks to it. Fails with
     * {@link io.github.hivemesh.agent.AgentLimitExceededException} beyond
     * {@link SwarmConfig#maxAgents()}, and with an {@code IllegalArgumentException} for an id
     * already in use.
     */
    CompletableFuture<AgentHandle> spawnAgent(AgentDefinition definition);

    /** Registers several agents in parallel; all or, on the first refusal, a failed future. */
    CompletableFuture<List<AgentHandle>> spawnAgents(Collection<AgentDefinition> definitions);

    /**
     * Removes an agent. Tasks queued on it and not started go to other capable agents (or fail
     * if none is left); its running tasks finish first.
     */
    CompletableFuture<Void> removeAgent(String agentId);

    /** The live agents. */
    List<AgentHandle> agents();

    /**
     * Submits a task; it is routed to the least-loaded agent with all its required
     * capabilities once its dependencies have completed. Fails at once (exceptionally, with a
     * {@link io.github.hivemesh.task.TaskFailedException}) when no agent can serve it.
     */
    CompletableFuture<TaskResult> submitTask(Task task);

    /** A snapshot of a task's state, if the swarm knows (or still remembers) the id. */
    Optional<TaskStatus> taskStatus(String taskId);

    /**
     * Completes {@code true} at the first quiescent moment after this call (at once if the
     * swarm is quiescent now), {@code false} if {@code timeout} passes first.
     */
    CompletableFuture<Boolean> waitForCompletion(Duration timeout);

    /** Pauses and resumes agents, and accounts the tokens pausing saved. */
    IQueryController queryController();

    /**
     * {@inheritDoc}
     *
     * <p>From the application: the handler sees the sender {@code "hivemesh.application"}.
     */
    @Override
    CompletableFuture<Void> sendToPeer(String agentId, String type, Object payload);

    /** The swarm's shared memory: entries agents remember and share, and the peer states. */
    ISwarmMemoryManager memory();

    /**
     * The swarm's artifact store, shared with the agents ({@code TaskContext.artifacts()}):
     * durable under {@link SwarmConfig#artifactStoragePath()}, else in memory.
     */
    ArtifactStorage artifacts();

    /** What the swarm has done so far. */
    CoordinatorMetrics getMetrics();

    /**
     * Stops the swarm: no new work is accepted, tasks not yet started fail with a clear reason,
     * running sessions are interrupted and waited for, every pending future completes, and the
     * threads the library created stop.
     */
    CompletableFuture<Void> shutdown();

    /** {@link #shutdown()} and wait for it. */
    @Override
    void close();
}
