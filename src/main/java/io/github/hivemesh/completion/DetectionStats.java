package io.github.hivemesh.completion;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How {@code detectCompletion} calls ended: attempts, successes with their detection times,
 * timeouts. Thread-safe; each count is updated before the future it describes completes.
 */
final class DetectionStats {

    private final LongAdder attempts = new LongAdder();
    private final LongAdder successes = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder detectionNanos = new LongAdder();
    private final AtomicLong longestDetectionNanos = new AtomicLong();

    void attempt() {
        attempts.increment();
    }

    void success(long detectionNanos) {
        successes.increment();
        this.detectionNanos.add(detectionNanos);
        longestDetectionNanos.accumulateAndGet(detectionNanos, Math::max);
    }

    void timeout() {
        timeouts.increment();
    }

    long attempts() {
        return attempts.sum();
    }

    long successes() {
        return successes.sum();
    }

    long timeouts() {
        return timeouts.sum();
    }

    /** Mean time from a successful call to its {@code true}; zero before the first. */
    Duration averageDetectionTime() {
        long n = successes.sum();
        return n == 0 ? Duration.ZERO : Duration.ofNanos(detectionNanos.sum() / n);
    }

    Duration longestDetectionTime() {
        return Duration.ofNanos(longestDetectionNanos.get());
    }
}
