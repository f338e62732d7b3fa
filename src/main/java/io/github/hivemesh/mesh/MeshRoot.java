package io.github.hivemesh.mesh;

import io.github.hivemesh.broker.Message;
import io.github.hivemesh.completion.CompletionProbe;
import io.github.hivemesh.completion.CompletionRoot;
import io.github.hivemesh.completion.IDistributedCompletionDetector;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.TaskRegistry;
import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.DependencyGraph;
import io.github.hivemesh.task.DependencyGraph.NodeState;
import io.github.hivemesh.task.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's root endpoint R: Dijkstra–Scholten's virtual root, and the keeper of dependencies.
 *
 * <p>A task without dependencies never passes here: it is placed and sent straight from the
 * submitting thread (R's part of the detector is thread-safe). A task with dependencies is held
 * at R ({@link CompletionRoot#hold()}) when it is accepted and handed to R's mailbox, where the
 * {@link DependencyGraph} lives; it is sent when its last dependency completes, or fails when
 * one fails. While any such task waits, R holds it, so the swarm cannot look quiescent.
 *
 * <p>R learns that a task ended only for tasks in the graph (the <em>watched</em> ones): the
 * ending thread posts {@link MeshMessages#FINISHED} here. A task named as a dependency after it
 * was sent is watched from then on, and its state is read again after the watch is set, so an
 * end that raced with the watch is never missed (a duplicate notice is ignored).
 *
 * <p>Everything but {@link #isWatched} and {@link #onMessage}'s entry runs in R's mailbox.
 */
final class MeshRoot {

    private static final Logger LOG = LoggerFactory.getLogger(MeshRoot.class);

    private final MeshCoordinator mesh;
    private final CompletionRoot completion;
    private final TaskRegistry registry;
    private final DependencyGraph graph = new DependencyGraph();
    private final Set<String> watched = ConcurrentHashMap.newKeySet();
    /**
     * Held tasks naming a dependency that is itself still on its way here (it has dependencies
     * of its own, so it is admitted by this mailbox too, and another sender's task overtook it):
     * dependency id to its waiting dependents, and back. Root mailbox only.
     */
    private final Map<String, List<TaskRecord>> early = new HashMap<>();
    private final Map<String, String> earlyFor = new HashMap<>();

    MeshRoot(MeshCoordinator mesh, CompletionRoot completion, TaskRegistry registry) {
        this.mesh = mesh;
        this.completion = completion;
        this.registry = registry;
    }

    /** Whether R wants to hear when this task ends. Any thread. */
    boolean isWatched(String taskId) {
        return watched.contains(taskId);
    }

    /** The broker handler of R's endpoint. */
    void onMessage(Message message) {
        switch (message.type()) {
            case IDistributedCompletionDetector.SIGNAL_MESSAGE_TYPE ->
                    completion.onSignal((CompletionProbe) message.payload());
            case MeshMessages.SUBMIT -> onSubmit((TaskRecord) message.payload());
            case MeshMessages.FINISHED -> onFinished((TaskRecord) message.payload());
            case MeshMessages.RETRY -> mesh.router().retryBacklog();
            default -> LOG.warn("root of swarm '{}' ignored a message of unknown type '{}'",
                    mesh.swarmId(), message.type());
        }
    }

    /** A held task with dependencies. */
    private void onSubmit(TaskRecord record) {
        if (record.state().isTerminal()) {
            completion.release();
            // its early dependents see it ended, unadmitted, when they are admitted
            admitEarly(record.id());
            return;
        }
        Set<String> dependencies = record.task().dependencies();
        for (String dependency : dependencies) {
            if (onItsWay(dependency)) {
                watched.add(record.id());
                early.computeIfAbsent(dependency, d -> new ArrayList<>()).add(record);
                earlyFor.put(record.id(), dependency);
                return;
            }
        }
        admit(record, dependencies);
        admitEarly(record.id());
    }

    /**
     * Whether a dependency will still be admitted here: it has dependencies of its own, has
     * not ended, and is not in the graph yet.
     */
    private boolean onItsWay(String dependency) {
        if (graph.contains(dependency)) {
            return false;
        }
        TaskRecord record = registry.find(dependency).orElse(null);
        return record != null && !record.task().dependencies().isEmpty()
                && record.state() == TaskState.PENDING;
    }

    /** The dependents that waited for {@code taskId} to arrive try again. */
    private void admitEarly(String taskId) {
        List<TaskRecord> waiting = early.remove(taskId);
        if (waiting != null) {
            for (TaskRecord dependent : waiting) {
                earlyFor.remove(dependent.id());
                onSubmit(dependent);
            }
        }
    }

    private void admit(TaskRecord record, Set<String> dependencies) {
        DependencyGraph.Admission admission;
        try {
            for (String dependency : dependencies) {
                track(dependency);
            }
            watched.add(record.id());
            admission = graph.add(record.id(), dependencies);
        } catch (RuntimeException e) {
            // e.g. a task id reused while an older task of that id is still in the graph
            watched.remove(record.id());
            record.fail(e);
            completion.release();
            return;
        } finally {
            forgetEnded(dependencies);
        }
        switch (admission) {
            case READY -> mesh.router().dispatchFromRoot(record, true);
            case FAILED -> failHeld(record, graph.failedDependency(record.id()).orElseThrow());
            case WAITING -> {
                // stays held until its dependencies end
            }
        }
    }

    /** Drops dependencies that have ended: the tasks admitted above have seen them. */
    private void forgetEnded(Set<String> dependencies) {
        for (String dependency : dependencies) {
            Optional<NodeState> state = graph.state(dependency);
            if (state.isPresent() && (state.get() == NodeState.COMPLETED
                    || state.get() == NodeState.FAILED)) {
                watched.remove(dependency);
                graph.forgetEnded(List.of(dependency));
            }
        }
    }

    /** Puts a dependency in the graph and makes sure its end will be heard. */
    private void track(String dependency) {
        if (!graph.contains(dependency)) {
            graph.add(dependency, List.of());
        }
        if (graph.state(dependency).orElseThrow() == NodeState.READY
                && watched.add(dependency)) {
            // read the state after setting the watch: an end before it is applied here
            Optional<TaskRecord> record = registry.find(dependency);
            TaskState state = record.map(TaskRecord::state).orElse(TaskState.COMPLETED);
            if (state.isTerminal()) {
                markEnded(dependency, state == TaskState.COMPLETED);
            }
        }
    }

    /** A watched task ended: update the graph, then forget the task. */
    private void onFinished(TaskRecord record) {
        String taskId = record.id();
        String awaited = earlyFor.remove(taskId);
        if (awaited != null) {
            // it ended (cancelled) while waiting for its dependency to arrive: no longer held
            early.get(awaited).remove(record);
            watched.remove(taskId);
            completion.release();
            return;
        }
        markEnded(taskId, record.state() == TaskState.COMPLETED);
        watched.remove(taskId);
        graph.forgetEnded(List.of(taskId));
    }

    /** Applies a task's end to the graph: releases or fails its dependents. Idempotent. */
    private void markEnded(String taskId, boolean completed) {
        Optional<NodeState> state = graph.state(taskId);
        if (state.isEmpty()) {
            return;
        }
        if (state.get() == NodeState.WAITING) {
            // it ended while held (cancelled, or the swarm is shutting down)
            for (String failed : graph.fail(taskId)) {
                registry.find(failed).ifPresent(r -> failHeld(r, taskId));
            }
            completion.release();
        } else if (state.get() == NodeState.READY) {
            if (completed) {
                for (String released : graph.complete(taskId)) {
                    registry.find(released).ifPresent(r -> mesh.router().dispatchFromRoot(r, true));
                }
            } else {
                for (String failed : graph.fail(taskId)) {
                    registry.find(failed).ifPresent(r -> failHeld(r, taskId));
                }
            }
        }
    }

    private void failHeld(TaskRecord record, String dependency) {
        record.fail(new DependencyFailedException(record.id(), dependency));
        completion.release();
    }

    /** Tasks waiting for dependencies. Root mailbox only (approximate elsewhere). */
    int waiting() {
        return graph.waitingCount();
    }
}
