package io.github.hivemesh.agent;

import io.github.hivemesh.task.TaskContext;

/**
 * The work an agent does: typically a call to an LLM, or any blocking job. Runs on the
 * coordinator's worker executor, never on a dispatcher thread, so it may block.
 *
 * <p>A session may be called for several tasks at once when the agent's concurrency allows it;
 * it must then be thread-safe. The pause hooks are called while the agent runs nothing.
 */
@FunctionalInterface
public interface AgentSession {

    /**
     * Executes one task. Its return value becomes the task's output; a thrown exception fails
     * the task (and only the task).
     */
    Object execute(TaskContext context) throws Exception;

    /** Called when the agent is paused, e.g. to release a connection. */
    default void onPause() throws Exception {
    }

    /**
     * Called when a paused agent is resumed, before it runs anything.
     *
     * @param checkpointId the checkpoint to restore from, or null for none
     */
    default void onResume(String checkpointId) throws Exception {
    }

    /** State to store when the agent is paused, restored through {@link #onResume}; null: none. */
    default byte[] checkpoint() throws Exception {
        return null;
    }
}
