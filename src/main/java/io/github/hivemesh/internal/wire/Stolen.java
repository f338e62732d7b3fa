package io.github.hivemesh.internal.wire;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a steal request: the tasks taken from the victim's queue, maybe none.
 *
 * @param victim the victim team's index
 * @param tasks  the assignments taken, best first
 */
public record Stolen(int victim, List<Assign> tasks) implements WireMessage {

    /** The broker message type. */
    public static final String TYPE = "hierarchy.stolen";

    /** Copies the list. */
    public Stolen {
        tasks = List.copyOf(Objects.requireNonNull(tasks, "tasks"));
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
