package io.github.hivemesh.agent;

import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.memory.ISwarmMemoryManager;
import io.github.hivemesh.task.Messaging;

/**
 * What a message handler sees while it handles one message: who it is, and the ways to reach
 * the rest of the swarm. Valid until the handler returns; a send after that is refused.
 */
public interface MessageContext extends Messaging {

    /** {@return the agent handling the message} */
    String agentId();

    /** {@return the swarm it belongs to} */
    String swarmId();

    /** {@return the swarm's shared memory} */
    ISwarmMemoryManager memory();

    /** {@return the swarm's artifact store (in memory, or the durable one when configured)} */
    ArtifactStorage artifacts();
}
