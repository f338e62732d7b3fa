package io.github.hivemesh.broker;

/** How a {@link Message} reached its recipient. */
public enum RoutingType {
    /** Sent to every neighbour of the sender ({@link IMessageBroker#broadcastToMesh}). */
    BROADCAST,
    /** Sent to one peer ({@link IMessageBroker#sendToPeer}). */
    P2P,
    /** Published on a topic to every subscriber ({@link IMessageBroker#publish}). */
    MULTICAST
}
