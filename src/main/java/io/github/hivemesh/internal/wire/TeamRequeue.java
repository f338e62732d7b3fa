package io.github.hivemesh.internal.wire;

import java.util.List;
import java.util.Objects;

/**
 * Tasks a team gives back to the queen, with the slots they held: none of its workers can run
 * them (any more).
 *
 * @param team  the team's index
 * @param tasks the assignments
 */
public record TeamRequeue(int team, List<Assign> tasks) implements WireMessage {

    /** The broker message type. */
    public static final String TYPE = "hierarchy.requeue";

    /** Copies the list. */
    public TeamRequeue {
        tasks = List.copyOf(Objects.requireNonNull(tasks, "tasks"));
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
