package io.github.hivemesh.internal.wire;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A thief's request: the capability sets of its workers that have a free slot, and how many
 * slots are free, so it is given only what it can start at once.
 *
 * @param thief the thief team's index
 * @param free  capability sets of its workers with a free slot
 * @param slots free slots in all
 */
public record StealRequest(int thief, List<Set<String>> free, int slots) implements WireMessage {

    /** The broker message type. */
    public static final String TYPE = "hierarchy.steal";

    /** Copies the sets. */
    public StealRequest {
        free = Objects.requireNonNull(free, "free").stream().map(Set::copyOf).toList();
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
