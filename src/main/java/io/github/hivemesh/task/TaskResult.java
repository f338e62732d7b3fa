package io.github.hivemesh.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a task ended. A future of a task that failed completes exceptionally with a
 * {@link TaskFailedException} carrying this result; so a result reached through {@code join()}
 * is always {@link TaskState#COMPLETED}, and failed ones are read from the exception.
 *
 * @param taskId      the task
 * @param state       {@code COMPLETED} or {@code FAILED}
 * @param output      what {@code execute} returned (null when failed)
 * @param error       why it failed (null when completed)
 * @param agentId     the agent that ran it, null if it never reached one
 * @param submittedAt when the swarm accepted it
 * @param startedAt   when {@code execute} began, null if it never started
 * @param finishedAt  when it ended
 */
public record TaskResult(
        String taskId,
        TaskState state,
        Object output,
        Throwable error,
        String agentId,
        Instant submittedAt,
        Instant startedAt,
        Instant finishedAt) {

    /**
     * Checks that the state is terminal and matches the presence of an error.
     *
     * @param taskId the task
     * @param state {@code COMPLETED} or {@code FAILED}
     * @param output what {@code execute} returned (null when failed)
     * @param error why it failed (null when completed)
     * @param agentId the agent that ran it, null if it never reached one
     * @param submittedAt when the swarm accepted it
     * @param startedAt when {@code execute} began, null if it never started
     * @param finishedAt when it ended
     */
    public TaskResult {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("a result needs a terminal state, was " + state);
        }
        if ((state == TaskState.FAILED) != (error != null)) {
            throw new IllegalArgumentException("a FAILED result needs an error, and only it");
        }
    }

    /**
     * {@return a completed result}
     *
     * @param taskId the task
     * @param output what {@code execute} returned (null when failed)
     * @param agentId the agent that ran it, null if it never reached one
     * @param submittedAt when the swarm accepted it
     * @param startedAt when {@code execute} began, null if it never started
     * @param finishedAt when it ended
     */
    public static TaskResult completed(String taskId, Object output, String agentId,
            Instant submittedAt, Instant startedAt, Instant finishedAt) {
        // a completed task ran: it reached an agent and started
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(startedAt, "startedAt");
        return new TaskResult(taskId, TaskState.COMPLETED, output, null, agentId, submittedAt,
                startedAt, finishedAt);
    }

    /**
     * {@return a failed result}
     *
     * @param taskId the task
     * @param error why it failed (null when completed)
     * @param agentId the agent that ran it, null if it never reached one
     * @param submittedAt when the swarm accepted it
     * @param startedAt when {@code execute} began, null if it never started
     * @param finishedAt when it ended
     */
    public static TaskResult failed(String taskId, Throwable error, String agentId,
            Instant submittedAt, Instant startedAt, Instant finishedAt) {
        return new TaskResult(taskId, TaskState.FAILED, null, Objects.requireNonNull(error,
                "error"), agentId, submittedAt, startedAt, finishedAt);
    }

    /** {@return whether the task completed} */
    public boolean isSuccess() {
        return state == TaskState.COMPLETED;
    }

    /** {@return time from submission to the end} */
    public Duration latency() {
        return Duration.between(submittedAt, finishedAt);
    }

    /** {@return time spent executing, if it started} */
    public Optional<Duration> executionTime() {
        return Optional.ofNullable(startedAt).map(start -> Duration.between(start, finishedAt));
    }
}
