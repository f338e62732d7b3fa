package io.github.hivemesh.task;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Tracks which tasks wait on which, and releases each task once all its dependencies have
 * completed.
 *
 * <p>A task is added with the ids it depends on. Every dependency must be known (added
 * earlier, or in the same {@link #addAll} batch) and the batch must not close a cycle; otherwise
 * nothing of the batch is added. Because dependencies of a single {@link #add} must already
 * exist, only a batch can form a cycle, and it is reported with its path
 * ({@code a -> b} reads "a depends on b").
 *
 * <p>{@link #complete} releases the dependents whose last dependency it was; {@link #fail}
 * fails every task that waits on the failed one, transitively. A task whose dependency has
 * already failed is admitted as {@link Admission#FAILED}.
 *
 * <p>Not thread-safe: a coordinator uses it from its serial actor only.
 */
public final class DependencyGraph {

    /** What became of a task when it was added. */
    public enum Admission {
        /** All dependencies had completed: it may be scheduled now. */
        READY,
        /** It waits for at least one dependency. */
        WAITING,
        /** A dependency had failed, so it fails too. */
        FAILED
    }

    /** Where a task is in the graph. */
    public enum NodeState {
        /** Waiting for dependencies. */
        WAITING,
        /** Released; scheduled or running. */
        READY,
        /** Completed. */
        COMPLETED,
        /** Failed, itself or through a dependency. */
        FAILED
    }

    private static final class Node {
        final String id;
        NodeState state;
        int unmet;
        List<Node> dependents;
        String failedDependency;

        Node(String id) {
            this.id = id;
        }

        void addDependent(Node dependent) {
            if (dependents == null) {
                dependents = new ArrayList<>(2);
            }
            dependents.add(dependent);
        }
    }

    private final Map<String, Node> nodes = new HashMap<>();
    private int waiting;

    /** An empty graph. */
    public DependencyGraph() {
    }

    /**
     * Adds one task.
     *
     * @param taskId the task's id
     * @param dependencies the ids of the tasks it depends on
     * @return whether the task may run now, must wait, or is refused
     * @throws DuplicateTaskException     if the id is already in the graph
     * @throws UnknownDependencyException if a dependency is not in the graph
     * @throws CyclicDependencyException  if it depends on itself
     */
    public Admission add(String taskId, Collection<String> dependencies) {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(dependencies, "dependencies");
        return addAll(Map.of(taskId, dependencies)).get(taskId);
    }

    /**
     * Adds a batch of tasks that may depend on each other; all or nothing.
     *
     * @param tasks task id to the ids it depends on
     * @return each task's admission, in the map's iteration order
     * @throws DuplicateTaskException     if an id is already in the graph
     * @throws UnknownDependencyException if a dependency is neither in the graph nor the batch
     * @throws CyclicDependencyException  if the batch's dependencies form a cycle (named)
     */
    public Map<String, Admission> addAll(Map<String, ? extends Collection<String>> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        for (Map.Entry<String, ? extends Collection<String>> task : tasks.entrySet()) {
            String id = Objects.requireNonNull(task.getKey(), "task id");
            if (nodes.containsKey(id)) {
                throw new DuplicateTaskException(id);
            }
            for (String dependency : Objects.requireNonNull(task.getValue(), "dependencies")) {
                Objects.requireNonNull(dependency, "dependency");
                if (!nodes.containsKey(dependency) && !tasks.containsKey(dependency)) {
                    throw new UnknownDependencyException(id, dependency);
                }
            }
        }
        List<String> order = topologicalOrder(tasks);
        Map<String, Admission> admissions = new LinkedHashMap<>();
        for (String id : order) {
            admissions.put(id, insert(id, tasks.get(id)));
        }
        Map<String, Admission> inInputOrder = new LinkedHashMap<>();
        for (String id : tasks.keySet()) {
            inInputOrder.put(id, admissions.get(id));
        }
        return inInputOrder;
    }

    private Admission insert(String id, Collection<String> dependencies) {
        Node node = new Node(id);
        for (String dependencyId : dependencies) {
            Node dependency = nodes.get(dependencyId);
            if (dependency.state == NodeState.FAILED) {
                node.state = NodeState.FAILED;
                node.failedDependency = dependencyId;
                nodes.put(id, node);
                return Admission.FAILED;
            }
        }
        for (String dependencyId : dependencies) {
            Node dependency = nodes.get(dependencyId);
            if (dependency.state != NodeState.COMPLETED) {
                node.unmet++;
                dependency.addDependent(node);
            }
        }
        nodes.put(id, node);
        if (node.unmet == 0) {
            node.state = NodeState.READY;
            return Admission.READY;
        }
        node.state = NodeState.WAITING;
        waiting++;
        return Admission.WAITING;
    }

    /**
     * Orders the batch so each task comes after its in-batch dependencies (Kahn's algorithm);
     * if some tasks remain, they contain a cycle, which a walk along remaining edges finds.
     */
    private List<String> topologicalOrder(Map<String, ? extends Collection<String>> tasks) {
        Map<String, Integer> inBatchDeps = new HashMap<>();
        Map<String, List<String>> inBatchDependents = new HashMap<>();
        for (Map.Entry<String, ? extends Collection<String>> task : tasks.entrySet()) {
            int count = 0;
            for (String dependency : task.getValue()) {
                if (tasks.containsKey(dependency)) {
                    count++;
                    inBatchDependents.computeIfAbsent(dependency, d -> new ArrayList<>())
                            .add(task.getKey());
                }
            }
            inBatchDeps.put(task.getKey(), count);
        }
        Deque<String> ready = new ArrayDeque<>();
        for (String id : tasks.keySet()) {
            if (inBatchDeps.get(id) == 0) {
                ready.add(id);
            }
        }
        List<String> order = new ArrayList<>(tasks.size());
        while (!ready.isEmpty()) {
            String id = ready.poll();
            order.add(id);
            for (String dependent : inBatchDependents.getOrDefault(id, List.of())) {
                if (inBatchDeps.merge(dependent, -1, Integer::sum) == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (order.size() < tasks.size()) {
            throw new CyclicDependencyException(findCycle(tasks, inBatchDeps));
        }
        return order;
    }

    /** Walks from an unordered task along unordered dependencies until a task repeats. */
    private static List<String> findCycle(Map<String, ? extends Collection<String>> tasks,
            Map<String, Integer> remaining) {
        String start = null;
        for (Map.Entry<String, Integer> entry : remaining.entrySet()) {
            if (entry.getValue() > 0) {
                start = entry.getKey();
                break;
            }
        }
        Map<String, Integer> seenAt = new LinkedHashMap<>();
        List<String> path = new ArrayList<>();
        String current = start;
        while (!seenAt.containsKey(current)) {
            seenAt.put(current, path.size());
            path.add(current);
            String next = null;
            for (String dependency : tasks.get(current)) {
                if (remaining.getOrDefault(dependency, 0) > 0) {
                    next = dependency;
                    break;
                }
            }
            current = next;
        }
        // every remaining task has a remaining dependency, so the walk always closes a loop
        List<String> cycle = new ArrayList<>(path.subList(seenAt.get(current), path.size()));
        cycle.add(current);
        return cycle;
    }

    /**
     * Marks a released task completed.
     *
     * @param taskId the task's id
     * @return the tasks this released, in the order they were added
     * @throws IllegalStateException if the task is not released (waiting, or already ended)
     */
    public List<String> complete(String taskId) {
        Node node = require(taskId);
        if (node.state != NodeState.READY) {
            throw new IllegalStateException("task '" + taskId + "' cannot complete from "
                    + node.state);
        }
        node.state = NodeState.COMPLETED;
        List<Node> dependents = node.dependents;
        node.dependents = null;
        if (dependents == null) {
            return List.of();
        }
        List<String> released = new ArrayList<>();
        for (Node dependent : dependents) {
            if (dependent.state == NodeState.WAITING && --dependent.unmet == 0) {
                dependent.state = NodeState.READY;
                waiting--;
                released.add(dependent.id);
            }
        }
        return released;
    }

    /**
     * Marks a task failed (released or still waiting), and with it every task that waits on it,
     * transitively.
     *
     * @param taskId the task's id
     * @return the dependents failed because of it, each after the task it waited on
     * @throws IllegalStateException if the task has already ended
     */
    public List<String> fail(String taskId) {
        Node node = require(taskId);
        if (node.state == NodeState.COMPLETED || node.state == NodeState.FAILED) {
            throw new IllegalStateException("task '" + taskId + "' has already ended: "
                    + node.state);
        }
        if (node.state == NodeState.WAITING) {
            waiting--;
        }
        node.state = NodeState.FAILED;
        List<String> failed = new ArrayList<>();
        Deque<Node> frontier = new ArrayDeque<>();
        frontier.add(node);
        while (!frontier.isEmpty()) {
            Node current = frontier.poll();
            List<Node> dependents = current.dependents;
            current.dependents = null;
            if (dependents == null) {
                continue;
            }
            for (Node dependent : dependents) {
                if (dependent.state == NodeState.WAITING) {
                    dependent.state = NodeState.FAILED;
                    dependent.failedDependency = current.id;
                    waiting--;
                    failed.add(dependent.id);
                    frontier.add(dependent);
                }
            }
        }
        return failed;
    }

    /**
     * {@return the dependency whose failure failed this task, if that is why it failed}
     *
     * @param taskId the task's id
     */
    public Optional<String> failedDependency(String taskId) {
        return Optional.ofNullable(require(taskId).failedDependency);
    }

    /**
     * {@return where a task is, or empty if the graph does not hold it}
     *
     * @param taskId the task's id
     */
    public Optional<NodeState> state(String taskId) {
        Node node = nodes.get(Objects.requireNonNull(taskId, "taskId"));
        return node == null ? Optional.empty() : Optional.of(node.state);
    }

    /**
     * {@return whether the graph holds this id}
     *
     * @param taskId the task's id
     */
    public boolean contains(String taskId) {
        return nodes.containsKey(Objects.requireNonNull(taskId, "taskId"));
    }

    /** {@return tasks waiting for dependencies} */
    public int waitingCount() {
        return waiting;
    }

    /** {@return tasks held (any state)} */
    public int size() {
        return nodes.size();
    }

    /**
     * Drops ended tasks, to bound memory; a later task that names a forgotten id as a
     * dependency is refused as unknown.
     *
     * @param taskIds the tasks' ids
     * @return how many were dropped
     */
    public int forgetEnded(Collection<String> taskIds) {
        Objects.requireNonNull(taskIds, "taskIds");
        int dropped = 0;
        for (String taskId : taskIds) {
            Node node = nodes.get(taskId);
            if (node != null && (node.state == NodeState.COMPLETED
                    || node.state == NodeState.FAILED)) {
                nodes.remove(taskId);
                dropped++;
            }
        }
        return dropped;
    }

    private Node require(String taskId) {
        Node node = nodes.get(Objects.requireNonNull(taskId, "taskId"));
        if (node == null) {
            throw new IllegalArgumentException("task '" + taskId + "' is not in the graph");
        }
        return node;
    }

    /** {@return ids of tasks waiting for dependencies (a snapshot, unordered)} */
    public List<String> waitingTasks() {
        List<String> ids = new ArrayList<>();
        for (Iterator<Node> it = nodes.values().iterator(); it.hasNext();) {
            Node node = it.next();
            if (node.state == NodeState.WAITING) {
                ids.add(node.id);
            }
        }
        return ids;
    }
}
