package io.github.hivemesh.hierarchy;

import io.github.hivemesh.broker.Message;
import io.github.hivemesh.internal.DependencyKeeper;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.wire.Assign;
import io.github.hivemesh.internal.wire.StealChance;
import io.github.hivemesh.internal.wire.TeamQueued;
import io.github.hivemesh.internal.wire.TeamRequeue;
import io.github.hivemesh.internal.wire.TeamRoom;
import io.github.hivemesh.internal.wire.TeamTasks;
import io.github.hivemesh.internal.wire.WireMessage;
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
 * only for a team with a free slot (a <em>credit</em>), so it starts at once: no task waits at a
 * team behind one that came after it, and a slot that frees goes to the best task submitted
 * before it freed (the slot comes back through this mailbox, after them).
 *
 * <h2>Credit</h2>
 * The queen owns each team's credit — the free slots she knows of — and is its only writer:
 * she spends one per task she places, and adds what the team gives back ({@link TeamRoom}: one
 * per task that ends, its workers' slots when one joins, minus its free slots when one
 * leaves, minus what a thief took) and what it hands back ({@link TeamRequeue}).
 *
 * <h2>Placement</h2>
 * Two levels, each least-loaded ({@link PlacementStrategy#LEAST_LOADED}): the queen picks, among
 * the teams having a worker able to run the task and a free slot, the one with the smallest
 * share of its capacity in use; that team's lead picks its least-loaded capable worker. A lane
 * whose capability set no routable worker has any more is failed at once, naming the missing
 * capabilities.
 *
 * <h2>Stealing</h2>
 * When a team's queue stops being empty it tells the queen ({@link TeamQueued}); she tells
 * every team that has room and no queue of its own ({@link StealChance}); such a team then asks
 * the busiest team for work it can start.
 *
 * <h2>Colocation</h2>
 * A swarm with a single team runs it in the queen's mailbox: the team's endpoint is hers. What
 * passes between them is the same messages, handed over in the mailbox turn rather than
 * through the broker.
 *
 * <p>Everything runs in the queen's mailbox except {@link #waiting()}, a published count, and
 * {@link #post}.
 */
final class Queen implements DependencyKeeper.Host {

    private static final Logger LOG = LoggerFactory.getLogger(Queen.class);
    /** Loads are shares of capacity in 1/65536ths. */
    private static final int LOAD_SHIFT = 16;

    private final HiveContext hive;
    private final String endpoint;
    private final RunQueue ready = new RunQueue();
    private final DependencyKeeper dependencies;
    private final Candidates<TeamLead> candidates = new Candidates<>();
    private final SplittableRandom random;
    /** Free slots of each team as the queen counts them, by team index. */
    private final int[] credit;
    /** Tasks placed on each team in the current pass, by team index. */
    private final List<List<Job>> outbox;
    private final ArrayList<TeamLead> touched = new ArrayList<>();
    /** The single team, when the queen's mailbox runs it. */
    private TeamLead colocated;

    /** Ready tasks not yet placed; written here, read by team leads (a hint) and metrics. */
    private volatile int waiting;
    private long arrivals;
    /** The dispatch pass; a lane with no capable team with room is skipped for the pass. */
    private int pass;
    private final Predicate<RunQueue.Lane> unblocked = lane -> lane.blockedPass != pass;
    private boolean dispatching;
    private boolean again;

    Queen(HiveContext hive, String endpoint, int teams, long seed) {
        this.hive = hive;
        this.endpoint = endpoint;
        this.random = new SplittableRandom(seed);
        this.dependencies = new DependencyKeeper(this);
        this.credit = new int[teams];
        this.outbox = new ArrayList<>(teams);
        for (int i = 0; i < teams; i++) {
            outbox.add(new ArrayList<>());
        }
    }

    String endpoint() {
        return endpoint;
    }

    /** Runs {@code team} in the queen's own mailbox. Before any message. */
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
        Object payload = message.payload();
        if (payload instanceof WireMessage wire && isForTeam(wire)) {
            colocated.onMessage(message);
        } else if (payload instanceof WireMessage wire) {
            onWire(wire);
        } else if (payload instanceof HiveCommand.Submit submit) {
            arrive(submit.job());
            dispatch();
        } else if (payload instanceof HiveCommand.Finished finished) {
            dependencies.finished(finished.record());
            dispatch();
        } else if (colocated != null) {
            colocated.onMessage(message);
        } else {
            LOG.warn("queen of swarm '{}' ignored a message it does not understand: {}",
                    hive.swarmId(), message.type());
        }
    }

    /** Whether a wire message at the queen's endpoint is for the colocated team instead. */
    private boolean isForTeam(WireMessage wire) {
        return colocated != null && !(wire instanceof TeamRoom || wire instanceof TeamRequeue
                || wire instanceof TeamQueued);
    }

    /** A message from a team. Also called by the colocated team, in this mailbox. */
    void onWire(WireMessage wire) {
        if (wire instanceof TeamRoom room) {
            credit[room.team()] += room.slots();
            dispatch();
        } else if (wire instanceof TeamRequeue requeue) {
            credit[requeue.team()] += requeue.tasks().size();
            for (Assign assign : requeue.tasks()) {
                Job job = Job.of(hive, assign);
                if (job == null) {
                    // it ended meanwhile and was forgotten: its count was dropped with it
                    continue;
                }
                hive.counters.queenHeld.incrementAndGet();
                makeReady(job);
            }
            dispatch();
        } else if (wire instanceof TeamQueued) {
            offerStealChances();
        } else {
            LOG.warn("queen of swarm '{}' ignored a wire message meant for a team: {}",
                    hive.swarmId(), wire.wireType());
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
    private void makeReady(Job job) {
        ready.add(job);
        waiting = ready.size();
    }

    /** A held task ended at the queen: it leaves her count (the completion count: see Job). */
    void drop(Job job) {
        hive.counters.queenHeld.decrementAndGet();
    }

    /** Fails a held task and drops it. */
    private void fail(Job job, Throwable cause) {
        job.record.fail(cause);
        drop(job);
    }

    /** Posts a command to the queen's own mailbox. Any thread. */
    void post(HiveCommand command) {
        hive.send(command, endpoint, endpoint);
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
        post(new HiveCommand.Finished(settled));
    }

    // ---- dispatch -----------------------------------------------------------------------

    /**
     * Places ready tasks, best first, on teams with room, until no waiting task has a capable
     * team with room. Re-entrant calls (the colocated team giving slots back while it accepts)
     * are folded into one more pass.
     */
    private void dispatch() {
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
        long version = hive.roster.version();
        while (true) {
            RunQueue.Lane lane = ready.best(unblocked);
            if (lane == null) {
                break;
            }
            if (lane.version != version) {
                lane.capable = hive.roster.capableTeams(lane.required);
                lane.version = version;
            }
            if (lane.capable.length == 0) {
                for (Job job : ready.removeLanes(l -> l == lane)) {
                    fail(job, hive.roster.noCapableAgent(job.record));
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
            credit[team.index]--;
            hive.counters.queenHeld.decrementAndGet();
            List<Job> placed = outbox.get(team.index);
            if (placed.isEmpty()) {
                touched.add(team);
            }
            placed.add(job);
        }
        waiting = ready.size();
    }

    /** Among capable teams with a free slot, the one using the least of its capacity. */
    private TeamLead chooseTeam(TeamLead[] capable) {
        for (TeamLead team : capable) {
            int free = credit[team.index];
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
            List<Job> jobs = outbox.get(team.index);
            List<Assign> assigns = new ArrayList<>(jobs.size());
            for (Job job : jobs) {
                assigns.add(job.assignment(endpoint));
            }
            jobs.clear();
            toTeam(team, new TeamTasks(team.index, assigns));
        }
        touched.clear();
    }

    /** Tells every team with room and nothing queued that there is work to steal. */
    private void offerStealChances() {
        for (TeamLead team : hive.roster.teams()) {
            if (credit[team.index] > 0 && team.queued() == 0) {
                toTeam(team, new StealChance());
            }
        }
    }

    /** Sends a team a wire message; the colocated team gets it in this mailbox turn. */
    private void toTeam(TeamLead team, WireMessage wire) {
        WireMessage carried = hive.kernel.wire().carry(wire);
        if (team == colocated) {
            team.onWire(carried);
        } else {
            hive.send(Message.of(carried.wireType(), carried, endpoint, team.endpoint));
        }
    }
}
