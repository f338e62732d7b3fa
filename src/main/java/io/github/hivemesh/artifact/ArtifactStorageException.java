package io.github.hivemesh.artifact;

/** An artifact could not be stored, read, listed or deleted (an I/O failure). */
public class ArtifactStorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message.
     *
     * @param message the message
     */
    public ArtifactStorageException(String message) {
        super(message);
    }

    /**
     * An exception with a message and the underlying failure.
     *
     * @param message the message
     * @param cause the underlying failure
     */
    public ArtifactStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
