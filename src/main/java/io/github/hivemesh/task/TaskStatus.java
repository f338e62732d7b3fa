package io.github.hivemesh.task;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one task: its state, where it is, and when things happened. Immutable; a later
 * call to {@code taskStatus} gives a newer snapshot.
 *
 * @param taskId        the task
 * @param type          its type
 * @param priority      its priority
 * @param state         where it is in its lifecycle
 * @param assignedAgent the agent it is (or was) assigned to, null before assignment
 * @param parentTaskId  the task that delegated it, null for a submitted task
 * @param submittedAt   when the swarm accepted it
 * @param assignedAt    when it was last assigned, null before
 * @param startedAt     when it started, null before
 * @param finishedAt    when it ended, null before
 * @param error         why it failed, null unless FAILED
 */
public record TaskStatus(
        String taskId,
        String type,
        int priority,
        TaskState state,
        String assignedAgent,
        String parentTaskId,
        Instant submittedAt,
        Instant assignedAt,
        Instant startedAt,
        Instant finishedAt,
        String error) {

    /**
     * Checks the required fields.
     *
     * @param taskId the task
     * @param type its type
     * @param priority its priority
     * @param state where it is in its lifecycle
     * @param assignedAgent the agent it is (or was) assigned to, null before assignment
     * @param parentTaskId the task that delegated it, null for a submitted task
     * @param submittedAt when the swarm accepted it
     * @param assignedAt when it was last assigned, null before
     * @param startedAt when it started, null before
     * @param finishedAt when it ended, null before
     * @param error why it failed, null unless FAILED
     */
    public TaskStatus {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(submittedAt, "submittedAt");
    }

    /** {@return the assigned agent, if any} */
    public Optional<String> agent() {
        return Optional.ofNullable(assignedAgent);
    }

    /** {@return the delegating task, if this is a subtask} */
    public Optional<String> parent() {
        return Optional.ofNullable(parentTaskId);
    }
}
