package io.github.hivemesh.internal.wire;

/**
 * A team's queue is no longer empty: the queen may tell idle teams to steal.
 *
 * @param team the team's index
 */
public record TeamQueued(int team) implements WireMessage {

    /** The broker message type. */
    public static final String TYPE = "hierarchy.queued";

    @Override
    public String wireType() {
        return TYPE;
    }
}
