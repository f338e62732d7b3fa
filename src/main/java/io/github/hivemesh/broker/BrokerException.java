package io.github.hivemesh.broker;

/** Base class of the exceptions a broker fails a send with. */
public class BrokerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message.
     *
     * @param message the message
     */
    public BrokerException(String message) {
        super(message);
    }

    /**
     * An exception with a message and a cause.
     *
     * @param message the message
     * @param cause the underlying failure
     */
    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
