package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;
import io.github.hivemesh.task.Task;

/**
 * MessagePack codec of an {@link Assign}, type {@code "hivemesh.wire.Assign"}, format
 * version 3 (field 5 since version 2, for per-root Dijkstra–Scholten; field 6 since version 3,
 * for tasks run on another member: an older reader skips them, an older message decodes with
 * their defaults).
 *
 * <pre>
 * field  content    kind                               default
 *     1  task       binary: an embedded {@link TaskCodec} value   required
 *     2  serial     long                               required
 *     3  attempt    int, at least 1                    required
 *     4  root       string                             required
 *     5  epoch      long                               0
 *     6  home       string: the endpoint the result goes to   "" (the record is local)
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class AssignCodec extends MessagePackCodec<Assign> {

    /** The type name in the header. */
    public static final String TYPE_NAME = "hivemesh.wire.Assign";

    private final TaskCodec tasks;

    AssignCodec(TaskCodec tasks) {
        super(TYPE_NAME, 3);
        this.tasks = tasks;
    }

    @Override
    protected void writeFields(Assign assign, FieldWriter out) {
        out.embedded(1, tasks, assign.task())
                .int64(2, assign.serial())
                .int32(3, assign.attempt())
                .string(4, assign.root())
                .int64(5, assign.epoch())
                .string(6, assign.home());
    }

    @Override
    protected Assign readFields(FieldReader in) {
        Task task = null;
        Long serial = null;
        Integer attempt = null;
        String root = null;
        long epoch = 0;
        String home = "";
        while (in.next()) {
            switch (in.field()) {
                case 1 -> task = in.readEmbedded(tasks);
                case 2 -> serial = in.readLong();
                case 3 -> attempt = in.readInt();
                case 4 -> root = in.readString();
                case 5 -> epoch = in.readLong();
                case 6 -> home = in.readString();
                default -> in.skip();
            }
        }
        in.require(task, 1, "task");
        in.require(serial, 2, "serial");
        in.require(attempt, 3, "attempt");
        in.require(root, 4, "root");
        try {
            return new Assign(task, serial, attempt, root, epoch, home);
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage());
        }
    }
}
