package io.github.hivemesh.internal;

import io.github.hivemesh.broker.Message;
import java.util.concurrent.CompletableFuture;

/**
 * Application messages between agents ({@code TaskContext.sendToPeer}): how a coordinator
 * wraps one for the broker, refuses one nobody can receive, and gives the receiving agent's
 * handler the message as its sender wrote it (through its {@link AgentInbox}). Stateless.
 */
public final class AgentMail {

    /** The type of every wrapped application message on the broker. */
    public static final String TYPE = "agent.mail";

    /** The application's own type and payload, carried inside a broker message. */
    record Envelope(String type, Object payload) {
    }

    private AgentMail() {
    }

    /**
     * A failed future when {@code toAgentId} cannot receive messages, or null when it can.
     *
     * @param known      whether the agent is in the swarm
     * @param hasHandler whether its definition has a message handler
     */
    public static CompletableFuture<Void> refusal(String swarmId, String toAgentId,
            boolean known, boolean hasHandler) {
        if (known && hasHandler) {
            return null;
        }
        return CompletableFuture.failedFuture(new IllegalArgumentException("agent '" + toAgentId
                + "' " + (known ? "accepts no messages (AgentDefinition.messageHandler)"
                        : "is not in swarm '" + swarmId + "'")));
    }

    /** The broker message carrying an application message from one agent to another. */
    public static Message wrap(String fromAgentId, String toAgentId, String type,
            Object payload) {
        return Message.of(TYPE, new Envelope(type, payload), fromAgentId, toAgentId);
    }

    /** The application message as its sender wrote it, addressed to the receiving agent. */
    public static Message unwrap(Message carried) {
        Envelope envelope = (Envelope) carried.payload();
        return new Message(envelope.type(), envelope.payload(), carried.senderId(),
                carried.recipientId(), carried.timestamp(), carried.messageId(),
                carried.routingType(), carried.metadata());
    }
}
