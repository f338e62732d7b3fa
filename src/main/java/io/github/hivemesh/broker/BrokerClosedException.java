package io.github.hivemesh.broker;

/** The broker was closed before the message was accepted; nothing was enqueued. */
public class BrokerClosedException extends BrokerException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message.
     *
     * @param message the message
     */
    public BrokerClosedException(String message) {
        super(message);
    }
}
