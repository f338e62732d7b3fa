package io.github.hivemesh.mesh;

import io.github.hivemesh.broker.Message;
import io.github.hivemesh.cluster.ClusterException;
import io.github.hivemesh.cluster.ClusterMessageBroker;
import io.github.hivemesh.cluster.RemoteEndpoint;
import io.github.hivemesh.internal.SwarmKernel;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.TaskRegistry;
import io.github.hivemesh.internal.wire.DependencyNotice;
import io.github.hivemesh.internal.wire.DependencyNotice.Kind;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.task.UnknownDependencyException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dependencies named across members (cluster mode): a task that depends on an id its member
 * does not know waits on a <em>stand-in</em> record of that id, which ends as the task of that
 * id on another member ends.
 *
 * <h2>Looking a dependency up</h2>
 * The dependent's member asks the desk of every other member in its view ({@link Kind#LOOKUP});
 * each answers whether it holds a task of that id. Once every asked member has answered (a
 * member that leaves the view before it answers counts as not holding it), the lookup is
 * <em>resolved</em> when exactly one holds it, and fails otherwise: with an
 * {@link UnknownDependencyException} when none does (as in one JVM), an
 * {@link IllegalArgumentException} when several do (task ids are unique per member only), and
 * one when the holder refuses. Until then the dependent does not enter its root's dependency
 * keeper ({@link MeshRoot}), so a failed lookup fails the task with that error, not as a failed
 * dependency. The holder then reports the task's end to the asking desk ({@link Kind#COMPLETED},
 * {@link Kind#FAILED} with its error), FIFO after its answer; the stand-in ends the same way and
 * the keeper goes on as for a local dependency. If the holder leaves the view first, the
 * stand-in fails ({@link ClusterException}): no dependent waits for a member that is gone.
 *
 * <h2>Why waits across members cannot form a cycle</h2>
 * In one JVM a task can only depend on tasks that exist when it is submitted, so dependencies
 * are acyclic. Across members two lookups can cross: A on one member depends on B of another,
 * which depends on A, both submitted at once. A holder therefore refuses ({@link Kind#REFUSED})
 * a task that has dependencies and has not left {@link TaskState#PENDING}, i.e. still waits for
 * them. Every cycle that crosses members has an edge into a task of another member, and that
 * task waits for its own dependency in the cycle for ever — so it is refused whenever that
 * edge is looked up, and the cycle never forms. The price: a task can be depended on from
 * another member only once its own dependencies have completed (or if it has none).
 *
 * <p>The desk's answers run in the desk's mailbox, {@link #lookUp} on the submitting thread,
 * {@link #deskLeft} on the transport's thread: every lookup's state is guarded by the lookup.
 */
final class RemoteDependencies {

    private static final String DESK_PREFIX = "hivemesh.desk.";

    private final SwarmKernel kernel;
    private final ClusterMessageBroker broker;
    private final String deskId;
    private final String deskPrefix;
    /** Where stand-ins are made; they enter no index. */
    private final TaskRegistry standIns;
    private final AtomicLong numbers = new AtomicLong();
    /** Lookups whose stand-in has not ended, by number. */
    private final ConcurrentHashMap<Long, Lookup> lookups = new ConcurrentHashMap<>();
    private volatile RuntimeException stopped;

    RemoteDependencies(SwarmKernel kernel, ClusterMessageBroker broker, String deskId,
            TaskRegistry standIns) {
        this.kernel = kernel;
        this.broker = broker;
        this.deskId = deskId;
        this.deskPrefix = DESK_PREFIX + kernel.swarmId() + ".";
        this.standIns = standIns;
    }

    // ---- the dependent's member ---------------------------------------------------------

    /**
     * A stand-in for {@code dependencyId}, looked up on every other member; null when there is
     * no other member to ask. Any thread; does not block.
     */
    TaskRecord lookUp(String dependentId, String dependencyId) {
        RuntimeException refusal = stopped;
        if (refusal != null) {
            throw refusal;
        }
        Map<String, String> desks = new HashMap<>();
        for (RemoteEndpoint endpoint : broker.remoteEndpoints()) {
            if (endpoint.id().startsWith(deskPrefix)) {
                desks.put(endpoint.id(), endpoint.member().toString());
            }
        }
        if (desks.isEmpty()) {
            return null;
        }
        TaskRecord standIn = standIns.detached(Task.builder().id(dependencyId)
                .type("hivemesh.remote-dependency").build(), null);
        Lookup lookup = new Lookup(numbers.incrementAndGet(), dependentId, dependencyId,
                standIn, desks);
        // the root finds the lookup from the stand-in, whenever the dependent reaches it
        standIn.attach(lookup);
        lookups.put(lookup.number, lookup);
        standIn.whenSettled(() -> lookups.remove(lookup.number));
        for (String desk : desks.keySet()) {
            Message message = notice(desk, new DependencyNotice(Kind.LOOKUP, dependencyId,
                    lookup.number, null));
            if (broker.sendControl(deskId, desk, message).isCompletedExceptionally()) {
                lookup.answered(desk, Kind.UNKNOWN, null);
            }
        }
        return standIn;
    }

    /**
     * The lookups of the stand-ins among a task's dependencies, done or not (empty: none):
     * the root lets the task into its keeper once all have resolved, and fails it with the
     * first failure otherwise. Any thread.
     */
    static List<CompletableFuture<Void>> lookups(TaskRecord[] dependencies) {
        List<CompletableFuture<Void>> found = new ArrayList<>(0);
        for (TaskRecord dependency : dependencies) {
            if (dependency.attachment() instanceof Lookup lookup) {
                found.add(lookup.resolution);
            }
        }
        return found;
    }

    /** An answer from another member's desk. The desk's mailbox. */
    void onAnswer(String fromDesk, DependencyNotice notice) {
        Lookup lookup = lookups.get(notice.lookup());
        if (lookup != null && lookup.dependencyId.equals(notice.taskId())) {
            lookup.answered(fromDesk, notice.kind(), notice.error());
        }
    }

    /** A desk of another member left (its member left the view, or stopped). Any thread. */
    void deskLeft(String desk) {
        for (Lookup lookup : lookups.values()) {
            lookup.left(desk);
        }
    }

    /** The swarm is stopping: every lookup and stand-in ends with {@code reason}. */
    void stop(RuntimeException reason) {
        stopped = reason;
        for (Lookup lookup : List.copyOf(lookups.values())) {
            lookup.fail(reason);
            lookup.standIn.fail(reason);
        }
    }

    // ---- the holder's member ------------------------------------------------------------

    /**
     * Another member asks whether a task of ours is there to depend on; if it is, its end is
     * reported when it comes (at once if it has ended). The desk's mailbox.
     */
    void onLookup(String fromDesk, DependencyNotice notice) {
        TaskRecord record = kernel.registry().find(notice.taskId()).orElse(null);
        if (record == null) {
            send(fromDesk, new DependencyNotice(Kind.UNKNOWN, notice.taskId(), notice.lookup(),
                    null));
        } else if (!record.task().dependencies().isEmpty()
                && record.state() == TaskState.PENDING) {
            send(fromDesk, new DependencyNotice(Kind.REFUSED, notice.taskId(), notice.lookup(),
                    null));
        } else {
            send(fromDesk, new DependencyNotice(Kind.HELD, notice.taskId(), notice.lookup(),
                    null));
            // FIFO per pair: the end always follows the answer
            record.whenSettled(() -> {
                TaskResult result = record.result();
                boolean completed = record.state() == TaskState.COMPLETED;
                Throwable error = completed ? null : result != null && result.error() != null
                        ? result.error() : new IllegalStateException("task '" + record.id()
                                + "' ended without a result");
                send(fromDesk, new DependencyNotice(completed ? Kind.COMPLETED : Kind.FAILED,
                        notice.taskId(), notice.lookup(), error));
            });
        }
    }

    private void send(String toDesk, DependencyNotice notice) {
        // a desk that left cannot hear it: the lookup there ends with the view
        broker.sendControl(deskId, toDesk, notice(toDesk, notice));
    }

    private Message notice(String toDesk, DependencyNotice notice) {
        return Message.of(DependencyNotice.TYPE, kernel.wire().carry(notice), deskId, toDesk);
    }

    /** One dependency of one task, looked up on the other members. */
    private final class Lookup {
        final long number;
        final String dependentId;
        final String dependencyId;
        final TaskRecord standIn;
        /** Completes once exactly one member holds it; fails otherwise. */
        final CompletableFuture<Void> resolution = new CompletableFuture<>();
        /** The members' names by desk, as they were when it was asked. */
        final Map<String, String> members;
        // guarded by this
        final Set<String> awaiting;
        final List<String> holders = new ArrayList<>(1);
        String refusedBy;
        /** An end reported before the lookup was decided, by desk. */
        final Map<String, DependencyNotice> early = new HashMap<>(1);

        Lookup(long number, String dependentId, String dependencyId, TaskRecord standIn,
                Map<String, String> desks) {
            this.number = number;
            this.dependentId = dependentId;
            this.dependencyId = dependencyId;
            this.standIn = standIn;
            this.members = Map.copyOf(desks);
            this.awaiting = new HashSet<>(desks.keySet());
        }

        void answered(String desk, Kind kind, Throwable error) {
            List<Runnable> after = new ArrayList<>(1);
            synchronized (this) {
                switch (kind) {
                    case HELD -> {
                        if (awaiting.remove(desk)) {
                            holders.add(desk);
                        }
                    }
                    case UNKNOWN -> awaiting.remove(desk);
                    case REFUSED -> {
                        if (awaiting.remove(desk)) {
                            refusedBy = desk;
                        }
                    }
                    case COMPLETED, FAILED -> {
                        if (resolution.isDone()) {
                            if (holders.size() == 1 && holders.get(0).equals(desk)) {
                                after.add(() -> end(kind, error));
                            }
                        } else {
                            early.put(desk, new DependencyNotice(kind, dependencyId, number,
                                    error));
                        }
                    }
                    default -> {
                        // a LOOKUP is never an answer
                    }
                }
                decide(after);
            }
            after.forEach(Runnable::run);
        }

        void left(String desk) {
            List<Runnable> after = new ArrayList<>(1);
            synchronized (this) {
                if (awaiting.remove(desk)) {
                    decide(after);
                } else if (resolution.isDone() && !resolution.isCompletedExceptionally()
                        && holders.size() == 1 && holders.get(0).equals(desk)) {
                    after.add(() -> standIn.fail(new ClusterException("task '" + dependencyId
                            + "', a dependency of '" + dependentId + "', was held by member "
                            + members.get(desk) + ", which left before it ended")));
                }
            }
            // the stand-in's callbacks are the keeper's: not on the transport's thread
            after.forEach(action -> kernel.runtime().worker().execute(action));
        }

        /** Called with this held, once an answer or a departure came. */
        private void decide(List<Runnable> after) {
            if (!awaiting.isEmpty() || resolution.isDone()) {
                return;
            }
            if (refusedBy != null) {
                after.add(() -> fail(new IllegalArgumentException("task '" + dependentId
                        + "' depends on task '" + dependencyId + "' of member "
                        + members.get(refusedBy) + ", which still waits for dependencies of "
                        + "its own: a task another member depends on must have none left to "
                        + "wait for (so that waits across members cannot form a cycle)")));
            } else if (holders.isEmpty()) {
                after.add(() -> fail(new UnknownDependencyException(dependentId,
                        dependencyId)));
            } else if (holders.size() > 1) {
                List<String> names = new ArrayList<>();
                holders.forEach(desk -> names.add(members.get(desk)));
                after.add(() -> fail(new IllegalArgumentException("task '" + dependentId
                        + "' depends on task id '" + dependencyId + "', which several members "
                        + "hold (" + String.join(", ", names) + "): task ids are unique per "
                        + "member, so it is ambiguous")));
            } else {
                DependencyNotice end = early.remove(holders.get(0));
                after.add(() -> {
                    resolution.complete(null);
                    if (end != null) {
                        end(end.kind(), end.error());
                    }
                });
            }
        }

        void fail(RuntimeException why) {
            if (resolution.completeExceptionally(why)) {
                standIn.fail(why);
            }
        }

        private void end(Kind kind, Throwable error) {
            if (kind == Kind.COMPLETED) {
                standIn.assign(deskId);
                standIn.start();
                standIn.complete(null);
            } else {
                standIn.fail(error);
            }
        }
    }
}
