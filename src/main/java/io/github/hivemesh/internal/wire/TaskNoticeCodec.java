package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;

/**
 * MessagePack codec of a {@link TaskNotice}, type {@code "hivemesh.wire.TaskNotice"}, format
 * version 1.
 *
 * <pre>
 * field  content   kind                                 default
 *     1  kind      int: 1 started, 2 cancel, 3 released required
 *     2  taskId    string                               required
 *     3  serial    long                                 required
 *     4  attempt   int, at least 1                      required
 *     5  root      string (released: its tree's root)   ""
 *     6  epoch     long                                 0
 * </pre>
 *
 * An unknown kind is malformed. Stateless and thread-safe.
 */
public final class TaskNoticeCodec extends MessagePackCodec<TaskNotice> {

    /** The type name in the header. */
    public static final String TYPE_NAME = "hivemesh.wire.TaskNotice";

    /** The codec (it holds nothing). */
    public static final TaskNoticeCodec INSTANCE = new TaskNoticeCodec();

    private TaskNoticeCodec() {
        super(TYPE_NAME, 1);
    }

    @Override
    protected void writeFields(TaskNotice notice, FieldWriter out) {
        out.int32(1, notice.kind().code())
                .string(2, notice.taskId())
                .int64(3, notice.serial())
                .int32(4, notice.attempt())
                .string(5, notice.root())
                .int64(6, notice.epoch());
    }

    @Override
    protected TaskNotice readFields(FieldReader in) {
        Integer kind = null;
        String taskId = null;
        Long serial = null;
        Integer attempt = null;
        String root = "";
        long epoch = 0;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> kind = in.readInt();
                case 2 -> taskId = in.readString();
                case 3 -> serial = in.readLong();
                case 4 -> attempt = in.readInt();
                case 5 -> root = in.readString();
                case 6 -> epoch = in.readLong();
                default -> in.skip();
            }
        }
        TaskNotice.Kind known = TaskNotice.Kind.of(in.require(kind, 1, "kind"));
        if (known == null) {
            throw in.invalid("field 1 (kind) is not a known notice: " + kind);
        }
        in.require(taskId, 2, "taskId");
        in.require(serial, 3, "serial");
        in.require(attempt, 4, "attempt");
        try {
            return new TaskNotice(known, taskId, serial, attempt, root, epoch);
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage());
        }
    }
}
