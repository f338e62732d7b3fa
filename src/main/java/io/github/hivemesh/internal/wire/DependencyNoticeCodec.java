package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;

/**
 * MessagePack codec of a {@link DependencyNotice}, type {@code "hivemesh.wire.DependencyNotice"},
 * format version 1.
 *
 * <pre>
 * field  content  kind                                               default
 *     1  kind     int: 1 lookup, 2 held, 3 unknown, 4 refused,        required
 *                 5 completed, 6 failed
 *     2  taskId   string                                             required
 *     3  lookup   long                                               required
 *     4  error    binary: an embedded {@link ErrorCodec} value       absent (required: failed)
 * </pre>
 *
 * An unknown kind, or an error present exactly when the kind is not "failed", is malformed.
 * Stateless and thread-safe.
 */
public final class DependencyNoticeCodec extends MessagePackCodec<DependencyNotice> {

    /** The type name in the header. */
    public static final String TYPE_NAME = "hivemesh.wire.DependencyNotice";

    /** The codec (it holds nothing). */
    public static final DependencyNoticeCodec INSTANCE = new DependencyNoticeCodec();

    private DependencyNoticeCodec() {
        super(TYPE_NAME, 1);
    }

    @Override
    protected void writeFields(DependencyNotice notice, FieldWriter out) {
        out.int32(1, notice.kind().code())
                .string(2, notice.taskId())
                .int64(3, notice.lookup())
                .embedded(4, ErrorCodec.INSTANCE, notice.error());
    }

    @Override
    protected DependencyNotice readFields(FieldReader in) {
        Integer kind = null;
        String taskId = null;
        Long lookup = null;
        Throwable error = null;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> kind = in.readInt();
                case 2 -> taskId = in.readString();
                case 3 -> lookup = in.readLong();
                case 4 -> error = in.readEmbedded(ErrorCodec.INSTANCE);
                default -> in.skip();
            }
        }
        DependencyNotice.Kind known = DependencyNotice.Kind.of(in.require(kind, 1, "kind"));
        if (known == null) {
            throw in.invalid("field 1 (kind) is not a known notice: " + kind);
        }
        in.require(taskId, 2, "taskId");
        in.require(lookup, 3, "lookup");
        try {
            return new DependencyNotice(known, taskId, lookup, error);
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage());
        }
    }
}
