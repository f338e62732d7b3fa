package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;

/**
 * MessagePack codec of a {@link Result}, type {@code "hivemesh.wire.Result"}, format version 2
 * (fields 6–7 since version 2: a result crossing members is a basic message of its root's
 * Dijkstra–Scholten tree; a version-1 message decodes as the recipient's own root, epoch 0).
 *
 * <pre>
 * field  content   kind                                  default
 *     1  taskId    string                                required
 *     2  serial    long                                  required
 *     3  attempt   int                                   required
 *     4  output    binary: the payload codec's bytes     absent: null
 *     5  error     binary: an embedded {@link ErrorCodec} value   absent: it completed
 *     6  root      string                                "" (the recipient's own)
 *     7  epoch     long                                  0
 * </pre>
 *
 * A result with both an output and an error is malformed. Stateless and thread-safe.
 */
public final class ResultCodec extends MessagePackCodec<Result> {

    /** The type name in the header. */
    public static final String TYPE_NAME = "hivemesh.wire.Result";

    private final Payloads payloads;
    private final ErrorCodec errors;

    ResultCodec(Payloads payloads, ErrorCodec errors) {
        super(TYPE_NAME, 2);
        this.payloads = payloads;
        this.errors = errors;
    }

    @Override
    protected void writeFields(Result result, FieldWriter out) {
        out.string(1, result.taskId())
                .int64(2, result.serial())
                .int32(3, result.attempt());
        payloads.write(out, 4, result.output(), () -> "output of task '" + result.taskId() + "'");
        out.embedded(5, errors, result.error());
        out.string(6, result.root()).int64(7, result.epoch());
    }

    @Override
    protected Result readFields(FieldReader in) {
        String taskId = null;
        Long serial = null;
        Integer attempt = null;
        Object output = null;
        Throwable error = null;
        String root = "";
        long epoch = 0;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> taskId = in.readString();
                case 2 -> serial = in.readLong();
                case 3 -> attempt = in.readInt();
                case 4 -> output = payloads.read(in);
                case 5 -> error = in.readEmbedded(errors);
                case 6 -> root = in.readString();
                case 7 -> epoch = in.readLong();
                default -> in.skip();
            }
        }
        in.require(taskId, 1, "taskId");
        in.require(serial, 2, "serial");
        in.require(attempt, 3, "attempt");
        try {
            return new Result(taskId, serial, attempt, output, error, root, epoch);
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage());
        }
    }
}
