package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;

/**
 * MessagePack codec of a {@link UserMail}, type {@code "hivemesh.wire.UserMail"}, format
 * version 2 (fields 5 and 6 since version 2, for per-root Dijkstra–Scholten: a version-1
 * reader skips them, a version-1 message decodes with their defaults).
 *
 * <pre>
 * field  content        kind                                default
 *     1  fromAgentId    string                              required
 *     2  toAgentId      string                              required
 *     3  mailType       string (the application's type)     required
 *     4  payload        binary: the payload codec's bytes   absent: null
 *     5  root           string                              "" (the recipient's own)
 *     6  epoch          long                                0
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class UserMailCodec extends MessagePackCodec<UserMail> {

    /** The type name in the header. */
    public static final String TYPE_NAME = "hivemesh.wire.UserMail";

    private final Payloads payloads;

    UserMailCodec(Payloads payloads) {
        super(TYPE_NAME, 2);
        this.payloads = payloads;
    }

    @Override
    protected void writeFields(UserMail mail, FieldWriter out) {
        out.string(1, mail.fromAgentId())
                .string(2, mail.toAgentId())
                .string(3, mail.type());
        payloads.write(out, 4, mail.payload(), () -> "payload of message '" + mail.type()
                + "' from '" + mail.fromAgentId() + "' to '" + mail.toAgentId() + "'");
        out.string(5, mail.root()).int64(6, mail.epoch());
    }

    @Override
    protected UserMail readFields(FieldReader in) {
        String from = null;
        String to = null;
        String type = null;
        Object payload = null;
        String root = "";
        long epoch = 0;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> from = in.readString();
                case 2 -> to = in.readString();
                case 3 -> type = in.readString();
                case 4 -> payload = payloads.read(in);
                case 5 -> root = in.readString();
                case 6 -> epoch = in.readLong();
                default -> in.skip();
            }
        }
        in.require(from, 1, "fromAgentId");
        in.require(to, 2, "toAgentId");
        in.require(type, 3, "mailType");
        return new UserMail(from, to, type, payload, root, epoch);
    }
}
