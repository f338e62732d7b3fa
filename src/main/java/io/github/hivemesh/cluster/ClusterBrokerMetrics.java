package io.github.hivemesh.cluster;

/**
 * What a {@link ClusterMessageBroker} exchanged with the other members, cumulative since it
 * started. Each count is exact; taken while frames flow, they are not from one instant.
 *
 * @param framesSent        frames handed to the transport (messages, publications, endpoint
 *                          announcements; a publication or announcement counts once per member)
 * @param framesReceived    frames the transport delivered here
 * @param refusedOnArrival  messages for an endpoint here that its mailbox did not accept (full,
 *                          or the endpoint went away); their senders are not told yet
 * @param dropped           frames dropped unread or refused: not decodable, of an unknown kind,
 *                          or speaking for an endpoint another member hosts
 * @param remoteEndpoints   endpoints hosted by the other members of the view, now
 */
public record ClusterBrokerMetrics(long framesSent, long framesReceived, long refusedOnArrival,
        long dropped, int remoteEndpoints) {
}
