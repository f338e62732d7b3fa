package io.github.hivemesh.mesh;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/** The cumulative counts behind {@link PeerDiscoveryMetrics}. Thread-safe. */
final class DiscoveryCounters {

    final LongAdder broadcastsSent = new LongAdder();
    final LongAdder announcementsReceived = new LongAdder();
    final LongAdder heartbeatsSent = new LongAdder();
    final LongAdder heartbeatsReceived = new LongAdder();
    final LongAdder peersRecovered = new LongAdder();
    final LongAdder peersLeft = new LongAdder();
    final LongAdder peersEvicted = new LongAdder();
    final LongAdder malformedMessages = new LongAdder();

    private long discovered;
    private long latencySumMillis;
    private Instant lastDiscovery;

    /** A new peer entered the view at {@code now}, {@code latencyMillis} after it was sent. */
    synchronized void discovered(Instant now, long latencyMillis) {
        discovered++;
        // peers' clocks may disagree: a message cannot arrive before it was sent
        latencySumMillis += Math.max(0, latencyMillis);
        lastDiscovery = now;
    }

    synchronized PeerDiscoveryMetrics snapshot(int activePeers, int stalePeers) {
        return new PeerDiscoveryMetrics(discovered, activePeers, stalePeers,
                broadcastsSent.sum(), announcementsReceived.sum(), heartbeatsSent.sum(),
                heartbeatsReceived.sum(), peersRecovered.sum(), peersLeft.sum(),
                peersEvicted.sum(), malformedMessages.sum(),
                discovered == 0 ? 0 : (double) latencySumMillis / discovered, lastDiscovery);
    }
}
