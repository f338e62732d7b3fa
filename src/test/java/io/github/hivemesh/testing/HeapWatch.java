package io.github.hivemesh.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the heap while a test runs: the peak of heap used (garbage included, so it grows
 * with {@code -Xmx}), and the peak of what was left after a collection — the live set, which is
 * what "bounded memory" is about. Samples every few milliseconds on a daemon thread of its own,
 * stopped by {@link #close()}.
 */
public final class HeapWatch implements AutoCloseable {

    private final AtomicLong peakLive = new AtomicLong();
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
            long live = 0;
            for (MemoryPoolMXBean pool : heapPools()) {
                MemoryUsage afterGc = pool.getCollectionUsage();
                if (afterGc != null) {
                    live += afterGc.getUsed();
                }
            }
            peakLive.accumulateAndGet(live, Math::max);
            LockSupport.parkNanos(5_000_000);
        }
    }

    /** The most heap was ever used since the start, garbage included. */
    public long peakUsedBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : heapPools()) {
            peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }

    /** The most heap was left after a collection since the start: the peak live set. */
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
    }

    private static Iterable<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)::iterator;
    }
}
