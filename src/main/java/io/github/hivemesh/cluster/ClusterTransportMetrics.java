package io.github.hivemesh.cluster;

/**
 * Counts of one {@link ClusterTransport}, since it started. Every message that arrives is either
 * delivered or dropped for exactly one of the reasons below, so
 * {@code messagesDelivered + dropped()} is what arrived (plus what waits in the join buffer).
 *
 * @param messagesSent       messages handed to the engine by {@code send} and {@code sendToAll}
 *                           (one per recipient)
 * @param bytesSent          payload bytes of those
 * @param messagesDelivered  messages passed to the listener
 * @param bytesDelivered     payload bytes of those
 * @param viewsDelivered     views passed to the listener
 * @param droppedDeparted    messages from a member that had left this member's view
 *                           (a zombie, the far side of a partition, a late message of a
 *                           member that was excluded)
 * @param droppedNotInView   messages from a member that is not in this member's view and whose
 *                           view is not newer than this member's (not a joiner this member has
 *                           not seen yet)
 * @param droppedMalformed   messages that are not a well-formed frame of this transport (wrong
 *                           message type, short header, unknown version, unknown sender)
 * @param droppedOversized   messages whose payload exceeds
 *                           {@link ClusterConfig#maxMessageSize()}
 * @param droppedBufferFull  messages from a not-yet-seen joiner that did not fit the join buffer
 * @param listenerFailures   listener calls that threw
 * @param droppedUnauthenticated messages whose sender's identity could not be verified
 *                           (with member identity bound to certificates, see
 *                           {@code docs/cluster.md}): an identity statement that does not
 *                           verify, a frame before the sender's statement, a frame whose
 *                           authentication tag or sequence number is wrong, or an unsealed one
 */
public record ClusterTransportMetrics(long messagesSent, long bytesSent, long messagesDelivered,
        long bytesDelivered, long viewsDelivered, long droppedDeparted, long droppedNotInView,
        long droppedMalformed, long droppedOversized, long droppedBufferFull,
        long listenerFailures, long droppedUnauthenticated) {

    /** {@return messages dropped, for any reason} */
    public long dropped() {
        return droppedDeparted + droppedNotInView + droppedMalformed + droppedOversized
                + droppedBufferFull + droppedUnauthenticated;
    }
}
