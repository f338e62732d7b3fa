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

    /**
     * The application's own type and payload, and the agents it is from and to, carried inside
     * a broker message (whose sender and recipient are the agents' endpoints).
     */
    record Envelope(String type, Object payload, String fromAgentId, String toAgentId) {
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

    /**
     * The broker message carrying an application message from one agent to another, between
     * their endpoints.
     */
    public static Message wrap(String fromAgentId, String toAgentId, String fromEndpoint,
            String toEndpoint, String type, Object payload) {
        return Message.of(TYPE, new Envelope(type, payload, fromAgentId, toAgentId),
                fromEndpoint, toEndpoint);
    }

    /**
     * The application message as its sender wrote it, from the sending agent to the receiving
     * agent (by their ids, not their endpoints).
     */
    public static Message unwrap(Message carried) {
        Envelope envelope = (Envelope) carried.payload();
        return new Message(envelope.type(), envelope.payload(), envelope.fromAgentId(),
                envelope.toAgentId(), carried.timestamp(), carried.messageId(),
                carried.routingType(), carried.metadata());
    }
}
