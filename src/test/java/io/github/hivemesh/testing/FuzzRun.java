package io.github.hivemesh.testing;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Runs a batch of seeded fuzz cases and reports on them: the case count, the seed, the wall
 * time, the slowest case and the most memory one case allocated on its thread.
 *
 * <p>Counts: {@code -Dhivemesh.scale=long} (the {@code -Plong} profile) runs the long count,
 * otherwise the default one; {@code -Dhivemesh.fuzz.cases=N} overrides both. The batch seed is
 * {@code -Dhivemesh.fuzz.seed=N} when given, else random; every case draws from its own
 * {@link SplittableRandom} derived from the seed and its index, so a failure — reported with
 * the seed and the index — replays exactly.
 *
 * <p>Memory: after a warm-up (class loading and lambda linkage allocate on the first calls),
 * each case's allocation on the running thread must stay under {@code maxCaseAllocation}; a
 * decoder that trusted a huge declared length would allocate hundreds of megabytes (or fail
 * with an {@code OutOfMemoryError}, which fails the case as well). Skipped on a JVM that cannot
 * count per-thread allocation. Time is reported, never asserted: a hang is caught by the
 * caller's watchdog.
 */
public final class FuzzRun {

    /** One fuzz case; returns a label for the outcome ("decoded", "rejected"...). */
    @FunctionalInterface
    public interface Case {
        /** Runs case {@code index} with its own random. */
        String run(int index, SplittableRandom random) throws Exception;
    }

    /** What a batch did. */
    public record Report(String name, int cases, long seed, long millis, long maxCaseNanos,
            long maxCaseAllocatedBytes, Map<String, Integer> outcomes) {

        /** The one-line summary the test prints. */
        public String line() {
            return String.format("%s: %,d cases, seed %d (replay: -Dhivemesh.fuzz.seed=%d), %,d ms,"
                    + " slowest case %.2f ms, most allocated by one case %,d KiB, outcomes %s",
                    name, cases, seed, seed, millis, maxCaseNanos / 1e6,
                    maxCaseAllocatedBytes / 1024, outcomes);
        }
    }

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private FuzzRun() {
    }

    /** The batch seed: {@code -Dhivemesh.fuzz.seed}, else a fresh random one. */
    public static long seed() {
        Long given = Long.getLong("hivemesh.fuzz.seed");
        return given != null ? given : new SplittableRandom().nextLong();
    }

    /** The case count for this run's scale. */
    public static int cases(int defaultCount, int longCount) {
        Integer given = Integer.getInteger("hivemesh.fuzz.cases");
        if (given != null) {
            return given;
        }
        return "long".equals(System.getProperty("hivemesh.scale")) ? longCount : defaultCount;
    }

    /**
     * Runs {@code cases} cases, printing the report line.
     *
     * @throws AssertionError naming the seed and the case when a case throws or allocates too
     *                        much
     */
    public static Report run(String name, long seed, int cases, long maxCaseAllocation,
            Case body) {
        com.sun.management.ThreadMXBean threads = allocationCounter();
        int warmUp = Math.min(cases / 5, 1_000);
        Map<String, Integer> outcomes = new TreeMap<>();
        long maxNanos = 0;
        long maxAllocated = 0;
        long started = System.nanoTime();
        for (int i = 0; i < cases; i++) {
            SplittableRandom random = new SplittableRandom(seed + GOLDEN_GAMMA * i);
            long allocatedBefore = threads == null ? 0 : threads.getCurrentThreadAllocatedBytes();
            long caseStarted = System.nanoTime();
            String outcome;
            try {
                outcome = body.run(i, random);
            } catch (Throwable t) {
                throw new AssertionError(name + " case " + i + " of seed " + seed
                        + " failed (replay: -Dhivemesh.fuzz.seed=" + seed + "): " + t, t);
            }
            maxNanos = Math.max(maxNanos, System.nanoTime() - caseStarted);
            if (threads != null && i >= warmUp) {
                long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
                maxAllocated = Math.max(maxAllocated, allocated);
                if (allocated > maxCaseAllocation) {
                    throw new AssertionError(name + " case " + i + " of seed " + seed
                            + " allocated " + allocated + " bytes, more than the bound of "
                            + maxCaseAllocation + " (replay: -Dhivemesh.fuzz.seed=" + seed + ")");
                }
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        Report report = new Report(name, cases, seed, (System.nanoTime() - started) / 1_000_000,
                maxNanos, maxAllocated, outcomes);
        System.out.println(report.line());
        return report;
    }

    /**
     * Bytes the current thread has allocated so far, or -1 where the JVM cannot say. For the
     * single-case memory proofs.
     */
    public static long allocatedByThisThread() {
        com.sun.management.ThreadMXBean threads = allocationCounter();
        return threads == null ? -1 : threads.getCurrentThreadAllocatedBytes();
    }

    private static com.sun.management.ThreadMXBean allocationCounter() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported()
                && bean.isThreadAllocatedMemoryEnabled()) {
            return bean;
        }
        return null;
    }
}
