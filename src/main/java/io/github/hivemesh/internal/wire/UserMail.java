package io.github.hivemesh.internal.wire;

import java.util.Objects;

/**
 * An application's message from one agent to another ({@code TaskContext.sendToPeer}).
 *
 * @param fromAgentId the sending agent (or the application's own name for itself)
 * @param toAgentId   the receiving agent
 * @param type        the application's message type
 * @param payload     the application's payload (through the payload codec), may be null
 */
public record UserMail(String fromAgentId, String toAgentId, String type, Object payload)
        implements WireMessage {

    /** The broker message type of user messages. */
    public static final String TYPE = "agent.mail";

    /** Checks the fields. */
    public UserMail {
        Objects.requireNonNull(fromAgentId, "fromAgentId");
        Objects.requireNonNull(toAgentId, "toAgentId");
        Objects.requireNonNull(type, "type");
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
