package io.github.hivemesh.cluster;

/**
 * A cluster transport could not do what was asked: it could not start or join (bad stack
 * configuration, a port in use, unreadable key stores), or the engine failed a send.
 */
public class ClusterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * With a message.
     *
     * @param message the message
     */
    public ClusterException(String message) {
        super(message);
    }

    /**
     * With a message and the engine's failure.
     *
     * @param message the message
     * @param cause the underlying failure
     */
    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
