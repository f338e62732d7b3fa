package io.github.hivemesh.completion;

import io.github.hivemesh.testing.TaskLedger;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * The shape of one random diffusing computation: how many peers, how deep and wide tasks
 * delegate, how many steps a task runs, how often a subtask waits at the root, how many late
 * submissions the user makes. Every decision is drawn from the schedule's random source, so a
 * seed replays the same workload. Holds the {@link TaskLedger} (the oracle) and the tasks
 * parked at the root.
 */
final class DiffusingWorkload {

    /** Broker type of a basic message: a task assignment. */
    static final String TASK = "task";
    /** Broker type of a peer's message to itself: run one more step of its current task. */
    static final String STEP = "step";

    /** Bounds of the drawn shape; each value is drawn uniformly within them. */
    enum Size {
        /** Many fast schedules: 1–5 peers, budget 6–40 tasks, depth 1–4. */
        SMALL(1, 5, 3, 2, 4, 3, 3, 6, 40),
        /** Fewer, bigger schedules: 2–8 peers, budget 50–300 tasks, depth 1–8. */
        LARGE(2, 8, 4, 5, 8, 3, 4, 50, 300);

        final int minPeers;
        final int maxPeers;
        final int initialTasks;
        final int lateSubmissions;
        final int depth;
        final int fanOut;
        final int steps;
        final int minBudget;
        final int maxBudget;

        Size(int minPeers, int maxPeers, int initialTasks, int lateSubmissions, int depth, int fanOut, int steps,
                int minBudget, int maxBudget) {
            this.minPeers = minPeers;
            this.maxPeers = maxPeers;
            this.initialTasks = initialTasks;
            this.lateSubmissions = lateSubmissions;
            this.depth = depth;
            this.fanOut = fanOut;
            this.steps = steps;
            this.minBudget = minBudget;
            this.maxBudget = maxBudget;
        }
    }

    /** A task as carried by a basic message. */
    record WorkItem(int id, int depth, int steps) {
    }

    final SplittableRandom random;
    final TaskLedger ledger = new TaskLedger();
    final String[] peerIds;
    final int initialTasks;
    int lateSubmissions;
    final ArrayDeque<WorkItem> parked = new ArrayDeque<>();
    private final int maxDepth;
    private final int maxFanOut;
    private final int maxSteps;
    private final int budget;
    private final double parkChance;
    private final double selfBias;

    private DiffusingWorkload(SplittableRandom random, Size size) {
        this.random = random;
        this.peerIds = new String[size.minPeers
                + random.nextInt(size.maxPeers - size.minPeers + 1)];
        for (int i = 0; i < peerIds.length; i++) {
            peerIds[i] = "p" + i;
        }
        this.initialTasks = 1 + random.nextInt(size.initialTasks);
        this.lateSubmissions = random.nextInt(size.lateSubmissions + 1);
        this.maxDepth = 1 + random.nextInt(size.depth);
        this.maxFanOut = 1 + random.nextInt(size.fanOut);
        this.maxSteps = 1 + random.nextInt(size.steps);
        this.budget = size.minBudget + random.nextInt(size.maxBudget - size.minBudget + 1);
        this.parkChance = random.nextInt(3) == 0 ? 0.15 : 0;
        this.selfBias = random.nextBoolean() ? 0.3 : 0;
    }

    /** A workload whose shape is drawn from {@code random} within {@code size}. */
    static DiffusingWorkload draw(SplittableRandom random, Size size) {
        return new DiffusingWorkload(random, size);
    }

    /** A new task at {@code depth}, already counted as created in the ledger. */
    WorkItem newTask(int depth) {
        return new WorkItem(ledger.create(), depth, 1 + random.nextInt(maxSteps));
    }

    /** Subtasks a running task delegates in one of its steps. */
    int fanOut(WorkItem parent) {
        if (parent.depth() >= maxDepth || ledger.created() >= budget) {
            return 0;
        }
        return random.nextInt(maxFanOut + 1);
    }

    /** Where a subtask of {@code self} goes: any peer, itself included (sometimes preferred). */
    String target(String self) {
        return random.nextDouble() < selfBias ? self : peerIds[random.nextInt(peerIds.length)];
    }

    /** Whether a new subtask waits at the root (on a dependency) instead of being sent. */
    boolean park() {
        return parkChance > 0 && random.nextDouble() < parkChance;
    }

    /** Whether the user still has something to do: late submissions or parked tasks. */
    boolean userActionsLeft() {
        return lateSubmissions > 0 || !parked.isEmpty();
    }
}
