package io.github.hivemesh.internal.sim;

import static io.github.hivemesh.internal.util.Preconditions.checkRange;

/**
 * A balance workload (immutable), the reference one being docs/design.md §6's: {@code peers} single-slot peers, Poisson
 * arrivals at {@code utilisation} of their total capacity, {@code tasks} tasks with lognormal
 * durations of shape {@code sigma} and mean 1 (so time is measured in mean task durations).
 *
 * @param peers       number of peers, in [1, 1_000_000]
 * @param tasks       number of tasks, in [1, 100_000_000]
 * @param utilisation offered load ÷ capacity, in (0, 1]
 * @param sigma       lognormal shape, in [0, 4]
 * @param seed        seed of the workload (arrivals, durations) and of the placement choices
 */
public record Workload(int peers, int tasks, double utilisation, double sigma, long seed) {

    /** Validates the ranges above. */
    public Workload {
        checkRange("peers", peers, 1, 1_000_000);
        checkRange("tasks", tasks, 1, 100_000_000);
        checkRange("utilisation", utilisation, Double.MIN_VALUE, 1.0);
        checkRange("sigma", sigma, 0.0, 4.0);
    }

    /** docs/design.md §6: 1,000 peers, 100,000 tasks, 80 % utilisation, σ = 1, seed 42. */
    public static Workload reference() {
        return new Workload(1_000, 100_000, 0.8, 1.0, 42);
    }

    /**
     * The reference workload scaled down 5× in peers and tasks (same tasks per peer, so the same
     * per-peer statistics), for the default test suite.
     */
    public static Workload reduced() {
        return new Workload(200, 20_000, 0.8, 1.0, 42);
    }

    /** {@link #reference()} when {@code scale} is {@code "long"}, else {@link #reduced()}. */
    public static Workload forScale(String scale) {
        return "long".equals(scale) ? reference() : reduced();
    }
}
