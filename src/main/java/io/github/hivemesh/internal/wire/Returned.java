package io.github.hivemesh.internal.wire;

import java.util.Objects;

/**
 * A basic message returned to its sender undelivered: its recipient had gone. The sender
 * withdraws it ({@code messageId}) and places an assignment again; a user message is dropped,
 * logged.
 *
 * @param message   the basic message as it was sent: an {@link Assign} or a {@link UserMail}
 * @param messageId the broker message that carried it
 */
public record Returned(WireMessage message, long messageId) implements WireMessage {

    /** The broker message type of returned assignments. */
    public static final String TYPE = "task.returned";

    /** Checks the fields. */
    public Returned {
        Objects.requireNonNull(message, "message");
        if (!(message instanceof Assign || message instanceof UserMail)) {
            throw new IllegalArgumentException("only a basic message (an assignment or a user "
                    + "message) is returned, not " + message.wireType());
        }
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
