package io.github.hivemesh.hierarchy;

import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.placement.PlacementStrategy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A team lead: a serial actor owning a slice of the workers. It starts the tasks the queen
 * places on its team on the least-loaded capable worker, hears when their sessions end, and
 * gives the queen back the slots they free. Everything but the published counters runs in its
 * mailbox.
 *
 * <h2>Credit</h2>
 * The queen places a task on a team only against a <em>credit</em>: a free slot she knows of.
 * She owns the count ({@link #credit}, queen-confined): she spends one per task she places, and
 * the team lead returns them by message ({@link HierarchyMessages#ROOM}) — one per task that
 * ends, its workers' slots when one joins, minus its free slots when one leaves. Because a
 * slot comes back only through the queen's mailbox, the queen learns of it after every task
 * that was submitted before it freed: the task she starts in it is the best of all of them.
 *
 * <p>So with one capability mix a team can always start what it receives. A task queues here
 * only when the free slots belong to workers that cannot run it, or a worker is leaving; such
 * a queue is what an idle team steals ({@link HierarchyMessages#STEAL}).
 */
final class TeamLead {

    private static final Logger LOG = LoggerFactory.getLogger(TeamLead.class);

    /**
     * A thief's request: the capability sets of its workers that have a free slot, and how
     * many slots are free, so it is given only what it can start at once.
     */
    record StealRequest(TeamLead thief, List<Set<String>> free, int slots) {
    }

    /** Slots a team gives back to the queen's count (negative: takes away). */
    record Credit(TeamLead team, int slots) {
    }

    /** Tasks a team gives back to the queen, with the slots they held. */
    record Requeue(TeamLead team, List<Job> jobs) {
    }

    final int index;
    final String endpoint;
    private final HierarchicalCoordinator hive;
    private final Queen queen;
    /** Whether this team lives in the queen's own mailbox (the swarm has a single team). */
    final boolean colocated;

    /** The credit of one ended task, reused: a task's end allocates no message payload. */
    private final Credit oneSlot = new Credit(this, 1);

    // published for the queen and other teams
    private volatile int capacity;
    private volatile int queued;
    private volatile long executed;

    /** Members, roster-confined (under its lock). */
    int members;
    /** Free slots as the queen counts them; queen-confined (see class docs). */
    int credit;
    /** Tasks the queen is placing on this team in her current pass; queen-confined. */
    final ArrayList<Job> outbox = new ArrayList<>();

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

    TeamLead(int index, String endpoint, HierarchicalCoordinator hive, Queen queen,
            boolean colocated, long seed) {
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

    /** The broker handler of this team's endpoint (or called by the queen's, when colocated). */
    @SuppressWarnings("unchecked")
    void onMessage(Message message) {
        switch (message.type()) {
            case HierarchyMessages.TASKS -> accept((List<Job>) message.payload());
            case HierarchyMessages.DONE -> onDone((SessionTask) message.payload());
            case HierarchyMessages.JOIN -> onJoin((Worker) message.payload());
            case HierarchyMessages.LEAVE -> onLeave((Worker) message.payload());
            case HierarchyMessages.STEAL_CHANCE -> trySteal();
            case HierarchyMessages.STEAL -> onSteal((StealRequest) message.payload());
            case HierarchyMessages.STOLEN -> onStolen((List<Job>) message.payload());
            case HierarchyMessages.RUN -> ((Runnable) message.payload()).run();
            case HierarchyMessages.PAUSE -> {
                HierarchyMessages.WorkerRequest request =
                        (HierarchyMessages.WorkerRequest) message.payload();
                request.worker().cycle.pause(request.worker().running, 0,
                        (CompletableFuture<String>) request.done());
            }
            case HierarchyMessages.RESUME -> {
                HierarchyMessages.WorkerRequest request =
                        (HierarchyMessages.WorkerRequest) message.payload();
                request.worker().cycle.resume((String) request.argument(),
                        (CompletableFuture<Void>) request.done());
            }
            case HierarchyMessages.AUTO_PAUSE -> {
                HierarchyMessages.WorkerRequest request =
                        (HierarchyMessages.WorkerRequest) message.payload();
                request.worker().cycle.autoPause((Long) request.argument(),
                        request.worker().running, 0);
            }
            default -> LOG.warn("team {} of swarm '{}' ignored a message of unknown type '{}'",
                    index, hive.swarmId(), message.type());
        }
    }

    /** Tasks placed on this team: start each on a free capable worker, or queue it. */
    void accept(List<Job> jobs) {
        List<Job> unrunnable = null;
        for (Job job : jobs) {
            if (job.record.state().isTerminal()) {
                dropEnded(job);
                continue;
            }
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
        if (!job.record.state().isTerminal()) {
            // cannot happen: a session ends its record before it reports back
            job.record.fail(new IllegalStateException("the session of task '" + job.id()
                    + "' ended without ending its task"));
        }
        // counted out on the worker thread already; this covers the case above
        job.end(hive.detector());
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
        workers.add(worker);
        capacity += worker.slots;
        worker.cycle.started();
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
        hive.workerLeft(worker);
    }

    /**
     * With free slots and nothing queued here, asks the team with the longest queue for tasks
     * this team can start now. One request at a time: a change meanwhile is remembered and
     * asked about when the answer comes, so a victim with nothing suitable is asked once per
     * change here, not in a loop.
     */
    private void trySteal() {
        if (!hive.stealing() || hive.teamQueued() == 0 || !queue.isEmpty()) {
            return;
        }
        if (stealPending) {
            stealAgain = true;
            return;
        }
        TeamLead victim = null;
        for (TeamLead team : hive.roster().teams()) {
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
            hive.send(endpoint, victim.endpoint, HierarchyMessages.STEAL,
                    new StealRequest(this, List.copyOf(free), slots));
        }
    }

    /** The answer to this team's steal request. */
    private void onStolen(List<Job> loot) {
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
        TeamLead thief = request.thief();
        int wanted = Math.min(request.slots(), (queue.size() + 1) / 2);
        List<Job> loot = new ArrayList<>();
        while (loot.size() < wanted) {
            Job job = nextLive(lane -> anyContains(request.free(), lane.required));
            if (job == null) {
                break;
            }
            loot.add(job);
        }
        if (!loot.isEmpty()) {
            hive.stolen(loot.size());
            // the thief spends slots the queen still counts as free: take them off
            hive.send(endpoint, queen.endpoint(), HierarchyMessages.ROOM,
                    new Credit(thief, -loot.size()));
        }
        hive.send(endpoint, thief.endpoint, HierarchyMessages.STOLEN, loot);
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
            dropEnded(job);
            return;
        }
        SessionTask session = new SessionTask(job.record, worker.id(), worker,
                worker.definition().session(), hive.kernel().sessionHost());
        job.worker = worker;
        job.session = session;
        worker.started();
        // a paused worker resumes first; its slot is held meanwhile
        worker.cycle.whenRunnable(() -> launch(job, worker, session));
    }

    private void launch(Job job, Worker worker, SessionTask session) {
        worker.cycle.becameBusy();
        try {
            hive.executor().execute(session);
        } catch (RejectedExecutionException e) {
            worker.running--;
            job.record.fail(new SwarmShutdownException("swarm '" + hive.swarmId()
                    + "' is shutting down; task '" + job.id() + "' was not started"));
            dropEnded(job);
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
     * are dropped. Null when there is none.
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
            dropEnded(job);
        }
        return null;
    }

    /** A task this team held ended without running here: its slot goes back to the queen. */
    private void dropEnded(Job job) {
        job.end(hive.detector());
        freed++;
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
        hive.requeued(jobs.size());
        hive.send(endpoint, queen.endpoint(), HierarchyMessages.REQUEUE,
                new Requeue(this, jobs));
    }

    /**
     * Ends a mailbox turn: publishes the queue length and returns the slots freed in this turn
     * to the queen's count (directly when she shares this mailbox).
     */
    private void settle(boolean evenIfNone) {
        publishQueued();
        int slots = freed;
        freed = 0;
        if (slots == 0 && !evenIfNone) {
            return;
        }
        if (colocated) {
            queen.credit(this, slots);
        } else {
            hive.send(endpoint, queen.endpoint(), HierarchyMessages.ROOM,
                    slots == 1 ? oneSlot : new Credit(this, slots));
        }
    }

    private void publishQueued() {
        int now = queue.size();
        int before = queued;
        if (now != before) {
            queued = now;
            hive.teamQueuedChanged(now - before);
            if (before == 0 && hive.stealing() && !colocated) {
                // work is stuck here: let the queen tell the idle teams
                hive.send(endpoint, queen.endpoint(), HierarchyMessages.QUEUED, null);
            }
        }
    }

    @Override
    public String toString() {
        return "TeamLead[" + index + ", capacity=" + capacity + ", queued=" + queued + "]";
    }
}
