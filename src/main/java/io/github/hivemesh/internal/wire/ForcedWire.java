package io.github.hivemesh.internal.wire;

import io.github.hivemesh.task.Task;
import io.github.hivemesh.wire.PayloadCodec;
import io.github.hivemesh.wire.RemoteTaskException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wire of a swarm built with encoding forced ({@code SwarmConfig.forceWireEncoding}): what
 * would cross a process is encoded and decoded again in this JVM, so the recipient sees only
 * what another process would — fresh values of the types the {@link PayloadCodec} gives back,
 * the library's exceptions rebuilt, any other exception as a {@link RemoteTaskException}. A
 * swarm that passes its tests with it is one whose protocol carries everything it needs.
 *
 * <ul>
 *   <li>{@link #carry}: every {@link WireMessage}, through {@link WireCodecs#roundTrip}.</li>
 *   <li>{@link #carryOutput}: a session's output, as the {@link Result} that would take it to
 *       the task's owner.</li>
 *   <li>{@link #carryError}: a session's failure, through {@link ErrorCodec}.</li>
 *   <li>{@link #admit}: a task is encoded once when it is submitted or delegated, so a payload
 *       the codec refuses fails that call — at the sender — and never reaches an actor's
 *       mailbox, where a refusal would have nobody to tell.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe (the payload codec must be too).
 */
public final class ForcedWire implements Wire {

    private static final Logger LOG = LoggerFactory.getLogger(ForcedWire.class);

    private final WireCodecs codecs;

    /** A forced wire whose payloads and outputs cross through {@code payloads}. */
    public ForcedWire(PayloadCodec payloads) {
        this.codecs = new WireCodecs(Objects.requireNonNull(payloads, "payloads"));
    }

    @Override
    public boolean isForced() {
        return true;
    }

    /** The codecs it encodes with. */
    public WireCodecs codecs() {
        return codecs;
    }

    @Override
    public void admit(Task task) {
        codecs.taskCodec().encode(Objects.requireNonNull(task, "task"));
    }

    @Override
    public WireMessage carry(WireMessage message) {
        return codecs.roundTrip(message);
    }

    @Override
    public Object carryOutput(String taskId, Object output) {
        if (output == null) {
            // an absent field: nothing to encode
            return null;
        }
        return ((Result) codecs.roundTrip(new Result(taskId, 0, 1, output, null))).output();
    }

    @Override
    public Throwable carryError(Throwable error) {
        Objects.requireNonNull(error, "error");
        try {
            return ErrorCodec.INSTANCE.decode(ErrorCodec.INSTANCE.encode(error));
        } catch (RuntimeException e) {
            // the error codec encodes every throwable; should it not, the task still fails
            LOG.error("the error codec could not carry {}; it crosses as its description",
                    error.getClass().getName(), e);
            return RemoteTaskException.describing(error);
        }
    }

    @Override
    public String toString() {
        return "ForcedWire[" + codecs.payloads() + "]";
    }
}
