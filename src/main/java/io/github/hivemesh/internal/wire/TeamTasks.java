package io.github.hivemesh.internal.wire;

import java.util.List;
import java.util.Objects;

/**
 * Tasks the queen places on a team, each against one of the team's free slots.
 *
 * @param team  the team's index
 * @param tasks the assignments, best first
 */
public record TeamTasks(int team, List<Assign> tasks) implements WireMessage {

    /** The broker message type. */
    public static final String TYPE = "hierarchy.tasks";

    /** Copies the list. */
    public TeamTasks {
        tasks = List.copyOf(Objects.requireNonNull(tasks, "tasks"));
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
