package io.github.hivemesh.mesh;

import java.time.Duration;
import java.util.Objects;

/**
 * What a mesh has done (the seed's {@code MeshMetrics}).
 *
 * @param totalPeers               peers ever spawned
 * @param activePeers              live peers now
 * @param averageLoad              mean load (queued + running tasks) of the live peers
 * @param discoveryTime            longest time a peer took, after it was spawned, to be known by
 *                                 every other peer and know them all (zero without discovery)
 * @param completionDetectionTime  time from the last task's end to the report of quiescence,
 *                                 of the last detection
 * @param messagesSent             messages the broker accepted
 * @param messagesReceived         messages the broker delivered
 * @param p95PeerLatency           95th percentile of the time tasks waited on a peer between
 *                                 assignment and start
 * @param tokenSavingsPercentage   idle-token savings from pausing; 0 while nothing is paused
 * @param tasksMoved               queued tasks moved from one peer to another before they
 *                                 started (rebalancing, and idle peers taking work queued
 *                                 behind busy ones); each move is one more basic message
 */
public record MeshMetrics(
        int totalPeers,
        int activePeers,
        double averageLoad,
        Duration discoveryTime,
        Duration completionDetectionTime,
        long messagesSent,
        long messagesReceived,
        Duration p95PeerLatency,
        double tokenSavingsPercentage,
        long tasksMoved) {

    /**
     * Checks the durations.
     *
     * @param totalPeers peers ever spawned
     * @param activePeers live peers now
     * @param averageLoad mean load (queued + running tasks) of the live peers
     * @param discoveryTime longest time a peer took, after it was spawned, to be known by every
     *     other peer and know them all (zero without discovery)
     * @param completionDetectionTime time from the last task's end to the report of quiescence, of
     *     the last detection
     * @param messagesSent messages the broker accepted
     * @param messagesReceived messages the broker delivered
     * @param p95PeerLatency 95th percentile of the time tasks waited on a peer between assignment
     *     and start
     * @param tokenSavingsPercentage idle-token savings from pausing; 0 while nothing is paused
     * @param tasksMoved queued tasks moved from one peer to another before they started
     *     (rebalancing, and idle peers taking work queued behind busy ones); each move is one more
     *     basic message*/
    public MeshMetrics {
        Objects.requireNonNull(discoveryTime, "discoveryTime");
        Objects.requireNonNull(completionDetectionTime, "completionDetectionTime");
        Objects.requireNonNull(p95PeerLatency, "p95PeerLatency");
    }
}
