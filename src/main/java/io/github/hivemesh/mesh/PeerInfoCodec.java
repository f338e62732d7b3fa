package io.github.hivemesh.mesh;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;
import java.util.Set;

/**
 * MessagePack codec of {@link PeerInfo}, type {@code "hivemesh.PeerInfo"}, format version 1.
 *
 * <pre>
 * field  content                   kind          default
 *     1  peerId                    string        required
 *     2  swarmId                   string        required
 *     3  capabilities              string array  []
 *     4  incarnation               long          0
 *     5  version                   long          0
 *     6  lastSeen, epoch seconds   long          0
 *     7  lastSeen, nanoseconds     int           0
 *     8  status                    string        "ALIVE"
 * </pre>
 *
 * Field numbers are never reused; older readers skip fields added later. Stateless and
 * thread-safe; use {@link #INSTANCE}.
 */
public final class PeerInfoCodec extends MessagePackCodec<PeerInfo> {

    /** The shared instance. */
    public static final PeerInfoCodec INSTANCE = new PeerInfoCodec();

    private PeerInfoCodec() {
        super("hivemesh.PeerInfo", 1);
    }

    @Override
    protected void writeFields(PeerInfo info, FieldWriter out) {
        out.string(1, info.peerId())
                .string(2, info.swarmId())
                .strings(3, info.capabilities())
                .int64(4, info.incarnation())
                .int64(5, info.version())
                .int64(6, info.lastSeen().getEpochSecond())
                .int32(7, info.lastSeen().getNano())
                .string(8, info.status().name());
    }

    @Override
    protected PeerInfo readFields(FieldReader in) {
        String peerId = null;
        String swarmId = null;
        Set<String> capabilities = Set.of();
        long incarnation = 0;
        long version = 0;
        long seconds = 0;
        int nanos = 0;
        String status = PeerStatus.ALIVE.name();
        while (in.next()) {
            switch (in.field()) {
                case 1 -> peerId = in.readString();
                case 2 -> swarmId = in.readString();
                case 3 -> capabilities = in.readStringSet();
                case 4 -> incarnation = in.readLong();
                case 5 -> version = in.readLong();
                case 6 -> seconds = in.readLong();
                case 7 -> nanos = in.readInt();
                case 8 -> status = in.readString();
                default -> in.skip();
            }
        }
        in.require(peerId, 1, "peerId");
        in.require(swarmId, 2, "swarmId");
        try {
            return new PeerInfo(peerId, swarmId, capabilities, incarnation, version,
                    in.instant(seconds, nanos, "lastSeen"), PeerStatus.valueOf(status));
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage());
        }
    }
}
