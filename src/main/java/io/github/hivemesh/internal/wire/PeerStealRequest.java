package io.github.hivemesh.internal.wire;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A mesh peer with free slots and nothing queued asks a backlogged peer for tasks it can run;
 * answered with {@link PeerStolen}.
 *
 * @param thief        the asking peer's endpoint, where the tasks go
 * @param capabilities the asking peer's capabilities
 * @param slots        its free slots: the most it wants
 */
public record PeerStealRequest(String thief, Set<String> capabilities, int slots)
        implements WireMessage {

    /** The broker message type. */
    public static final String TYPE = "mesh.steal";

    /** Copies the capabilities. */
    public PeerStealRequest {
        Objects.requireNonNull(thief, "thief");
        // in the given order: a decoded request encodes again to the same bytes
        capabilities = Collections.unmodifiableSet(new LinkedHashSet<>(
                Objects.requireNonNull(capabilities, "capabilities")));
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
