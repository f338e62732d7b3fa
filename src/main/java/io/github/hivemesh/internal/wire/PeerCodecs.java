package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;
import java.util.Set;

/**
 * MessagePack codecs of the mesh peers' work-stealing messages, format version 1 each. A peer
 * is its endpoint.
 *
 * <pre>
 * type name                        field  content       kind           default
 * hivemesh.wire.PeerStealChance           (no fields)
 * hivemesh.wire.PeerStealRequest      1   thief         string         required
 *                                     2   capabilities  string array   []
 *                                     3   slots         int            required
 * hivemesh.wire.PeerStolen            1   tasks (≥ 0)   int            required
 * </pre>
 *
 * Stateless and thread-safe.
 */
final class PeerCodecs {

    private PeerCodecs() {
    }

    /** {@link PeerStealChance}: no fields. */
    static final class Chance extends MessagePackCodec<PeerStealChance> {

        static final Chance INSTANCE = new Chance();

        private Chance() {
            super("hivemesh.wire.PeerStealChance", 1);
        }

        @Override
        protected void writeFields(PeerStealChance chance, FieldWriter out) {
            // nothing to say but the type
        }

        @Override
        protected PeerStealChance readFields(FieldReader in) {
            while (in.next()) {
                in.skip();
            }
            return new PeerStealChance();
        }
    }

    /** {@link PeerStealRequest}. */
    static final class Steal extends MessagePackCodec<PeerStealRequest> {

        static final Steal INSTANCE = new Steal();

        private Steal() {
            super("hivemesh.wire.PeerStealRequest", 1);
        }

        @Override
        protected void writeFields(PeerStealRequest request, FieldWriter out) {
            out.string(1, request.thief())
                    .strings(2, request.capabilities())
                    .int32(3, request.slots());
        }

        @Override
        protected PeerStealRequest readFields(FieldReader in) {
            String thief = null;
            Set<String> capabilities = Set.of();
            Integer slots = null;
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> thief = in.readString();
                    case 2 -> capabilities = in.readStringSet();
                    case 3 -> slots = in.readInt();
                    default -> in.skip();
                }
            }
            return new PeerStealRequest(in.require(thief, 1, "thief"), capabilities,
                    in.require(slots, 3, "slots"));
        }
    }

    /** {@link PeerStolen}. */
    static final class Stolen extends MessagePackCodec<PeerStolen> {

        static final Stolen INSTANCE = new Stolen();

        private Stolen() {
            super("hivemesh.wire.PeerStolen", 1);
        }

        @Override
        protected void writeFields(PeerStolen stolen, FieldWriter out) {
            out.int32(1, stolen.tasks());
        }

        @Override
        protected PeerStolen readFields(FieldReader in) {
            Integer tasks = null;
            while (in.next()) {
                if (in.field() == 1) {
                    tasks = in.readInt();
                } else {
                    in.skip();
                }
            }
            int count = in.require(tasks, 1, "tasks");
            if (count < 0) {
                throw in.invalid("field 1 (tasks) must be at least 0, was " + count);
            }
            return new PeerStolen(count);
        }
    }
}
