package io.github.hivemesh.agent;

import io.github.hivemesh.broker.Message;

/**
 * Receives the application messages sent to one agent ({@code sendToPeer}, a broadcast), one
 * at a time, in the order each sender sent them, on the worker executor (it may block). The
 * message is work until this returns (see {@link io.github.hivemesh.task.Messaging}); a
 * handler that throws is logged and counted, and delivery goes on.
 */
@FunctionalInterface
public interface AgentMessageHandler {

    /**
     * Handles one message.
     *
     * @param message the message: its type and payload as sent, its sender's agent id ({@code
     *     hivemesh.application} for the application's own)
     * @param context the ways to send messages on (valid until this returns), the swarm memory and
     *     the artifact store
     * @throws Exception any failure: it is logged and counted, and the next message is handled
     */
    void onMessage(Message message, MessageContext context) throws Exception;
}
