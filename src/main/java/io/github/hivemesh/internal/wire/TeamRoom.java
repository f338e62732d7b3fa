package io.github.hivemesh.internal.wire;

/**
 * Slots a team gives back to the queen's count of its free slots (negative: takes away).
 *
 * @param team  the team's index
 * @param slots slots freed (or withdrawn)
 */
public record TeamRoom(int team, int slots) implements WireMessage {

    /** The broker message type. */
    public static final String TYPE = "hierarchy.room";

    @Override
    public String wireType() {
        return TYPE;
    }
}
