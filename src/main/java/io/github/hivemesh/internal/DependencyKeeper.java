package io.github.hivemesh.internal;

import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.DependencyGraph;
import io.github.hivemesh.task.DependencyGraph.NodeState;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * Where tasks wait for their dependencies, for both topologies (the mesh's root, the
 * hierarchy's queen): in a {@link DependencyGraph}, until every task they depend on has
 * completed; they fail when one fails.
 *
 * <h2>Hearing that a task ended</h2>
 * A task enters the graph either as a dependency or as a task with dependencies; from then on
 * the keeper <em>watches</em> it: once its record has settled ({@link TaskRecord#whenSettled}),
 * the host posts it back to the keeper's mailbox ({@link Host#post}), and {@link #finished}
 * applies its end. A record settles exactly once, whether it already has or does later, so no
 * end is missed and none is seen twice; a task that had ended before it entered is applied at
 * once. Once its end is applied the task leaves the graph, and a later task naming it finds it
 * ended. The records are the ones resolved when the task was accepted, so a dependency that
 * ended and was forgotten by the registry meanwhile is still read for what it was — a failure
 * is never taken for a success. The application's own future is never read.
 *
 * <h2>Arrival order</h2>
 * A dependent can reach the keeper before its dependency does (they are accepted on different
 * threads, or the dependency is delegated from a peer's mailbox). A dependency without
 * dependencies of its own is just watched; one with dependencies must be in the graph before
 * its dependents, so they wait here ({@code early}) until it arrives — or until it ends without
 * arriving (it failed at once, or was cancelled), which the keeper also watches for.
 *
 * <p>Not thread-safe: the owning actor's mailbox only, except {@link Host#post}, which is
 * called from whatever thread settles a watched record.
 */
public final class DependencyKeeper {

    /** What a keeper's owner does with the tasks it decides about. */
    public interface Host {
        /** Every dependency of {@code record} has completed: it may run now. Mailbox. */
        void ready(TaskRecord record);

        /**
         * A dependency of {@code record} failed (or the task could not be admitted): the host
         * fails it with {@code cause} and lets it go. Mailbox.
         */
        void fail(TaskRecord record, RuntimeException cause);

        /** A held task ended while it waited (cancelled, shut down): the host lets it go. */
        void drop(TaskRecord record);

        /** Delivers {@code settled} to this keeper's {@link #finished}, through the mailbox. */
        void post(TaskRecord settled);
    }

    private final Host host;
    private final DependencyGraph graph = new DependencyGraph();
    /** Tasks admitted and waiting, by id. */
    private final HashMap<String, TaskRecord> held = new HashMap<>();
    /** Tasks that arrived before a dependency they need in the graph, by that dependency. */
    private final HashMap<String, List<TaskRecord>> early = new HashMap<>();

    /** A keeper deciding for {@code host}. */
    public DependencyKeeper(Host host) {
        this.host = host;
    }

    /** A task with dependencies has arrived ({@link TaskRecord#dependencies()} not null). */
    public void hold(TaskRecord record) {
        // read once: a record drops them the moment it ends, on whatever thread ends it
        TaskRecord[] dependencies = record.dependencies();
        if (dependencies == null || record.state().isTerminal()) {
            record.dropDependencies();
            host.drop(record);
        } else {
            TaskRecord missing = unarrivedDependency(dependencies);
            if (missing != null) {
                List<TaskRecord> waiting = early.get(missing.id());
                if (waiting == null) {
                    waiting = new ArrayList<>(2);
                    early.put(missing.id(), waiting);
                    // it may end without ever arriving: then its waiters must hear of it
                    watch(missing);
                }
                waiting.add(record);
                return;
            }
            admit(record, dependencies);
        }
        releaseEarly(record.id());
    }

    /** The dependents that waited for {@code taskId} to arrive try again. */
    private void releaseEarly(String taskId) {
        List<TaskRecord> waited = early.remove(taskId);
        if (waited != null) {
            waited.forEach(this::hold);
        }
    }

    /** A dependency that has dependencies itself, is live, and has not entered the graph. */
    private TaskRecord unarrivedDependency(TaskRecord[] dependencies) {
        for (TaskRecord dependency : dependencies) {
            if (!dependency.state().isTerminal() && dependency.dependencies() != null
                    && !graph.contains(dependency.id())) {
                return dependency;
            }
        }
        return null;
    }

    private void admit(TaskRecord record, TaskRecord[] dependencies) {
        record.dropDependencies();
        List<String> ids = new ArrayList<>(dependencies.length);
        for (TaskRecord dependency : dependencies) {
            track(dependency);
            ids.add(dependency.id());
        }
        DependencyGraph.Admission admission;
        try {
            admission = graph.add(record.id(), ids);
        } catch (RuntimeException e) {
            // an id reused while the older task of that id is still in the graph
            forgetEnded(dependencies);
            host.fail(record, e);
            return;
        }
        watch(record);
        switch (admission) {
            case READY -> host.ready(record);
            case WAITING -> held.put(record.id(), record);
            case FAILED -> {
                String failed = graph.failedDependency(record.id()).orElseThrow();
                host.fail(record, new DependencyFailedException(record.id(), failed,
                        errorOf(dependencies, failed)));
            }
        }
        // only now: the task just admitted has seen which dependencies had ended
        forgetEnded(dependencies);
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
        record.whenSettled(() -> host.post(record));
    }

    private void forgetEnded(TaskRecord[] dependencies) {
        for (TaskRecord dependency : dependencies) {
            graph.forgetEnded(List.of(dependency.id()));
        }
    }

    /** A watched task has settled: release or fail what waits on it, then forget it. Mailbox. */
    public void finished(TaskRecord record) {
        String id = record.id();
        // dependents waiting for it to arrive: it never will now, so they look again
        releaseEarly(id);
        Optional<NodeState> state = graph.state(id);
        if (state.isEmpty()) {
            return;
        }
        switch (state.get()) {
            case WAITING -> {
                // it ended while waiting: cancelled, or the swarm is stopping
                TaskRecord waiting = held.remove(id);
                if (waiting != null) {
                    host.drop(waiting);
                }
                failAll(graph.fail(id), errorOf(record));
            }
            case READY -> {
                if (record.state() == TaskState.COMPLETED) {
                    for (String released : graph.complete(id)) {
                        TaskRecord ready = held.remove(released);
                        if (ready != null) {
                            host.ready(ready);
                        }
                    }
                } else {
                    failAll(graph.fail(id), errorOf(record));
                }
            }
            default -> {
                // its end was applied when it entered, or it failed through a dependency
            }
        }
        graph.forgetEnded(List.of(id));
    }

    /** Fails what waited on a task that failed with {@code cause} (null: not known). */
    private void failAll(List<String> failed, Throwable cause) {
        for (String id : failed) {
            TaskRecord record = held.remove(id);
            if (record != null) {
                host.fail(record, new DependencyFailedException(id,
                        graph.failedDependency(id).orElseThrow(), cause));
            }
        }
    }

    /** The error a task ended with, or null (it did not fail, or ended without a result). */
    private static Throwable errorOf(TaskRecord record) {
        TaskResult result = record.result();
        return result == null ? null : result.error();
    }

    /** The error of the dependency {@code id} among {@code dependencies}, or null. */
    private static Throwable errorOf(TaskRecord[] dependencies, String id) {
        for (TaskRecord dependency : dependencies) {
            if (dependency.id().equals(id)) {
                return errorOf(dependency);
            }
        }
        return null;
    }

    /** Tasks waiting for dependencies now (admitted or early). Mailbox only. */
    public int waiting() {
        int early = 0;
        for (List<TaskRecord> list : this.early.values()) {
            early += list.size();
        }
        return held.size() + early;
    }
}
