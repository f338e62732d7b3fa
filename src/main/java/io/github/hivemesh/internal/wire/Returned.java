package io.github.hivemesh.internal.wire;

import java.util.Objects;

/**
 * An assignment returned to its sender undelivered: its recipient had gone. The sender
 * withdraws the basic message ({@code messageId}) and places the task again.
 *
 * @param assignment the assignment as it was sent
 * @param messageId  the basic message that carried it
 */
public record Returned(Assign assignment, long messageId) implements WireMessage {

    /** The broker message type of returned assignments. */
    public static final String TYPE = "task.returned";

    /** Checks the fields. */
    public Returned {
        Objects.requireNonNull(assignment, "assignment");
    }

    @Override
    public String wireType() {
        return TYPE;
    }
}
