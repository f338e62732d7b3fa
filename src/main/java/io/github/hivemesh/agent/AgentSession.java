package io.github.hivemesh.agent;

import io.github.hivemesh.task.TaskContext;

/**
 * The work an agent does: typically a call to an LLM, or any blocking job. Runs on the
 * coordinator's worker executor, never on a dispatcher thread, so it may block.
 *
 * <h2>What counts as done</h2>
 * A task is done when {@code execute} returns — its return value is the output — or throws —
 * the task fails with what it threw. If {@code execute} returns a
 * {@link java.util.concurrent.CompletionStage} (what an asynchronous LLM client gives), the
 * task is done when that stage completes: its value is the output, its failure the error. No
 * thread waits for the stage; the agent's slot stays taken until it completes (the agent is
 * busy meanwhile, and is not paused). A timeout, a cancellation or a shutdown ends the task
 * whether or not the stage honours the cancellation passed to it; a stage that completes
 * later is dropped (and counted in the metrics). The stage is cancelled before the task's
 * future completes and before the agent's next task starts, usually on the thread that ended
 * the task (the timer, the caller of {@code cancel}): callbacks on the stage must not block on
 * that future or on {@code waitForCompletion}.
 *
 * <p>A session may be called for several tasks at once when the agent's concurrency allows it;
 * it must then be thread-safe. The pause hooks are called while the agent runs nothing.
 */
@FunctionalInterface
public interface AgentSession {

    /**
     * Executes one task. Its return value becomes the task's output — or, if it is a
     * {@code CompletionStage}, the value the stage completes with (see class docs); a thrown
     * exception fails the task (and only the task).
     *
     * @param context the context
     * @return the task's output, or a {@code CompletionStage} of it
     * @throws Exception any failure: the task fails with it
     */
    Object execute(TaskContext context) throws Exception;

    /**
     * Called when the agent is paused, e.g. to release a connection.
     *
     * @throws Exception any failure: the pause fails with it
     */
    default void onPause() throws Exception {
    }

    /**
     * Called when a paused agent is resumed, before it runs anything.
     *
     * @param checkpointId the checkpoint to restore from, or null for none
     * @throws Exception any failure: the resume fails with it
     */
    default void onResume(String checkpointId) throws Exception {
    }

    /**
     * Called when a paused agent is resumed, before it runs anything, with the bytes its
     * {@link #checkpoint()} stored. The default calls {@link #onResume(String)}; override
     * either.
     *
     * @param checkpointId the checkpoint to restore from, or null for none
     * @param state        what {@link #checkpoint()} returned when it was paused, or null when
     *     there is no checkpoint (checkpoints off, none taken, none stored)
     * @throws Exception any failure: the resume fails with it
     */
    default void onResume(String checkpointId, byte[] state) throws Exception {
        onResume(checkpointId);
    }

    /**
     * {@return state to store when the agent is paused, restored through {@link #onResume}; null:
     * none}
     *
     * @throws Exception any failure: the agent is paused without a checkpoint
     */
    default byte[] checkpoint() throws Exception {
        return null;
    }
}
