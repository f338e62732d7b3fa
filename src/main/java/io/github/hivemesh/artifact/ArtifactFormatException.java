package io.github.hivemesh.artifact;

/**
 * Bytes given to a codec are not a valid encoding of the expected type: wrong type or version
 * header, malformed MessagePack, a field of the wrong kind, a missing required field, or a
 * declared length beyond the input or the codec's limits.
 */
public class ArtifactFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception describing what is malformed.
     *
     * @param message the message
     */
    public ArtifactFormatException(String message) {
        super(message);
    }

    /**
     * An exception describing what is malformed, with the decoder's failure.
     *
     * @param message the message
     * @param cause the underlying failure
     */
    public ArtifactFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
