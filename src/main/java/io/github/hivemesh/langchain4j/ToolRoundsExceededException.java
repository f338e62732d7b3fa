package io.github.hivemesh.langchain4j;

/**
 * A model kept calling tools past its agent's {@code maxToolRounds}: the task fails with this
 * rather than loop (and spend tokens) without end.
 */
public class ToolRoundsExceededException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * The task and the limit it ran into.
     *
     * @param taskId the task's id
     * @param maxToolRounds the limit it ran into
     */
    public ToolRoundsExceededException(String taskId, int maxToolRounds) {
        super("task '" + taskId + "': the model still called tools after " + maxToolRounds
                + " rounds (ChatAgent maxToolRounds)");
    }
}
