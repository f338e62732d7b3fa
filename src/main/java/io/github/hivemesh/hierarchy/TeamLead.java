package io.github.hivemesh.hierarchy;

import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.internal.wire.Assign;
import io.github.hivemesh.internal.wire.StealChance;
import io.github.hivemesh.internal.wire.StealRequest;
import io.github.hivemesh.internal.wire.Stolen;
import io.github.hivemesh.internal.wire.TeamQueued;
import io.github.hivemesh.internal.wire.TeamRequeue;
import io.github.hivemesh.internal.wire.TeamRoom;
import io.github.hivemesh.internal.wire.TeamTasks;
import io.github.hivemesh.internal.wire.WireMessage;
import io.github.hivemesh.placement.PlacementStrategy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A team lead: a serial actor owning a slice of the workers. It starts the tasks the queen
 * places on its team ({@link TeamTasks}) on the least-loaded capable worker, hears when their
 * sessions end, and gives the queen back the slots they free. Everything but the published
 * counters runs in its mailbox.
 *
 * <h2>Credit</h2>
 * The queen places a task on a team only against a credit — a free slot she knows of; she
 * owns that count. The team lead returns slots by message ({@link TeamRoom}): one per task
 * that ends, its workers' slots when one joins, minus its free slots when one leaves. Because
 * a slot comes back only through the queen's mailbox, the queen learns of it after every task
 * that was submitted before it freed: the task she starts in it is the best of all of them.
 *
 * <p>So with one capability mix a team can always start what it receives. A task queues here
 * only when the free slots belong to workers that cannot run it, or a worker is leaving; such
 * a queue is what an idle team steals ({@link StealRequest}).
 *
 * <h2>Colocation</h2>
 * A swarm's only team runs in the queen's mailbox: its endpoint is hers, and what it sends her
 * is handed over in the same mailbox turn ({@link #toQueen}).
 */
final class TeamLead {

    private static final Logger LOG = LoggerFactory.getLogger(TeamLead.class);

    final int index;
    final String endpoint;
    private final HiveContext hive;
    private final Queen queen;
    /** Whether this team runs in the queen's own mailbox (the swarm has a single team). */
    private final boolean colocated;

    // published for the queen and other teams
    private volatile int capacity;
    private volatile int queued;
    private volatile long executed;

    /** Members, roster-confined (under its lock). */
    int members;

    // mailbox-confined
    private final ArrayList<Worker> workers = new ArrayList<>();
    private final RunQueue queue = new RunQueue();
    private final Candidates<Worker> candidates = new Candidates<>();
    private final SplittableRandom random;
    /** A steal request is unanswered; something changed since it was sent. */
    private boolean stealPending;
    private boolean stealAgain;
    /** Slots freed (or, negative, withdrawn) in this mailbox turn, for the queen. */
    private int freed;

    TeamLead(int index, String endpoint, HiveContext hive, Queen queen, boolean colocated,
            long seed) {
        this.index = index;
        this.endpoint = endpoint;
        this.hive = hive;
        this.queen = queen;
        this.colocated = colocated;
        this.random = new SplittableRandom(seed);
    }

    /** Slots of the workers that are not leaving. */
    int capacity() {
        return capacity;
    }

    /** Tasks queued here, not started. */
    int queued() {
        return queued;
    }

    /** Tasks this team's workers have run to their end. */
    long executed() {
        return executed;
    }

    // ---- the mailbox ------------------------------------------------------------------

    /** The broker handler of this team's endpoint (or handed on by the queen's, colocated). */
    void onMessage(Message message) {
        Object payload = message.payload();
        if (payload instanceof WireMessage wire) {
            onWire(wire);
        } else if (payload instanceof HiveCommand command) {
            onCommand(command);
        } else {
            LOG.warn("team {} of swarm '{}' ignored a message it does not understand: {}",
                    index, hive.swarmId(), message.type());
        }
    }

    /** A message from the queen or another team. Also called by the queen, colocated. */
    void onWire(WireMessage wire) {
        if (wire instanceof TeamTasks tasks) {
            accept(tasks.tasks());
        } else if (wire instanceof StealChance) {
            trySteal();
        } else if (wire instanceof StealRequest request) {
            onSteal(request);
        } else if (wire instanceof Stolen stolen) {
            onStolen(stolen.tasks());
        } else {
            LOG.warn("team {} of swarm '{}' ignored a wire message meant for the queen: {}",
                    index, hive.swarmId(), wire.wireType());
        }
    }

    private void onCommand(HiveCommand command) {
        if (command instanceof HiveCommand.SessionDone done) {
            onDone(done.session());
        } else if (command instanceof HiveCommand.Join join) {
            onJoin(join.worker());
        } else if (command instanceof HiveCommand.Leave leave) {
            onLeave(leave.worker());
        } else if (command instanceof HiveCommand.Run run) {
            run.action().run();
        } else if (command instanceof HiveCommand.Pause pause) {
            pause.worker().cycle.pause(pause.worker().running, 0, pause.done());
        } else if (command instanceof HiveCommand.Resume resume) {
            resume.worker().cycle.resume(resume.checkpointId(), resume.done());
        } else if (command instanceof HiveCommand.AutoPause autoPause) {
            autoPause.worker().cycle.autoPause(autoPause.epoch(), autoPause.worker().running,
                    0);
        } else {
            LOG.warn("team {} of swarm '{}' ignored a command meant for the queen: {}", index,
                    hive.swarmId(), command.type());
        }
    }

    /** Tasks placed on this team: start each on a free capable worker, or queue it. */
    private void accept(List<Assign> assignments) {
        List<Job> unrunnable = null;
        for (Assign assign : assignments) {
            Job job = Job.of(hive, assign);
            if (job == null || job.record.state().isTerminal()) {
                // it ended on its way: the slot it was placed against is free again
                freed++;
                continue;
            }
            job.received = assign.task();
            Worker worker = chooseWorker(job.required);
            if (worker != null) {
                start(job, worker);
            } else if (hasWorkerFor(job.required)) {
                queue.add(job);
            } else {
                if (unrunnable == null) {
                    unrunnable = new ArrayList<>();
                }
                unrunnable.add(job);
            }
        }
        giveBack(unrunnable);
        settle(false);
    }

    private void onDone(SessionTask session) {
        Job job = (Job) session.record().attachment();
        Worker worker = job.worker;
        worker.finished();
        executed++;
        if (worker.leaving) {
            // its slots left the queen's count when it started leaving
            if (worker.running == 0) {
                depart(worker);
            }
            return;
        }
        freed++;
        startQueued(worker);
        settle(false);
        if (queue.isEmpty() && worker.running < worker.slots && queen.waiting() == 0) {
            trySteal();
        }
    }

    private void onJoin(Worker worker) {
        if (!worker.cycle.started()) {
            // terminated while its join was on its way: the swarm is stopping, and its spawn
            // future was failed by the stop
            return;
        }
        workers.add(worker);
        capacity += worker.slots;
        worker.joined.complete(worker);
        freed += worker.slots;
        startQueued(worker);
        settle(false);
    }

    /** Stops starting tasks on a worker; hands back what no one else here can run. */
    private void onLeave(Worker worker) {
        if (worker.leaving) {
            return;
        }
        worker.leaving = true;
        capacity -= worker.slots;
        // its free slots leave the queen's count; its running tasks will return nothing
        freed -= worker.slots - worker.running;
        giveBack(queue.removeLanes(lane -> !hasWorkerFor(lane.required)));
        if (worker.running == 0) {
            depart(worker);
        }
        // told even when nothing changed: the queen may hold tasks only this worker could
        // run, which must fail now
        settle(true);
    }

    private void depart(Worker worker) {
        workers.remove(worker);
        hive.departures.workerLeft(worker);
    }

    /**
     * With free slots and nothing queued here, asks the team with the longest queue for tasks
     * this team can start now. One request at a time: a change meanwhile is remembered and
     * asked about when the answer comes, so a victim with nothing suitable is asked once per
     * change here, not in a loop.
     */
    private void trySteal() {
        if (!hive.stealing || hive.counters.teamQueued.get() == 0 || !queue.isEmpty()) {
            return;
        }
        if (stealPending) {
            stealAgain = true;
            return;
        }
        TeamLead victim = null;
        for (TeamLead team : hive.roster.teams()) {
            if (team != this && team.queued() > 0
                    && (victim == null || team.queued() > victim.queued())) {
                victim = team;
            }
        }
        Set<Set<String>> free = new LinkedHashSet<>();
        int slots = 0;
        for (Worker worker : workers) {
            if (!worker.leaving && worker.running < worker.slots) {
                free.add(worker.capabilities());
                slots += worker.slots - worker.running;
            }
        }
        if (victim != null && slots > 0) {
            stealPending = true;
            send(victim.endpoint, new StealRequest(index, List.copyOf(free), slots));
        }
    }

    /** The answer to this team's steal request. */
    private void onStolen(List<Assign> loot) {
        stealPending = false;
        boolean retry = stealAgain || !loot.isEmpty();
        stealAgain = false;
        accept(loot);
        if (retry) {
            trySteal();
        }
    }

    /** Gives a thief up to half the queue, best first, of what it can start now. */
    private void onSteal(StealRequest request) {
        int wanted = Math.min(request.slots(), (queue.size() + 1) / 2);
        List<Assign> loot = new ArrayList<>();
        while (loot.size() < wanted) {
            Job job = nextLive(lane -> anyContains(request.free(), lane.required));
            if (job == null) {
                break;
            }
            loot.add(job.assignment(queen.endpoint()));
        }
        if (!loot.isEmpty()) {
            hive.counters.stolen.add(loot.size());
            // the thief spends slots the queen still counts as free: take them off
            toQueen(new TeamRoom(request.thief(), -loot.size()));
        }
        send(hive.roster.team(request.thief()).endpoint, new Stolen(index, loot));
        freed += loot.size();
        settle(false);
    }

    private static boolean anyContains(List<Set<String>> offered, Set<String> required) {
        for (Set<String> capabilities : offered) {
            if (capabilities.containsAll(required)) {
                return true;
            }
        }
        return false;
    }

    // ---- helpers, all in the mailbox --------------------------------------------------

    private void start(Job job, Worker worker) {
        if (!job.record.assign(worker.id())) {
            // it ended meanwhile: its slot is free again
            freed++;
            return;
        }
        SessionTask session = new SessionTask(job.record, job.received, worker.id(), worker,
                worker.definition().session(), hive.kernel.sessionHost());
        job.worker = worker;
        job.session = session;
        worker.started();
        // a paused worker resumes first; its slot is held meanwhile
        worker.cycle.whenRunnable(() -> launch(job, worker, session));
    }

    private void launch(Job job, Worker worker, SessionTask session) {
        worker.cycle.becameBusy();
        if (!job.sessionStarting()) {
            // the task left the count while waiting for the worker: the session reports back
            // without running it, and counts nothing
            job.session = null;
        }
        try {
            hive.kernel.runtime().worker().execute(session);
        } catch (RejectedExecutionException e) {
            worker.running--;
            job.record.fail(new SwarmShutdownException("swarm '" + hive.swarmId()
                    + "' is shutting down; task '" + job.id() + "' was not started"));
            if (job.session != null) {
                job.sessionEnded();
            }
            freed++;
        }
    }

    /** Starts queued tasks a worker can run while it has free slots. */
    private void startQueued(Worker worker) {
        if (queue.isEmpty()) {
            return;
        }
        while (worker.running < worker.slots) {
            Job job = nextLive(lane -> worker.canRun(lane.required));
            if (job == null) {
                return;
            }
            start(job, worker);
        }
    }

    /**
     * The best queued task in an eligible lane that has not ended; ended ones met on the way
     * free their slots. Null when there is none.
     */
    private Job nextLive(Predicate<RunQueue.Lane> eligible) {
        while (!queue.isEmpty()) {
            RunQueue.Lane lane = queue.best(eligible);
            if (lane == null) {
                return null;
            }
            Job job = queue.poll(lane);
            if (!job.record.state().isTerminal()) {
                return job;
            }
            freed++;
        }
        return null;
    }

    /** The least-loaded worker with a free slot and the capabilities; null if none. */
    private Worker chooseWorker(Set<String> required) {
        for (int i = 0, n = workers.size(); i < n; i++) {
            Worker worker = workers.get(i);
            if (!worker.leaving && worker.running < worker.slots && worker.canRun(required)) {
                // a paused worker takes work only when no active one has room: resuming costs
                candidates.add(worker, worker.running
                        + (worker.cycle.isRunnable() ? 0 : worker.slots));
            }
        }
        return candidates.pick(PlacementStrategy.LEAST_LOADED, random);
    }

    private boolean hasWorkerFor(Set<String> required) {
        for (int i = 0, n = workers.size(); i < n; i++) {
            Worker worker = workers.get(i);
            if (!worker.leaving && worker.canRun(required)) {
                return true;
            }
        }
        return false;
    }

    /** Tasks no worker here can run go back to the queen, with their slots. */
    private void giveBack(List<Job> jobs) {
        if (jobs == null || jobs.isEmpty()) {
            return;
        }
        hive.counters.requeued.add(jobs.size());
        List<Assign> assigns = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            assigns.add(job.assignment(queen.endpoint()));
        }
        toQueen(new TeamRequeue(index, assigns));
    }

    /**
     * Ends a mailbox turn: publishes the queue length and returns the slots freed in this turn
     * to the queen's count.
     */
    private void settle(boolean evenIfNone) {
        publishQueued();
        int slots = freed;
        freed = 0;
        if (slots != 0 || evenIfNone) {
            toQueen(new TeamRoom(index, slots));
        }
    }

    private void publishQueued() {
        int now = queue.size();
        int before = queued;
        if (now != before) {
            queued = now;
            hive.counters.teamQueued.addAndGet(now - before);
            if (before == 0 && hive.stealing && !colocated) {
                // work is stuck here: let the queen tell the idle teams
                toQueen(new TeamQueued(index));
            }
        }
    }

    /**
     * Sends the queen a message; colocated, she gets it in this mailbox turn — except tasks
     * handed back, which go through the mailbox: the queen may place them on this team again
     * at once (she counts a worker that joined before the team has taken it in), and only a
     * later turn, after that join, can tell whether the team can run them.
     */
    private void toQueen(WireMessage wire) {
        WireMessage carried = hive.kernel.wire().carry(wire);
        if (colocated && !(carried instanceof TeamRequeue)) {
            queen.onWire(carried);
        } else {
            hive.send(Message.of(carried.wireType(), carried, endpoint, queen.endpoint()));
        }
    }

    /** Sends another team a message. */
    private void send(String teamEndpoint, WireMessage wire) {
        WireMessage carried = hive.kernel.wire().carry(wire);
        hive.send(Message.of(carried.wireType(), carried, endpoint, teamEndpoint));
    }

    @Override
    public String toString() {
        return "TeamLead[" + index + ", capacity=" + capacity + ", queued=" + queued + "]";
    }
}
