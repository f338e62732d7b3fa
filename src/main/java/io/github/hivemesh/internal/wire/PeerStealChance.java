package io.github.hivemesh.internal.wire;

/**
 * From a mesh peer with tasks queued behind busy slots to a peer it knows is hungry: work is
 * there to steal, ask again even if the last request was refused.
 */
public record PeerStealChance() implements WireMessage {

    /** The broker message type. */
    public static final String TYPE = "mesh.steal-chance";

    @Override
    public String wireType() {
        return TYPE;
    }
}
