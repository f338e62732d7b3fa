package io.github.hivemesh;

import static org.awaitility.Awaitility.await;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.IQueryController;
import io.github.hivemesh.agent.PeerOperationResult;
import io.github.hivemesh.agent.TokenSavings;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.memory.ISwarmMemoryManager;
import io.github.hivemesh.mesh.MeshCoordinator;
import io.github.hivemesh.task.BroadcastResult;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskStatus;
import io.github.hivemesh.testing.ClusterFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One swarm as a test sees it, run by several mesh members of a cluster in this JVM (JGroups
 * over TCP on 127.0.0.1, short timeouts): what the conformance suite uses to run over a cluster
 * with agents spread across members.
 *
 * <p>Member 0 is where the application lives: tasks are submitted there, completion is its,
 * messages from the application leave from it, memory, artifacts and metrics are its. Agents
 * are hosted round-robin by batch, starting with member 1, so most work crosses members; a
 * spawn returns once every member knows the agents, a removal once every member has forgotten
 * them. Calls about one agent (removing, pausing, its tokens) go to the member hosting it:
 * they are member-local by design (see {@code docs/cluster.md}).
 */
final class ClusterSwarm implements ICoordinator {

    private static final Duration DIRECTORY = Duration.ofSeconds(20);

    private final List<MeshCoordinator> members = new ArrayList<>();
    private final Map<String, MeshCoordinator> hosts = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(1);
    private final IQueryController queries = new Queries();

    /** {@code count} members built from {@code config}, each joining one fresh cluster. */
    ClusterSwarm(SwarmConfig.Builder config, int count) {
        String cluster = ClusterFixture.freshClusterName();
        List<Integer> ports = ClusterFixture.freePorts(count);
        SwarmConfig base = config.build();
        String swarmId = base.swarmId();
        try {
            for (int i = 0; i < count; i++) {
                members.add((MeshCoordinator) CoordinatorFactory.createWithTopology(
                        base.toBuilder().swarmId(swarmId)
                                .cluster(ClusterFixture.fast(cluster, "m" + i, ports, i).build())
                                .build()));
            }
        } catch (RuntimeException e) {
            members.forEach(MeshCoordinator::close);
            throw e;
        }
    }

    /** Member 0: the application's. */
    MeshCoordinator home() {
        return members.get(0);
    }

    /** The member hosting {@code agentId} (member 0 for an unknown id). */
    MeshCoordinator hostOf(String agentId) {
        return hosts.getOrDefault(agentId, home());
    }

    @Override
    public Topology topology() {
        return home().topology();
    }

    @Override
    public String swarmId() {
        return home().swarmId();
    }

    @Override
    public CompletableFuture<Void> initialize() {
        return CompletableFuture.allOf(members.stream().map(MeshCoordinator::initialize)
                .toArray(CompletableFuture[]::new));
    }

    @Override
    public CompletableFuture<AgentHandle> spawnAgent(AgentDefinition definition) {
        return then(spawnAgents(List.of(definition)), handles -> handles.get(0));
    }

    @Override
    public CompletableFuture<List<AgentHandle>> spawnAgents(
            Collection<AgentDefinition> definitions) {
        MeshCoordinator host = members.get(next.getAndIncrement() % members.size());
        List<String> ids = definitions.stream().map(AgentDefinition::id).toList();
        return then(host.spawnAgents(definitions), handles -> {
            ids.forEach(id -> hosts.put(id, host));
            await().atMost(DIRECTORY).until(() -> members.stream().filter(m -> m != host)
                    .allMatch(m -> m.remoteAgents().containsAll(ids)));
            return handles;
        });
    }

    @Override
    public CompletableFuture<Void> removeAgent(String agentId) {
        MeshCoordinator host = hostOf(agentId);
        return then(host.removeAgent(agentId), v -> {
            hosts.remove(agentId, host);
            await().atMost(DIRECTORY).until(() -> members.stream().filter(m -> m != host)
                    .noneMatch(m -> m.remoteAgents().contains(agentId)));
            return null;
        });
    }

    /**
     * {@code step} after {@code call} succeeded, on a thread of its own (it waits, and the
     * call may complete on an actor's thread); a failure passes through as it is, unwrapped.
     */
    private static <T, U> CompletableFuture<U> then(CompletableFuture<T> call,
            java.util.function.Function<T, U> step) {
        CompletableFuture<U> done = new CompletableFuture<>();
        call.whenComplete((value, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure instanceof java.util.concurrent
                        .CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else {
                CompletableFuture.runAsync(() -> {
                    try {
                        done.complete(step.apply(value));
                    } catch (Throwable e) {
                        done.completeExceptionally(e);
                    }
                });
            }
        });
        return done;
    }

    @Override
    public List<AgentHandle> agents() {
        List<AgentHandle> all = new ArrayList<>();
        members.forEach(member -> all.addAll(member.agents()));
        return all;
    }

    @Override
    public CompletableFuture<TaskResult> submitTask(Task task) {
        return home().submitTask(task);
    }

