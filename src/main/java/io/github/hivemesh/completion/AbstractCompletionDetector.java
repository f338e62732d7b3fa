package io.github.hivemesh.completion;

import static io.github.hivemesh.internal.util.Preconditions.checkNotBlank;
import static io.github.hivemesh.internal.util.Preconditions.checkNotNegative;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The completion API over a {@link QuiescenceTracker}: argument checks, waiters, timeouts,
 * epoch and metrics, written once for both detectors. A subclass decides what enters and exits
 * the tracker and supplies its own counts for the metrics.
 */
abstract class AbstractCompletionDetector implements ICompletionDetector {

    private final String swarmId;
    private final Duration defaultTimeout;
    final QuiescenceTracker tracker;

    AbstractCompletionDetector(String swarmId, DistributedCompletionConfig config) {
        this.swarmId = checkNotBlank("swarmId", swarmId);
        Objects.requireNonNull(config, "config");
        this.defaultTimeout = config.defaultTimeout();
        this.tracker = new QuiescenceTracker(swarmId, config.clock(),
                config.scheduler().orElse(null));
    }

    @Override
    public String swarmId() {
        return swarmId;
    }

    @Override
    public CompletableFuture<Boolean> detectCompletion(String swarm, Duration timeout) {
        Objects.requireNonNull(swarm, "swarmId");
        checkNotNegative("timeout", timeout);
        if (!swarmId.equals(swarm)) {
            throw new IllegalArgumentException("this completion detector watches swarm '"
                    + swarmId + "', not '" + swarm + "'");
        }
        return tracker.await(timeout);
    }

    @Override
    public CompletableFuture<Boolean> detectCompletion(String swarm) {
        return detectCompletion(swarm, defaultTimeout);
    }

    @Override
    public boolean isQuiescent() {
        return tracker.isQuiescent();
    }

    @Override
    public long epoch() {
        return tracker.epoch();
    }

    @Override
    public void reset() {
        tracker.reset();
    }

    @Override
    public void shutdown() {
        tracker.shutdown();
    }

    @Override
    public CompletionDetectorMetrics getMetrics() {
        DetectionStats stats = tracker.stats();
        return new CompletionDetectorMetrics(peerCount(), completedPeerCount(), probesSent(),
                acknowledgmentsReceived(), ignoredSignals(), stats.averageDetectionTime(),
                stats.longestDetectionTime(), stats.attempts(), stats.successes(),
                stats.timeouts(), tracker.epoch());
    }

    /** Peers known (0 without peers). */
    abstract int peerCount();

    /** Peers now neutral. */
    abstract int completedPeerCount();

    /** Units of work started: basic messages sent, or tasks created. */
    abstract long probesSent();

    /** Units of work acknowledged: signals accepted, or tasks ended. */
    abstract long acknowledgmentsReceived();

    /** Signals refused. */
    abstract long ignoredSignals();
}
