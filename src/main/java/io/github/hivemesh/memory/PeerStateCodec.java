package io.github.hivemesh.memory;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;
import java.util.List;
import java.util.Map;

/**
 * MessagePack codec of {@link PeerState}, type {@code "hivemesh.PeerState"}, format version 1.
 *
 * <pre>
 * field  content                    kind            default
 *     1  peerId                     string          required
 *     2  swarmId                    string          required
 *     3  load                       int             0
 *     4  activeTasks                string array    []
 *     5  metrics                    string → long   {}
 *     6  updatedAt, epoch seconds   long            0
 *     7  updatedAt, nanoseconds     int             0
 *     8  version                    long            0
 * </pre>
 *
 * Field numbers are never reused; fields added later get new numbers and older readers skip
 * them. Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class PeerStateCodec extends MessagePackCodec<PeerState> {

    /** The shared instance. */
    public static final PeerStateCodec INSTANCE = new PeerStateCodec();

    private PeerStateCodec() {
        super("hivemesh.PeerState", 1);
    }

    @Override
    protected void writeFields(PeerState state, FieldWriter out) {
        out.string(1, state.peerId())
                .string(2, state.swarmId())
                .int32(3, state.load())
                .strings(4, state.activeTasks())
                .longMap(5, state.metrics())
                .int64(6, state.updatedAt().getEpochSecond())
                .int32(7, state.updatedAt().getNano())
                .int64(8, state.version());
    }

    @Override
    protected PeerState readFields(FieldReader in) {
        String peerId = null;
        String swarmId = null;
        int load = 0;
        List<String> activeTasks = List.of();
        Map<String, Long> metrics = Map.of();
        long seconds = 0;
        int nanos = 0;
        long version = 0;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> peerId = in.readString();
                case 2 -> swarmId = in.readString();
                case 3 -> load = in.readInt();
                case 4 -> activeTasks = in.readStringList();
                case 5 -> metrics = in.readLongMap();
                case 6 -> seconds = in.readLong();
                case 7 -> nanos = in.readInt();
                case 8 -> version = in.readLong();
                default -> in.skip();
            }
        }
        in.require(peerId, 1, "peerId");
        in.require(swarmId, 2, "swarmId");
        try {
            return new PeerState(peerId, swarmId, load, activeTasks, metrics,
                    in.instant(seconds, nanos, "updatedAt"), version);
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage());
        }
    }
}
