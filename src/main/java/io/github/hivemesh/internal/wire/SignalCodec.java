package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;

/**
 * MessagePack codec of a {@link Signal}, type {@code "hivemesh.wire.Signal"}, format version 2 (field 5 since
 * 2, for per-root Dijkstra–Scholten: a version-1 reader skips it, a version-1 message decodes
 * with its default).
 *
 * <pre>
 * field  content      kind                        default
 *     1  epoch        long                        required
 *     2  sender       string                      required
 *     3  recipient    string                      required
 *     4  messageIds   long array, at least one    required
 *     5  root         string                      "" (the recipient's own root)
 * </pre>
 *
 * Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class SignalCodec extends MessagePackCodec<Signal> {

    /** The type name in the header. */
    public static final String TYPE_NAME = "hivemesh.wire.Signal";

    /** The shared instance. */
    public static final SignalCodec INSTANCE = new SignalCodec();

    private SignalCodec() {
        super(TYPE_NAME, 2);
    }

    @Override
    protected void writeFields(Signal signal, FieldWriter out) {
        out.int64(1, signal.epoch())
                .string(2, signal.sender())
                .string(3, signal.recipient())
                .int64s(4, signal.messageIds())
                .string(5, signal.root());
    }

    @Override
    protected Signal readFields(FieldReader in) {
        Long epoch = null;
        String sender = null;
        String recipient = null;
        long[] messageIds = null;
        String root = "";
        while (in.next()) {
            switch (in.field()) {
                case 1 -> epoch = in.readLong();
                case 2 -> sender = in.readString();
                case 3 -> recipient = in.readString();
                case 4 -> messageIds = in.readLongArray();
                case 5 -> root = in.readString();
                default -> in.skip();
            }
        }
        in.require(epoch, 1, "epoch");
        in.require(sender, 2, "sender");
        in.require(recipient, 3, "recipient");
        in.require(messageIds, 4, "messageIds");
        try {
            return new Signal(epoch, sender, recipient, messageIds, root);
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage());
        }
    }
}
