package io.github.hivemesh;

/** A task or request could not finish because its swarm was shut down. */
public class SwarmShutdownException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message naming the swarm and what was cut short.
     *
     * @param message the message
     */
    public SwarmShutdownException(String message) {
        super(message);
    }
}
