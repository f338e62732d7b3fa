package io.github.hivemesh.broker;

/**
 * Receives the messages of one endpoint. Called from the broker's dispatcher, never concurrently
 * for the same endpoint; a handler that throws is logged and counted, and delivery goes on.
 */
@FunctionalInterface
public interface MessageHandler {

    /**
     * Handles one message.
     *
     * @param message the message
     * @throws Exception any failure: it is logged and counted, and the next message is handled
     */
    void onMessage(Message message) throws Exception;
}
