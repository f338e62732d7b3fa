package io.github.hivemesh.demo;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Completion detection as the benchmarks measure it ({@code CompletionLatencyRecorder} under
 * {@code benchmarks/}; docs/design.md §6): from the moment the last {@code execute} returns to
 * the moment the {@code waitForCompletion} future completes. Sessions call
 * {@link #sessionReturned()} as their last act; the demo calls {@link #detected()} from a
 * callback on the completion future, which runs on the thread that completes it. Thread-safe.
 */
final class CompletionClock {

    // System.nanoTime() may be negative: "not yet" is Long.MIN_VALUE, not 0
    private static final long NOT_YET = Long.MIN_VALUE;

    private final AtomicLong lastReturn = new AtomicLong(NOT_YET);
    private final AtomicLong detectedAt = new AtomicLong(NOT_YET);

    /** A session's last act. Any thread. */
    void sessionReturned() {
        long now = System.nanoTime();
        lastReturn.accumulateAndGet(now, Math::max);
    }

    /** The completion future has completed. Any thread; the first call counts. */
    void detected() {
        detectedAt.compareAndSet(NOT_YET, System.nanoTime());
    }

    /** Last session return to detection; empty if either has not happened. */
    Optional<Duration> sinceLastReturn() {
        long last = lastReturn.get();
        long detected = detectedAt.get();
        if (last == NOT_YET || detected == NOT_YET) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(Math.max(0, detected - last)));
    }
}
