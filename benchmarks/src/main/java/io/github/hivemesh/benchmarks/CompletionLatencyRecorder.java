package io.github.hivemesh.benchmarks;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Measures completion detection as docs/design.md §6 defines it: from the moment the last
 * {@code execute} returns to the moment the {@code waitForCompletion} future completes. Sessions
 * call {@link #sessionReturned()} as their last act; the benchmark calls
 * {@link #detected()} from a callback on the completion future (which runs on the thread that
 * completes it). The JMH score of a round cannot isolate that interval, so the percentiles are
 * written beside the JMH JSON ({@link ResultFiles}).
 */
final class CompletionLatencyRecorder {

    private final AtomicLong lastReturn = new AtomicLong();
    private volatile boolean measuring;
    private final Histogram nanos = new Histogram(3_600_000_000_000L, 3);

    /** A session's last act. Any thread. */
    void sessionReturned() {
        long now = System.nanoTime();
        lastReturn.accumulateAndGet(now, Math::max);
    }

    /**
     * Call at the start of each JMH iteration: only rounds of measurement iterations are
     * recorded, as in the JMH score, so JIT compilation during warm-up is not a detection sample.
     */
    void startIteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
    }

    /** Starts a round. */
    void reset() {
        lastReturn.set(0);
    }

    /** Records one detection (call on the thread completing the completion future). */
    void detected() {
        long now = System.nanoTime();
        long last = lastReturn.get();
        if (measuring && last != 0) {
            synchronized (nanos) {
                nanos.recordValue(Math.max(0, now - last));
            }
        }
    }

    /** Prints the percentiles and writes them as JSON under {@code benchmarks/results}. */
    void report(String name) {
        String json;
        synchronized (nanos) {
            json = String.format(Locale.ROOT, "{\"benchmark\":\"%s\",\"unit\":\"us\","
                    + "\"count\":%d,\"p50\":%.1f,\"p95\":%.1f,\"p99\":%.1f,\"max\":%.1f}%n",
                    name, nanos.getTotalCount(), micros(50), micros(95), micros(99),
                    nanos.getMaxValue() / 1e3);
        }
        System.out.print("completion detection (last execute return to the waitForCompletion "
                + "future, measurement iterations) " + json);
        ResultFiles.write(name, json);
    }

    private double micros(double percentile) {
        return nanos.getValueAtPercentile(percentile) / 1e3;
    }
}
