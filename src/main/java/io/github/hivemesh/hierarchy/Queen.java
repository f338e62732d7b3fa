package io.github.hivemesh.hierarchy;

import io.github.hivemesh.broker.Message;
import io.github.hivemesh.internal.DependencyKeeper;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.placement.PlacementStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queen: a serial actor holding every accepted task until a team has room for it.
 *
 * <h2>Order</h2>
 * Ready tasks wait in one {@link RunQueue}: priority 10 first, and within a priority in the
 * order they reached the queen — one global order for the whole swarm. A task leaves the queue
 * only for a team with a free slot (a {@link TeamLead#credit credit}), so it starts at once:
 * no task waits at a team behind one that came after it, and a slot that frees goes to the
 * best task submitted before it freed (the slot comes back through this mailbox, after them).
 *
 * <h2>Placement</h2>
 * Two levels, each least-loaded ({@link PlacementStrategy#LEAST_LOADED}): the queen picks, among
 * the teams having a worker able to run the task and a free slot, the one with the smallest
 * share of its capacity in use; that team's lead picks its least-loaded capable worker. A lane
 * whose capability set no routable worker has any more is failed at once, naming the missing
 * capabilities.
 *
 * <h2>Stealing</h2>
 * When a team's queue stops being empty (see {@link TeamLead}), the queen tells every team that
 * has room and no queue of its own ({@link HierarchyMessages#STEAL_CHANCE}); such a team then
 * asks the busiest team for work it can start.
 *
 * <p>Everything runs in the queen's mailbox except {@link #waiting()}, a published count.
 */
final class Queen implements DependencyKeeper.Host {

    private static final Logger LOG = LoggerFactory.getLogger(Queen.class);
    /** Loads are shares of capacity in 1/65536ths. */
    private static final int LOAD_SHIFT = 16;

    private final HierarchicalCoordinator hive;
    private final String endpoint;
    private final RunQueue ready = new RunQueue();
    private final DependencyKeeper dependencies;
    private final Candidates<TeamLead> candidates = new Candidates<>();
    private final ArrayList<TeamLead> touched = new ArrayList<>();
    private final SplittableRandom random;
    /** The single team, when the queen leads the workers herself. */
    private TeamLead colocated;

    /** Ready tasks not yet placed; written here, read by team leads (a hint) and metrics. */
    private volatile int waiting;
    private long arrivals;
    /** The dispatch pass; a lane with no capable team with room is skipped for the pass. */
    private int pass;
    private final Predicate<RunQueue.Lane> unblocked = lane -> lane.blockedPass != pass;
    private boolean dispatching;
    private boolean again;

    Queen(HierarchicalCoordinator hive, String endpoint, long seed) {
        this.hive = hive;
        this.endpoint = endpoint;
        this.random = new SplittableRandom(seed);
        this.dependencies = new DependencyKeeper(this);
    }

    String endpoint() {
        return endpoint;
    }

    /** Makes {@code team} part of the queen's own mailbox. Before any message. */
    void colocate(TeamLead team) {
        this.colocated = team;
    }

    /** Ready tasks waiting for a free slot. Any thread. */
    int waiting() {
        return waiting;
    }

    // ---- the mailbox ------------------------------------------------------------------

    /** The broker handler of the queen's endpoint. */
    void onMessage(Message message) {
        switch (message.type()) {
            case HierarchyMessages.SUBMIT -> {
                arrive((Job) message.payload());
                dispatch();
            }
            case HierarchyMessages.ROOM -> {
                TeamLead.Credit credit = (TeamLead.Credit) message.payload();
                credit(credit.team(), credit.slots());
            }
            case HierarchyMessages.QUEUED -> offerStealChances();
            case HierarchyMessages.REQUEUE -> {
                TeamLead.Requeue requeue = (TeamLead.Requeue) message.payload();
                requeue.team().credit += requeue.jobs().size();
                for (Job job : requeue.jobs()) {
                    hive.reclaimQueenSlot();
                    makeReady(job);
                }
                dispatch();
            }
            case HierarchyMessages.FINISHED -> {
                dependencies.finished((TaskRecord) message.payload());
                dispatch();
            }
            default -> {
                if (colocated != null) {
                    colocated.onMessage(message);
                } else {
                    LOG.warn("queen of swarm '{}' ignored a message of unknown type '{}'",
                            hive.swarmId(), message.type());
                }
            }
        }
    }

    /** A task reaches the queen: it waits for its dependencies, or is ready. */
    private void arrive(Job job) {
        job.seq = arrivals++;
        if (job.record.dependencies() != null) {
            dependencies.hold(job.record);
        } else if (job.record.state().isTerminal()) {
            drop(job);
        } else {
            makeReady(job);
        }
    }

    /** A task whose dependencies have all completed. */
    void makeReady(Job job) {
        ready.add(job);
        waiting = ready.size();
    }

    /** A team gives slots back (or takes them away); then place what now fits. */
    void credit(TeamLead team, int slots) {
        team.credit += slots;
        dispatch();
    }

    /** A held task ends at the queen: it leaves her count and the completion count. */
    void drop(Job job) {
        hive.releaseQueenSlot();
        job.end(hive.detector());
    }

    /** Fails a held task and drops it. */
    void fail(Job job, Throwable cause) {
        job.record.fail(cause);
        drop(job);
    }

    /** Posts a notice to the queen's own mailbox. Any thread. */
    void post(String type, Object payload) {
        hive.send(endpoint, endpoint, type, payload);
    }

    // ---- DependencyKeeper.Host: the queen's mailbox, but post ------------------------------

    @Override
    public void ready(TaskRecord record) {
        makeReady((Job) record.attachment());
    }

    @Override
    public void fail(TaskRecord record, RuntimeException cause) {
        fail((Job) record.attachment(), cause);
    }

    @Override
    public void drop(TaskRecord record) {
        drop((Job) record.attachment());
    }

    @Override
    public void post(TaskRecord settled) {
        post(HierarchyMessages.FINISHED, settled);
    }

    /**
     * Places ready tasks, best first, on teams with room, until no waiting task has a capable
     * team with room. Re-entrant calls (a colocated team asking for more while accepting) are
     * folded into one more pass.
     */
    void dispatch() {
        if (dispatching) {
            again = true;
            return;
        }
        dispatching = true;
        try {
            do {
                again = false;
                placeReady();
                flush();
            } while (again);
        } finally {
            dispatching = false;
        }
    }

    private void placeReady() {
        if (ready.isEmpty()) {
            return;
        }
        pass++;
        long version = hive.roster().version();
        while (true) {
            RunQueue.Lane lane = ready.best(unblocked);
            if (lane == null) {
                break;
            }
            if (lane.version != version) {
                lane.capable = hive.roster().capableTeams(lane.required);
                lane.version = version;
            }
            if (lane.capable.length == 0) {
                for (Job job : ready.removeLanes(l -> l == lane)) {
                    fail(job, hive.noCapableAgent(job.record));
                }
                continue;
            }
            TeamLead team = chooseTeam(lane.capable);
            if (team == null) {
                lane.blockedPass = pass;
                continue;
            }
            Job job = ready.poll(lane);
            if (job.record.state().isTerminal()) {
                drop(job);
                continue;
            }
            team.credit--;
            hive.releaseQueenSlot();
            if (team.outbox.isEmpty()) {
                touched.add(team);
            }
            team.outbox.add(job);
        }
        waiting = ready.size();
    }

    /** Among capable teams with a free slot, the one using the least of its capacity. */
    private TeamLead chooseTeam(TeamLead[] capable) {
        for (TeamLead team : capable) {
            int free = team.credit;
            if (free > 0) {
                int capacity = Math.max(team.capacity(), free);
                candidates.add(team, (int) (((long) (capacity - free) << LOAD_SHIFT) / capacity));
            }
        }
        return candidates.pick(PlacementStrategy.LEAST_LOADED, random);
    }

    private void flush() {
        for (int i = 0; i < touched.size(); i++) {
            TeamLead team = touched.get(i);
            List<Job> jobs = new ArrayList<>(team.outbox);
            team.outbox.clear();
            if (team.colocated) {
                team.accept(jobs);
            } else {
                hive.send(endpoint, team.endpoint, HierarchyMessages.TASKS, jobs);
            }
        }
        touched.clear();
    }

    /** Tells every team with room and nothing queued that there is work to steal. */
    private void offerStealChances() {
        for (TeamLead team : hive.roster().teams()) {
            if (team.credit > 0 && team.queued() == 0) {
                hive.send(endpoint, team.endpoint, HierarchyMessages.STEAL_CHANCE, null);
            }
        }
    }
}
