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

    private DiffusingWorkload(SplittableRandom random) {
        this.random = random;
        this.peerIds = new String[1 + random.nextInt(5)];
        for (int i = 0; i < peerIds.length; i++) {
            peerIds[i] = "p" + i;
        }
        this.initialTasks = 1 + random.nextInt(3);
        this.lateSubmissions = random.nextInt(3);
        this.maxDepth = 1 + random.nextInt(4);
        this.maxFanOut = 1 + random.nextInt(3);
        this.maxSteps = 1 + random.nextInt(3);
        this.budget = 6 + random.nextInt(35);
        this.parkChance = random.nextInt(3) == 0 ? 0.15 : 0;
        this.selfBias = random.nextBoolean() ? 0.3 : 0;
    }

    /** A workload whose shape is drawn from {@code random}. */
    static DiffusingWorkload draw(SplittableRandom random) {
        return new DiffusingWorkload(random);
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
