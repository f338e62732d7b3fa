package io.github.hivemesh.internal.wire;

import java.util.Objects;

/**
 * An application's message from one agent to another ({@code TaskContext.sendToPeer}).
 *
 * @param fromAgentId the sending agent (or the application's own name for itself)
 * @param toAgentId   the receiving agent
 * @param type        the application's message type
 * @param payload     the application's payload (through the payload codec), may be null
 * @param root        the completion root whose work the message is (its Dijkstra–Scholten
 *                    tree); {@code ""}: the recipient's own root
 * @param epoch       that root's detector epoch, as the sender knew it
 */
public record UserMail(String fromAgentId, String toAgentId, String type, Object payload,
        String root, long epoch) implements WireMessage {

    /** The broker message type of user messages. */
    public static final String TYPE = "agent.mail";

    /** Checks the fields. */
    public UserMail {
        Objects.requireNonNull(fromAgentId, "fromAgentId");
        Objects.requireNonNull(toAgentId, "toAgentId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(root, "root");
    }

    /** A message of the recipient's own root's tree, in epoch 0. */
    public UserMail(String fromAgentId, String toAgentId, String type, Object payload) {
        this(fromAgentId, toAgentId, type, payload, "", 0);
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
