package io.github.hivemesh.hierarchy;

import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.placement.PlacementStrategy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A team lead: a serial actor owning a slice of the workers. It starts the tasks the queen
 * places on its team on the least-loaded capable worker, hears when their sessions end, and
 * tells the queen when it has room. Everything but the published counters runs in its mailbox.
 *
 * <h2>Held, capacity, room</h2>
 * {@link #held} counts the tasks the team holds — queued here or running — and is raised by
 * whoever hands it a task (the queen, or a team it steals from) <em>before</em> the hand-over,
 * and lowered here when one ends or leaves. {@code capacity} is the sum of its workers' slots.
 * A leaving worker takes its slots and its running tasks out of both at once.
 * The queen places a task on a team only while {@code held < capacity}, so with one capability
 * mix the team can always start what it receives: tasks queue here only when the free slots
 * belong to workers that cannot run them (or a worker is leaving). Such a queue is what an idle
 * team steals ({@link HierarchyMessages#STEAL}).
 *
 * <h2>Room without a lost wake-up</h2>
 * When a task ends, the team lowers {@code held} and then reads the queen's count of waiting
 * tasks; the queen publishes that count and then reads {@code held}. Both are volatile, so at
 * least one of them sees the other: either the team asks for work, or the queen places it.
 */
final class TeamLead {

    private static final Logger LOG = LoggerFactory.getLogger(TeamLead.class);

    final int index;
    final String endpoint;
    private final HierarchicalCoordinator hive;
    private final Queen queen;
    /** Whether this team lives in the queen's own mailbox (the swarm has a single team). */
    final boolean colocated;

    // shared with the queen and other teams
    final AtomicInteger held = new AtomicInteger();
    final AtomicBoolean roomRequested = new AtomicBoolean();
    final AtomicBoolean stealInFlight = new AtomicBoolean();
    private volatile int capacity;
    private volatile int queued;
    private volatile List<Set<String>> capabilities = List.of();
    private volatile long executed;

    /** Members, roster-confined (under its lock). */
    int members;
    /** Tasks the queen is placing on this team in her current pass; queen-confined. */
    final ArrayList<Job> outbox = new ArrayList<>();

    // mailbox-confined
    private final ArrayList<Worker> workers = new ArrayList<>();
    private final RunQueue queue = new RunQueue();
    private final Candidates<Worker> candidates = new Candidates<>();
    private final SplittableRandom random;

    TeamLead(int index, String endpoint, HierarchicalCoordinator hive, Queen queen,
            boolean colocated, long seed) {
        this.index = index;
        this.endpoint = endpoint;
        this.hive = hive;
        this.queen = queen;
        this.colocated = colocated;
        this.random = new SplittableRandom(seed);
    }

    /** Free slots as the queen counts them. */
    int room() {
        return capacity - held.get();
    }

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

    /** Whether a worker of this team that is not leaving could run a task needing this. */
    boolean canRun(Set<String> required) {
        for (Set<String> offered : capabilities) {
            if (offered.containsAll(required)) {
                return true;
            }
        }
        return false;
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
            case HierarchyMessages.STEAL -> onSteal((TeamLead) message.payload());
            default -> LOG.warn("team {} of swarm '{}' ignored a message of unknown type '{}'",
                    index, hive.swarmId(), message.type());
        }
    }

    /** Tasks placed on this team: start each on a free capable worker, or queue it. */
    void accept(List<Job> jobs) {
        List<Job> unrunnable = null;
        for (Job job : jobs) {
            if (job.record.state().isTerminal()) {
                drop(job);
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
        publishQueued();
        offerRoom();
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
        if (worker.leaving) {
            // its tasks left the team's count when it started leaving
            job.end(hive.detector());
            if (worker.running == 0) {
                depart(worker);
            }
        } else {
            drop(job);
            startQueued(worker);
        }
        publishQueued();
        offerRoom();
    }

    private void onJoin(Worker worker) {
        workers.add(worker);
        capacity += worker.slots;
        publishCapabilities();
        worker.stateMachine().transitionTo(AgentState.IDLE);
        hive.roster().activate(worker);
        worker.joined.complete(worker);
        startQueued(worker);
        publishQueued();
        offerRoom();
    }

    /** Stops starting tasks on a worker; hands back what no one else here can run. */
    private void onLeave(Worker worker) {
        if (worker.leaving) {
            return;
        }
        worker.leaving = true;
        // its slots and its running tasks leave the count together, so room stays true
        capacity -= worker.slots;
        held.addAndGet(-worker.running);
        publishCapabilities();
        giveBack(queue.removeLanes(lane -> !hasWorkerFor(lane.required)));
        if (worker.running == 0) {
            depart(worker);
        }
        publishQueued();
        if (queen.waiting() > 0) {
            // the queen may hold tasks only this worker could run: they must fail now
            requestRoom();
        }
    }

    private void depart(Worker worker) {
        workers.remove(worker);
        hive.workerLeft(worker);
    }

    /** An idle team asks for queued work: give it up to half, best first, that it can run. */
    private void onSteal(TeamLead thief) {
        int wanted = Math.min(thief.room(), (queue.size() + 1) / 2);
        List<Job> loot = new ArrayList<>();
        while (loot.size() < wanted) {
            RunQueue.Lane lane = queue.best(l -> thief.canRun(l.required));
            if (lane == null) {
                break;
            }
            Job job = queue.poll(lane);
            if (job.record.state().isTerminal()) {
                drop(job);
            } else {
                loot.add(job);
            }
        }
        if (!loot.isEmpty()) {
            // raise the thief's count before it can see the tasks, as the queen does
            thief.held.addAndGet(loot.size());
            held.addAndGet(-loot.size());
            hive.stolen(loot.size());
            hive.send(endpoint, thief.endpoint, HierarchyMessages.TASKS, loot);
        }
        thief.stealInFlight.set(false);
        publishQueued();
    }

    // ---- helpers, all in the mailbox --------------------------------------------------

    private void start(Job job, Worker worker) {
        if (!job.record.assign(worker.id())) {
            drop(job);
            return;
        }
        SessionTask session = new SessionTask(job.record, worker.id(),
                worker.definition().session(), hive);
        job.worker = worker;
        job.session = session;
        worker.started();
        try {
            hive.executor().execute(session);
        } catch (RejectedExecutionException e) {
            worker.running--;
            job.record.fail(new SwarmShutdownException("swarm '" + hive.swarmId()
                    + "' is shutting down; task '" + job.id() + "' was not started"));
            drop(job);
        }
    }

    /** Starts queued tasks a worker can run while it has free slots. */
    private void startQueued(Worker worker) {
        while (worker.running < worker.slots && !queue.isEmpty()) {
            RunQueue.Lane lane = queue.best(l -> worker.canRun(l.required));
            if (lane == null) {
                return;
            }
            Job job = queue.poll(lane);
            if (job.record.state().isTerminal()) {
                drop(job);
            } else {
                start(job, worker);
            }
        }
    }

    /** The least-loaded worker with a free slot and the capabilities; null if none. */
    private Worker chooseWorker(Set<String> required) {
        for (int i = 0, n = workers.size(); i < n; i++) {
            Worker worker = workers.get(i);
            if (!worker.leaving && worker.running < worker.slots && worker.canRun(required)) {
                candidates.add(worker, worker.running);
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

    /** A task leaves this team for good (ended): count it out. */
    private void drop(Job job) {
        held.decrementAndGet();
        job.end(hive.detector());
    }

    /** Tasks no worker here can run go back to the queen, to be placed elsewhere or failed. */
    private void giveBack(List<Job> jobs) {
        if (jobs == null || jobs.isEmpty()) {
            return;
        }
        held.addAndGet(-jobs.size());
        hive.requeued(jobs.size());
        hive.send(endpoint, queen.endpoint(), HierarchyMessages.REQUEUE, jobs);
    }

    private void publishCapabilities() {
        Set<Set<String>> offered = new LinkedHashSet<>();
        for (Worker worker : workers) {
            if (!worker.leaving) {
                offered.add(worker.capabilities());
            }
        }
        capabilities = List.copyOf(offered);
    }

    private void publishQueued() {
        int now = queue.size();
        int before = queued;
        if (now != before) {
            queued = now;
            hive.teamQueuedChanged(now - before);
            if (before == 0 && hive.stealing()) {
                // work is stuck here: let the queen look for a team that can take it
                requestRoom();
            }
        }
    }

    /** Asks the queen for work when there is room and work somewhere to fill it. */
    private void offerRoom() {
        if (room() > 0 && (queen.waiting() > 0 || (hive.stealing() && hive.teamQueued() > 0))) {
            requestRoom();
        }
    }

    private void requestRoom() {
        if (colocated) {
            queen.dispatch();
        } else if (roomRequested.compareAndSet(false, true)) {
            hive.send(endpoint, queen.endpoint(), HierarchyMessages.ROOM, this);
        }
    }

    @Override
    public String toString() {
        return "TeamLead[" + index + ", held=" + held.get() + "/" + capacity + ", queued="
                + queued + "]";
    }
}
