package io.github.hivemesh.mesh;

import java.time.Instant;
import java.util.Optional;

/**
 * What one peer's discovery has seen; an immutable snapshot. Counts are cumulative since the system was created;
 * {@code activePeers} and {@code stalePeers} are the current view (remote peers only).
 *
 * @param totalDiscovered              remote peers added to the view (again after eviction)
 * @param activePeers                  remote peers alive now
 * @param stalePeers                   remote peers known but stale now
 * @param broadcastsSent               announcements published to the swarm
 * @param announcementsReceived        announcements and answers to them received
 * @param heartbeatsSent               heartbeats sent
 * @param heartbeatsReceived           heartbeats received
 * @param peersRecovered               stale peers heard from again
 * @param peersLeft                    peers that announced they were leaving
 * @param peersEvicted                 peers forgotten after the eviction timeout
 * @param malformedMessages            discovery messages ignored as malformed or foreign
 * @param averageDiscoveryLatencyMillis mean time from the creation of the message that revealed a
 *                                     new peer to its receipt, in milliseconds (0 if none)
 * @param lastDiscoveryTime            when a new peer was last added, null if never
 */
public record PeerDiscoveryMetrics(
        long totalDiscovered,
        int activePeers,
        int stalePeers,
        long broadcastsSent,
        long announcementsReceived,
        long heartbeatsSent,
        long heartbeatsReceived,
        long peersRecovered,
        long peersLeft,
        long peersEvicted,
        long malformedMessages,
        double averageDiscoveryLatencyMillis,
        Instant lastDiscoveryTime) {

    /** {@return {@link #lastDiscoveryTime()} as an optional} */
    public Optional<Instant> lastDiscovery() {
        return Optional.ofNullable(lastDiscoveryTime);
    }
}
