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
 * The swarm is <em>quiescent</em> when no work is pending, queued, running or in flight. Work
 * is a task (submitted or delegated) until its session has returned — or, for a session that
 * returned a {@code CompletionStage}, until the stage completes — and a user message
 * ({@link #sendToPeer}, a broadcast, from a session, a handler or the application) until its
 * handler has returned. {@link #waitForCompletion} reports the first quiescent moment after the
 * call exactly: never while work remains, and only after the future of every ended task has
 * completed.
 *
 * <h2>Errors</h2>
 * One rule, the same on both topologies: a {@code null} or malformed argument throws at once
 * ({@code NullPointerException}, {@code IllegalArgumentException}). Every other problem fails
 * the returned future and is never thrown from the call: for {@link #submitTask} (an unknown
 * dependency, a duplicate id, saturation in {@code REJECT} mode, no capable agent, a swarm
 * that is not running) with a {@link io.github.hivemesh.task.TaskFailedException} whose cause
 * is the specific exception, as for a task that failed; for {@link #spawnAgent},
 * {@link #spawnAgents}, {@link #removeAgent}, the query controller's pause and resume and the
 * sends, with the specific exception itself ({@code DuplicateAgentException},
 * {@code AgentLimitExceededException}, {@code UnknownAgentException},
 * {@code SwarmShutdownException}...), not wrapped.
 *
 * <p>Implementations are thread-safe.
 */
public interface ICoordinator extends AutoCloseable, Messaging {

    /**
     * {@return the topology that was built ({@link Topology#MESH} or
     * {@link Topology#HIERARCHICAL})}
     */
    Topology topology();

    /** {@return the swarm's id} */
    String swarmId();

    /**
     * Starts discovery, timers and mailboxes. Spawning and submitting need it first.
     *
     * @return a future that completes once the swarm is ready
     */
    CompletableFuture<Void> initialize();

    /**
     * Registers an agent; completes once the swarm can route tasks to it. Fails with
     * {@link io.github.hivemesh.agent.AgentLimitExceededException} beyond
     * {@link SwarmConfig#maxAgents()}, with a
     * {@link io.github.hivemesh.agent.DuplicateAgentException}
     * for an id in use, and with an {@code IllegalArgumentException} for an id starting with
     * {@code hivemesh.} (the library's own endpoints).
     *
     * @param definition the agent: id, capabilities, session
     * @return a future of the agent's handle
     */
    CompletableFuture<AgentHandle> spawnAgent(AgentDefinition definition);

    /**
     * Registers several agents in parallel: the whole batch is checked first, so a refused
     * batch (a duplicate id, inside it or in use, or more agents than fit) spawns none of them.
     *
     * @param definitions the agents, with distinct ids
     * @return a future of the agents' handles, in the batch's order
     */
    CompletableFuture<List<AgentHandle>> spawnAgents(Collection<AgentDefinition> definitions);

    /**
     * Removes an agent, the same way on both topologies: it stops being routable at once; tasks
     * queued on it and not started are handed back and placed on other capable agents (or
     * fail, with a {@code NoCapableAgentException}, if none is left); its running tasks — and a
     * stage an asynchronous session returned — finish first, and the messages it has received
     * are handled. The future completes once it has left; fails with
     * {@code UnknownAgentException} for an unknown id.
     *
     * @param agentId the agent's id
     * @return a future that completes once the agent has left
     */
    CompletableFuture<Void> removeAgent(String agentId);

    /**
     * {@return the live agents: spawned (routable) and not yet removed, in no particular order}
     * Empty once the swarm has stopped; a handle kept from before then shows {@code TERMINATED}.
     */
    List<AgentHandle> agents();

    /**
     * Submits a task; it is routed to the least-loaded agent with all its required
     * capabilities once its dependencies have completed. The future fails (with a
     * {@link io.github.hivemesh.task.TaskFailedException}, see "Errors") when the task cannot
     * be accepted or no agent can serve it.
     *
     * @param task the task
     * @return a future of the task's result
     */
    CompletableFuture<TaskResult> submitTask(Task task);

    /**
     * {@return a snapshot of a task's state, if the swarm knows (or still remembers) the id}
     *
     * @param taskId the task's id
     */
    Optional<TaskStatus> taskStatus(String taskId);

    /**
     * Completes {@code true} at the first quiescent moment after this call (at once if the
     * swarm is quiescent now), {@code false} if {@code timeout} passes first.
     *
     * @param timeout how long to wait at most
     * @return a future of whether the swarm was quiescent before {@code timeout}
     */
    CompletableFuture<Boolean> waitForCompletion(Duration timeout);

    /**
     * Pauses and resumes agents, and accounts the tokens pausing saved.
     *
     * @return the swarm's query controller
     */
    IQueryController queryController();

    /**
     * {@inheritDoc}
     *
     * <p>From the application: the handler sees the sender {@code "hivemesh.application"}.
     */
    @Override
    CompletableFuture<Void> sendToPeer(String agentId, String type, Object payload);

    /**
     * {@return the swarm's shared memory: entries agents remember and share, and the peer states}
     */
    ISwarmMemoryManager memory();

    /**
     * {@return the swarm's artifact store, shared with the agents ({@code
     * TaskContext.artifacts()}): durable under {@link SwarmConfig#artifactStoragePath()}, else in
     * memory}
     */
    ArtifactStorage artifacts();

    /** {@return what the swarm has done so far} */
    CoordinatorMetrics getMetrics();

    /**
     * Stops the swarm: no new work is accepted, tasks not yet started fail with a clear reason,
     * running sessions are interrupted and waited for, every pending future completes, and the
     * threads the library created stop.
     *
     * @return a future that completes once the swarm has stopped
     */
    CompletableFuture<Void> shutdown();

    /** {@link #shutdown()} and wait for it. */
    @Override
    void close();
}
