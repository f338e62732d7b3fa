package io.github.hivemesh.internal.wire;

/** Queued work exists elsewhere: a team with room may steal some it can start. */
public record StealChance() implements WireMessage {

    /** The broker message type. */
    public static final String TYPE = "hierarchy.steal-chance";

    @Override
    public String wireType() {
        return TYPE;
    }
}
