package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;
import io.github.hivemesh.task.Task;
import java.time.Duration;
import java.util.List;

/**
 * MessagePack codec of a {@link Task}, type {@code "hivemesh.wire.Task"}, format version 1.
 *
 * <pre>
 * field  content                    kind            default
 *     1  id                         string          required
 *     2  type                       string          required
 *     3  description                string          ""
 *     4  requiredCapabilities       string array    []
 *     5  priority                   int             required
 *     6  dependencies               string array    []
 *     7  payload                    binary          absent: null (the payload codec's bytes)
 *     8  timeout, seconds           long            absent: no timeout
 *     9  timeout, nanoseconds       int             0
 *    10  costEstimate               double          absent: none
 * </pre>
 *
 * A decoded task is built by {@link Task#builder()}, so its values are checked as any task's are; a value
 * the builder refuses is an {@code ArtifactFormatException}. Stateless and thread-safe.
 */
public final class TaskCodec extends MessagePackCodec<Task> {

    /** The type name in the header. */
    public static final String TYPE_NAME = "hivemesh.wire.Task";

    private final Payloads payloads;

    TaskCodec(Payloads payloads) {
        super(TYPE_NAME, 1);
        this.payloads = payloads;
    }

    @Override
    protected void writeFields(Task task, FieldWriter out) {
        out.string(1, task.id())
                .string(2, task.type())
                .string(3, task.description())
                .strings(4, task.requiredCapabilities())
                .int32(5, task.priority())
                .strings(6, task.dependencies());
        payloads.write(out, 7, task.payload(), () -> "payload of task '" + task.id() + "'");
        task.timeout().ifPresent(timeout -> out.int64(8, timeout.getSeconds())
                .int32(9, timeout.getNano()));
        task.costEstimate().ifPresent(cost -> out.float64(10, cost));
    }

    @Override
    protected Task readFields(FieldReader in) {
        String id = null;
        String type = null;
        String description = "";
        List<String> capabilities = List.of();
        Integer priority = null;
        List<String> dependencies = List.of();
        Object payload = null;
        Long timeoutSeconds = null;
        int timeoutNanos = 0;
        Double costEstimate = null;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> id = in.readString();
                case 2 -> type = in.readString();
                case 3 -> description = in.readString();
                case 4 -> capabilities = in.readStringList();
                case 5 -> priority = in.readInt();
                case 6 -> dependencies = in.readStringList();
                case 7 -> payload = payloads.read(in);
                case 8 -> timeoutSeconds = in.readLong();
                case 9 -> timeoutNanos = in.readInt();
                case 10 -> costEstimate = in.readDouble();
                default -> in.skip();
            }
        }
        in.require(id, 1, "id");
        in.require(type, 2, "type");
        in.require(priority, 5, "priority");
        if (timeoutNanos < 0 || timeoutNanos > 999_999_999) {
            throw in.invalid("timeout nanoseconds must be in [0, 999999999], was "
                    + timeoutNanos);
        }
        try {
            Task.Builder builder = Task.builder().id(id).type(type).description(description)
                    .requiredCapabilities(capabilities).priority(priority)
                    .dependencies(dependencies).payload(payload);
            if (timeoutSeconds != null) {
                builder.timeout(Duration.ofSeconds(timeoutSeconds, timeoutNanos));
            }
            if (costEstimate != null) {
                builder.costEstimate(costEstimate);
            }
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage());
        }
    }
}