    /** A task's status where its record is: the submitter's, or the delegating member's. */
    @Override
    public Optional<TaskStatus> taskStatus(String taskId) {
        for (MeshCoordinator member : members) {
            Optional<TaskStatus> status = member.taskStatus(taskId);
            if (status.isPresent()) {
                return status;
            }
        }
        return Optional.empty();
    }

    @Override
    public CompletableFuture<Boolean> waitForCompletion(Duration timeout) {
        return home().waitForCompletion(timeout);
    }

    @Override
    public IQueryController queryController() {
        return queries;
    }

    @Override
    public CompletableFuture<Void> sendToPeer(String agentId, String type, Object payload) {
        return home().sendToPeer(agentId, type, payload);
    }

    @Override
    public CompletableFuture<BroadcastResult> broadcast(String type, Object payload) {
        return home().broadcast(type, payload);
    }

    @Override
    public CompletableFuture<BroadcastResult> broadcastToCapability(String capability,
            String type, Object payload) {
        return home().broadcastToCapability(capability, type, payload);
    }

    @Override
    public ISwarmMemoryManager memory() {
        return home().memory();
    }

    @Override
    public ArtifactStorage artifacts() {
        return home().artifacts();
    }

    /**
     * The counts summed over the members (each counts the tasks whose records it holds: its
     * submissions and the subtasks its agents delegated; late completions where the agent
     * ran); latencies and message counts are member 0's.
     */
    @Override
    public CoordinatorMetrics getMetrics() {
        CoordinatorMetrics home = home().getMetrics();
        long submitted = 0;
        long completed = 0;
        long failed = 0;
        long queued = 0;
        long running = 0;
        int agents = 0;
        long late = 0;
        for (MeshCoordinator member : members) {
            CoordinatorMetrics m = member.getMetrics();
            submitted += m.tasksSubmitted();
            completed += m.tasksCompleted();
            failed += m.tasksFailed();
            queued += m.tasksQueued();
            running += m.tasksRunning();
            agents += m.agents();
            late += m.lateCompletions();
        }
        return new CoordinatorMetrics(submitted, completed, failed, queued, running, agents,
                home.messagesSent(), home.signalsSent(), home.taskLatencyP50(),
                home.taskLatencyP95(), home.taskLatencyP99(), home.lastCompletionDetection(),
                late);
    }

    /** Member 0 stops first (the application's), then the others. */
    @Override
    public CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> home = home().shutdown();
        for (MeshCoordinator member : members.subList(1, members.size())) {
            member.shutdown().join();
        }
        return home;
    }

    @Override
    public void close() {
        for (MeshCoordinator member : members) {
            member.close();
        }
    }

    @Override
    public String toString() {
        return "ClusterSwarm" + members;
    }

    /** Each agent's calls go to its host. */
    private final class Queries implements IQueryController {

        @Override
        public CompletableFuture<String> pauseAgent(String agentId) {
            return hostOf(agentId).queryController().pauseAgent(agentId);
        }

        @Override
        public CompletableFuture<Void> resumeAgent(String agentId, String checkpointId) {
            return hostOf(agentId).queryController().resumeAgent(agentId, checkpointId);
        }

        @Override
        public CompletableFuture<PeerOperationResult> pausePeers(Collection<String> peerIds,
                String reason) {
            return each(peerIds, (member, ids) -> member.queryController()
                    .pausePeers(ids, reason));
        }

        @Override
        public CompletableFuture<PeerOperationResult> resumePeers(Collection<String> peerIds) {
            return each(peerIds, (member, ids) -> member.queryController().resumePeers(ids));
        }

        private CompletableFuture<PeerOperationResult> each(Collection<String> peerIds,
                java.util.function.BiFunction<MeshCoordinator, List<String>,
                        CompletableFuture<PeerOperationResult>> call) {
            Map<MeshCoordinator, List<String>> byHost = new LinkedHashMap<>();
            for (String id : peerIds) {
                byHost.computeIfAbsent(hostOf(id), h -> new ArrayList<>()).add(id);
            }
            List<String> succeeded = new ArrayList<>();
            Map<String, Throwable> failed = new LinkedHashMap<>();
            CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
            for (Map.Entry<MeshCoordinator, List<String>> entry : byHost.entrySet()) {
                all = all.thenCompose(v -> call.apply(entry.getKey(), entry.getValue())
                        .thenAccept(result -> {
                            succeeded.addAll(result.succeeded());
                            failed.putAll(result.failed());
                        }));
            }
            return all.thenApply(v -> new PeerOperationResult(succeeded, failed));
        }

        @Override
        public TokenSavings getTokenSavings(String agentId) {
            return hostOf(agentId).queryController().getTokenSavings(agentId);
        }

        /** Summed over the members: each meters the agents it hosts. */
        @Override
        public TokenSavings getMeshTokenSavings(String swarmId) {
            TokenSavings all = TokenSavings.none();
            for (MeshCoordinator member : members) {
                all = all.plus(member.queryController().getMeshTokenSavings(swarmId));
            }
            return all;
        }
    }
}
