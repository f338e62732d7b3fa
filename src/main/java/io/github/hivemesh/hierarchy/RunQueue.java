package io.github.hivemesh.hierarchy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Tasks waiting to run, in lanes: one lane per set of required capabilities, each a heap in
 * {@link Job#RUN_ORDER}. A consumer that can serve some lanes only (a worker, a team) asks for
 * the lane whose head comes first among those it can serve, so the order is global among the
 * tasks it could run, and a task nobody can serve now never blocks one behind it in another lane.
 *
 * <p>Lanes are few in practice (one per distinct capability set), so choosing one scans them.
 * Not thread-safe: owned by one actor, the queen or a team lead.
 */
final class RunQueue {

    /** Lanes kept when empty, so the queen's per-lane cache survives idle spells. */
    private static final int MAX_IDLE_LANES = 256;

    /** The tasks requiring one capability set. */
    static final class Lane {
        final Set<String> required;
        final PriorityQueue<Job> jobs = new PriorityQueue<>(Job.RUN_ORDER);
        boolean active;
        /** Queen-only cache: the roster version {@link #capable} was computed at. */
        long version = -1;
        /** Queen-only cache: teams having a worker that can run this lane. */
        TeamLead[] capable = new TeamLead[0];
        /** Queen-only: the dispatch pass in which no capable team had room. */
        int blockedPass;

        Lane(Set<String> required) {
            this.required = required;
        }
    }

    private final HashMap<Set<String>, Lane> lanes = new HashMap<>();
    private final ArrayList<Lane> active = new ArrayList<>();
    private int size;

    /** Queues a task in its lane. */
    void add(Job job) {
        Lane lane = lanes.get(job.required);
        if (lane == null) {
            // a Task's capability set is immutable, so it can key the map as is
            lane = new Lane(job.required);
            lanes.put(job.required, lane);
        }
        if (!lane.active) {
            lane.active = true;
            active.add(lane);
        }
        lane.jobs.add(job);
        size++;
    }

    /** The non-empty lane accepted by {@code eligible} whose head runs first; null if none. */
    Lane best(Predicate<Lane> eligible) {
        Lane best = null;
        for (int i = 0, n = active.size(); i < n; i++) {
            Lane lane = active.get(i);
            if (eligible.test(lane) && (best == null
                    || Job.RUN_ORDER.compare(lane.jobs.peek(), best.jobs.peek()) < 0)) {
                best = lane;
            }
        }
        return best;
    }

    /** Takes the head of a non-empty lane. */
    Job poll(Lane lane) {
        Job job = lane.jobs.poll();
        size--;
        if (lane.jobs.isEmpty()) {
            retire(lane);
        }
        return job;
    }

    /** Takes every task of the lanes {@code which} accepts. */
    List<Job> removeLanes(Predicate<Lane> which) {
        List<Job> removed = new ArrayList<>();
        for (Lane lane : new ArrayList<>(active)) {
            if (which.test(lane)) {
                removed.addAll(lane.jobs);
                size -= lane.jobs.size();
                lane.jobs.clear();
                retire(lane);
            }
        }
        return removed;
    }

    private void retire(Lane lane) {
        lane.active = false;
        active.remove(lane);
        if (lanes.size() > MAX_IDLE_LANES) {
            lanes.remove(lane.required);
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
