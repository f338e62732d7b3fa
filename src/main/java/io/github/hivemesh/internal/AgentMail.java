package io.github.hivemesh.internal;

import io.github.hivemesh.broker.Message;
import io.github.hivemesh.internal.wire.UserMail;
import java.util.concurrent.CompletableFuture;

/**
 * Application messages between agents ({@code TaskContext.sendToPeer}): how a coordinator
 * carries one on the broker (a {@link UserMail} between the agents' endpoints), refuses one
 * nobody can receive, and gives the receiving agent's handler the message as its sender wrote
 * it (through its {@link AgentInbox}). Stateless.
 */
public final class AgentMail {

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

    /** The broker message carrying {@code mail} between two endpoints. */
    public static Message wrap(UserMail mail, String fromEndpoint, String toEndpoint) {
        return Message.of(UserMail.TYPE, mail, fromEndpoint, toEndpoint);
    }

    /**
     * The application message as its sender wrote it, from the sending agent to the receiving
     * agent (by their ids, not their endpoints), stamped as {@code carried} was.
     */
    public static Message unwrap(Message carried, UserMail mail) {
        return new Message(mail.type(), mail.payload(), mail.fromAgentId(), mail.toAgentId(),
                carried.timestamp(), carried.messageId(), carried.routingType(),
                carried.metadata());
    }
}
