package io.github.hivemesh.mesh;

import io.github.hivemesh.broker.Message;

/** A local command to one of the mesh's actors (a peer or the root). */
interface MeshCommand {

    /** The broker message type it travels under (counted by the broker). */
    String type();

    /** The message carrying {@code command} from {@code from} to {@code to}. */
    static Message message(MeshCommand command, String from, String to) {
        return Message.of(command.type(), command, from, to);
    }
}
