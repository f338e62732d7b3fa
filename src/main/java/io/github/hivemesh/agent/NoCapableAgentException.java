package io.github.hivemesh.agent;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** No live agent has all the capabilities a task requires, so the task cannot run. */
public class NoCapableAgentException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The task that cannot run. */
    private final String taskId;
    private final transient Set<String> required;
    private final transient Set<String> missing;

    /**
     * An exception naming the task, what it requires, and the capabilities no agent offers.
     *
     * @param taskId the task that cannot run
     * @param required the capabilities it requires, in the order the message names them
     * @param missing the required capabilities that no live agent has at all (may be empty when
     *     each is offered, just never all by one agent)
     */
    public NoCapableAgentException(String taskId, Set<String> required, Set<String> missing) {
        super("no agent can run task '" + taskId + "': it requires " + required
                + (missing.isEmpty() ? ", which no single agent has together"
                        : "; no agent has " + missing));
        this.taskId = taskId;
        // copies that keep the order the message lists them in
        this.required = Collections.unmodifiableSet(new LinkedHashSet<>(required));
        this.missing = Collections.unmodifiableSet(new LinkedHashSet<>(missing));
    }

    /** {@return the task that cannot run} */
    public String taskId() {
        return taskId;
    }

    /** {@return the capabilities it requires, in the order the message names them} */
    public Set<String> required() {
        return required;
    }

    /** {@return the required capabilities no agent has} */
    public Set<String> missing() {
        return missing;
    }
}
