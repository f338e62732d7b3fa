package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;

/**
 * MessagePack codec of a {@link Returned}, type {@code "hivemesh.wire.Returned"}, format
 * version 1.
 *
 * <pre>
 * field  content      kind                                            default
 *     1  assignment   binary: an embedded {@link AssignCodec} value     one of 1, 3
 *     2  messageId    long                                            required
 *     3  user message binary: an embedded {@link UserMailCodec} value   one of 1, 3
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class ReturnedCodec extends MessagePackCodec<Returned> {

    /** The type name in the header. */
    public static final String TYPE_NAME = "hivemesh.wire.Returned";

    private final AssignCodec assignments;
    private final UserMailCodec mails;

    ReturnedCodec(AssignCodec assignments, UserMailCodec mails) {
        super(TYPE_NAME, 1);
        this.assignments = assignments;
        this.mails = mails;
    }

    @Override
    protected void writeFields(Returned returned, FieldWriter out) {
        if (returned.message() instanceof Assign assign) {
            out.embedded(1, assignments, assign);
        } else {
            out.embedded(3, mails, (UserMail) returned.message());
        }
        out.int64(2, returned.messageId());
    }

    @Override
    protected Returned readFields(FieldReader in) {
        WireMessage message = null;
        Long messageId = null;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> message = in.readEmbedded(assignments);
                case 2 -> messageId = in.readLong();
                case 3 -> message = in.readEmbedded(mails);
                default -> in.skip();
            }
        }
        in.require(message, 1, "assignment or user message");
        in.require(messageId, 2, "messageId");
        return new Returned(message, messageId);
    }
}
