package io.github.hivemesh.wire;

/**
 * A payload or output that a {@link PayloadCodec} cannot encode: a value of an unsupported
 * type, or one beyond what a reader would accept (too deep, too large). The message names the
 * value's Java type and where it sits, e.g. {@code payload of task 't-1': map value for key
 * "k" → list element 3: java.time.Instant is not supported by the default payload codec (...)}.
 * Raised at the sender, which fails the task with it; nothing was sent.
 */
public class UnsupportedPayloadException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception naming the value's type and where it sits.
     *
     * @param message the message
     */
    public UnsupportedPayloadException(String message) {
        super(message);
    }

    /**
     * An exception naming the value's type and where it sits, with the codec's own failure.
     *
     * @param message the message
     * @param cause the underlying failure
     */
    public UnsupportedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
