package io.github.hivemesh.completion;

import java.time.Duration;
import java.util.Objects;

/**
 * A snapshot of a completion detector's counters; cumulative since it was created (a
 * {@code reset()} starts a new epoch but keeps them). Each count is exact, not all from one
 * instant.
 *
 * <p>For the counting detector there are no peers: {@code peers} and {@code completedPeers} are
 * 0, {@code probesSent} counts tasks created and {@code acknowledgmentsReceived} tasks ended.
 *
 * @param peers                   peers known to the detector (the root not included)
 * @param completedPeers          of those, peers now neutral: not engaged, deficit zero
 * @param probesSent              basic messages recorded by {@code onSend}, root's included
 * @param acknowledgmentsReceived signals accepted (each decremented a deficit)
 * @param ignoredSignals          signals refused: older epoch, unknown or repeated message id
 * @param averageDetectionTime    mean time from a {@code detectCompletion} call to its
 *                                {@code true} (zero for calls made while quiescent)
 * @param longestDetectionTime    the longest such time
 * @param detectionAttempts       {@code detectCompletion} calls
 * @param successfulDetections    calls that completed {@code true}
 * @param timeouts                calls that completed {@code false}
 * @param epoch                   the current epoch (starts at 0, +1 per {@code reset()})
 */
public record CompletionDetectorMetrics(
        int peers,
        int completedPeers,
        long probesSent,
        long acknowledgmentsReceived,
        long ignoredSignals,
        Duration averageDetectionTime,
        Duration longestDetectionTime,
        long detectionAttempts,
        long successfulDetections,
        long timeouts,
        long epoch) {

    /**
     * Checks that the durations are present.
     *
     * @param peers peers known to the detector (the root not included)
     * @param completedPeers of those, peers now neutral: not engaged, deficit zero
     * @param probesSent basic messages recorded by {@code onSend}, root's included
     * @param acknowledgmentsReceived signals accepted (each decremented a deficit)
     * @param ignoredSignals signals refused: older epoch, unknown or repeated message id
     * @param averageDetectionTime mean time from a {@code detectCompletion} call to its
     *     {@code true} (zero for calls made while quiescent)
     * @param longestDetectionTime the longest such time
     * @param detectionAttempts {@code detectCompletion} calls
     * @param successfulDetections calls that completed {@code true}
     * @param timeouts calls that completed {@code false}
     * @param epoch the current epoch (starts at 0, +1 per {@code reset()})
     */
    public CompletionDetectorMetrics {
        Objects.requireNonNull(averageDetectionTime, "averageDetectionTime");
        Objects.requireNonNull(longestDetectionTime, "longestDetectionTime");
    }
}
