package io.github.hivemesh.internal.wire;

/**
 * The answer to a {@link PeerStealRequest}: how many tasks are on their way to the thief (as
 * assignments, sent before this answer); 0 is a refusal.
 *
 * @param tasks the number of tasks sent, at least 0
 */
public record PeerStolen(int tasks) implements WireMessage {

    /** The broker message type. */
    public static final String TYPE = "mesh.stolen";

    /** Checks the count. */
    public PeerStolen {
        if (tasks < 0) {
            throw new IllegalArgumentException("tasks must be at least 0, was " + tasks);
        }
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
