package io.github.hivemesh.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the heap while a test runs: the peak of heap used (garbage included, so it grows
 * with {@code -Xmx}), and the peak live set — what "bounded memory" is about. The live set is
 * measured, not estimated: every {@value #INTERVAL_MILLIS} ms a daemon thread of its own
 * requests a full collection and reads the heap used right after it. (A pool's usage after the
 * last collection is no measure of it: after a young collection, G1's old generation still
 * holds every promoted object, dead or alive, until a concurrent cycle runs.) Stopped by
 * {@link #close()}, which takes one last sample.
 */
public final class HeapWatch implements AutoCloseable {

    /** Time between two live-set samples. */
    public static final long INTERVAL_MILLIS = 200;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong peakLive = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    private HeapWatch() {
        System.gc();
        for (MemoryPoolMXBean pool : heapPools()) {
            pool.resetPeakUsage();
        }
        sampler = new Thread(this::sample, "heap-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts watching (after a collection, with the peaks reset). */
    public static HeapWatch start() {
        return new HeapWatch();
    }

    private void sample() {
        while (running) {
            LockSupport.parkNanos(INTERVAL_MILLIS * 1_000_000);
            measureLive();
        }
    }

    private void measureLive() {
        System.gc();
        peakLive.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        samples.incrementAndGet();
    }

    /** How many times the live set was measured. */
    public long liveSamples() {
        return samples.get();
    }

    /** The most heap was ever used since the start, garbage included. */
    public long peakUsedBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : heapPools()) {
            peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }

    /** The most heap was left after a full collection since the start: the peak live set. */
    public long peakLiveBytes() {
        return peakLive.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        measureLive();
    }

    private static Iterable<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)::iterator;
    }
}
