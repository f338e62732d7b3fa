package io.github.hivemesh.hierarchy;

import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.DependencyGraph;
import io.github.hivemesh.task.DependencyGraph.NodeState;
import io.github.hivemesh.task.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * The queen's keeper of dependencies: tasks wait here, in a {@link DependencyGraph}, until
 * every task they depend on has completed, and fail when one fails.
 *
 * <h2>Hearing that a task ended</h2>
 * A task enters the graph either as a dependency or as a task with dependencies; from then on
 * the queen <em>watches</em> it: a callback on its future posts
 * {@link HierarchyMessages#FINISHED} to her mailbox. A {@code CompletableFuture} runs the
 * callback exactly once, whether the task has already ended or ends later, so no end is missed
 * and none is seen twice; a task that had ended before it entered is applied at once. Once its
 * end is applied the task leaves the graph, and a later task naming it finds it ended.
 *
 * <h2>Arrival order</h2>
 * Dependencies are resolved to their records when a task is accepted, so a dependent can reach
 * the queen before its dependency does (they are submitted from different threads). A
 * dependency without dependencies of its own is just watched; one with dependencies must be in
 * the graph before its dependents, so they wait here ({@code early}) until it arrives.
 *
 * <p>Not thread-safe: the queen's mailbox only.
 */
final class QueenDependencies {

    private final Queen queen;
    private final DependencyGraph graph = new DependencyGraph();
    /** Tasks admitted and waiting, by id. */
    private final HashMap<String, Job> held = new HashMap<>();
    /** Tasks that arrived before a dependency they need in the graph, by that dependency. */
    private final HashMap<String, List<Job>> early = new HashMap<>();

    QueenDependencies(Queen queen) {
        this.queen = queen;
    }

    /** A task with dependencies has arrived. */
    void hold(Job job) {
        if (job.record.state().isTerminal()) {
            queen.drop(job);
        } else {
            String missing = unarrivedDependency(job);
            if (missing != null) {
                early.computeIfAbsent(missing, id -> new ArrayList<>(2)).add(job);
                return;
            }
            admit(job);
        }
        List<Job> waited = early.remove(job.id());
        if (waited != null) {
            waited.forEach(this::hold);
        }
    }

    /** A dependency that has dependencies itself, is live, and has not entered the graph. */
    private String unarrivedDependency(Job job) {
        for (TaskRecord dependency : job.dependencies) {
            if (!dependency.state().isTerminal()
                    && !dependency.task().dependencies().isEmpty()
                    && !graph.contains(dependency.id())) {
                return dependency.id();
            }
        }
        return null;
    }

    private void admit(Job job) {
        List<String> ids = new ArrayList<>(job.dependencies.length);
        for (TaskRecord dependency : job.dependencies) {
            track(dependency);
            ids.add(dependency.id());
        }
        DependencyGraph.Admission admission;
        try {
            admission = graph.add(job.id(), ids);
        } catch (RuntimeException e) {
            // an id reused while the older task of that id is still in the graph
            forgetEnded(job.dependencies);
            queen.fail(job, e);
            return;
        }
        watch(job.record);
        switch (admission) {
            case READY -> queen.makeReady(job);
            case WAITING -> held.put(job.id(), job);
            case FAILED -> queen.fail(job, new DependencyFailedException(job.id(),
                    graph.failedDependency(job.id()).orElseThrow()));
        }
        // only now: the task just admitted has seen which dependencies had ended
        forgetEnded(job.dependencies);
    }

    /** Puts a dependency in the graph, applying its end now or watching for it. */
    private void track(TaskRecord dependency) {
        if (graph.contains(dependency.id())) {
            return;
        }
        graph.add(dependency.id(), List.of());
        TaskState state = dependency.state();
        if (state == TaskState.COMPLETED) {
            graph.complete(dependency.id());
        } else if (state == TaskState.FAILED) {
            graph.fail(dependency.id());
        } else {
            watch(dependency);
        }
    }

    private void watch(TaskRecord record) {
        record.future().whenComplete((result, failure) ->
                queen.post(HierarchyMessages.FINISHED, record));
    }

    private void forgetEnded(TaskRecord[] dependencies) {
        for (TaskRecord dependency : dependencies) {
            graph.forgetEnded(List.of(dependency.id()));
        }
    }

    /** A watched task has ended: release or fail what waits on it, then forget it. */
    void finished(TaskRecord record) {
        String id = record.id();
        Optional<NodeState> state = graph.state(id);
        if (state.isEmpty()) {
            return;
        }
        switch (state.get()) {
            case WAITING -> {
                // it ended while waiting: cancelled, or the swarm is stopping
                Job job = held.remove(id);
                if (job != null) {
                    queen.drop(job);
                }
                failAll(graph.fail(id));
            }
            case READY -> {
                if (record.state() == TaskState.COMPLETED) {
                    for (String released : graph.complete(id)) {
                        Job job = held.remove(released);
                        if (job != null) {
                            queen.makeReady(job);
                        }
                    }
                } else {
                    failAll(graph.fail(id));
                }
            }
            default -> {
                // its end was applied when it entered, or it failed through a dependency
            }
        }
        graph.forgetEnded(List.of(id));
    }

    private void failAll(List<String> failed) {
        for (String id : failed) {
            Job job = held.remove(id);
            if (job != null) {
                queen.fail(job, new DependencyFailedException(id,
                        graph.failedDependency(id).orElseThrow()));
            }
        }
    }
}
