package io.github.hivemesh.langchain4j;

/** Whose conversation a {@link ChatAgent}'s chat memory holds. */
public enum MemoryScope {

    /**
     * One memory per agent, across all its tasks (the default): each task sees what the agent
     * said and heard before, including messages peers sent it. The agent runs one task at a
     * time, and its memory is checkpointed when it is paused.
     */
    AGENT,

    /**
     * A fresh memory for each task, dropped when the task ends: tasks share nothing, so the
     * agent may run several at once. Nothing is checkpointed.
     */
    TASK
}
