package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;

/**
 * MessagePack codec of a {@link Returned}, type {@code "hivemesh.wire.Returned"}, format
 * version 1.
 *
 * <pre>
 * field  content      kind                                   default
 *     1  assignment   binary: an embedded {@link AssignCodec} value   required
 *     2  messageId    long                                   required
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class ReturnedCodec extends MessagePackCodec<Returned> {

    /** The type name in the header. */
    public static final String TYPE_NAME = "hivemesh.wire.Returned";

    private final AssignCodec assignments;

    ReturnedCodec(AssignCodec assignments) {
        super(TYPE_NAME, 1);
        this.assignments = assignments;
    }

    @Override
    protected void writeFields(Returned returned, FieldWriter out) {
        out.embedded(1, assignments, returned.assignment())
                .int64(2, returned.messageId());
    }

    @Override
    protected Returned readFields(FieldReader in) {
        Assign assignment = null;
        Long messageId = null;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> assignment = in.readEmbedded(assignments);
                case 2 -> messageId = in.readLong();
                default -> in.skip();
            }
        }
        in.require(assignment, 1, "assignment");
        in.require(messageId, 2, "messageId");
        return new Returned(assignment, messageId);
    }
}
