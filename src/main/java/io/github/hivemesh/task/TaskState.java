package io.github.hivemesh.task;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Lifecycle of a task: {@code PENDING → ASSIGNED → RUNNING → COMPLETED | FAILED}.
 *
 * <p>An assigned task that has not started may go back to {@code PENDING} (rebalanced, or its
 * agent was removed) and be assigned again; a task that has not ended may fail (no capable
 * agent, failed dependency, timeout, cancellation, shutdown).
 */
public enum TaskState {
    /** Accepted, waiting for dependencies or for an agent. */
    PENDING,
    /** Placed on an agent's queue, not started. */
    ASSIGNED,
    /** The agent's session is executing it. */
    RUNNING,
    /** Execute returned normally. */
    COMPLETED,
    /** Execute threw, or the task could not run. */
    FAILED;

    private Set<TaskState> successors;

    static {
        PENDING.successors = EnumSet.of(ASSIGNED, FAILED);
        ASSIGNED.successors = EnumSet.of(RUNNING, PENDING, FAILED);
        RUNNING.successors = EnumSet.of(COMPLETED, FAILED);
        COMPLETED.successors = EnumSet.noneOf(TaskState.class);
        FAILED.successors = EnumSet.noneOf(TaskState.class);
    }

    /**
     * {@return whether the lifecycle allows moving from this state to {@code next}}
     *
     * @param next the state to move to
     */
    public boolean canTransitionTo(TaskState next) {
        return successors.contains(Objects.requireNonNull(next, "next"));
    }

    /** {@return whether the task has ended ({@code COMPLETED} or {@code FAILED})} */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }
}
