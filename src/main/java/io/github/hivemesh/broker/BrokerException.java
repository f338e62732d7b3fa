package io.github.hivemesh.broker;

/** Base class of the exceptions a broker fails a send with. */
public class BrokerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An exception with a message. */
    public BrokerException(String message) {
        super(message);
    }

    /** An exception with a message and a cause. */
    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
