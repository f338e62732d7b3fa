package io.github.hivemesh.placement;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The loads of a list of candidates, by position, as a {@link PlacementStrategy} reads them.
 *
 * <p>An implementation must return the same values for the duration of one
 * {@link PlacementStrategy#select(CandidateLoads, RandomGenerator)} call (a
 * strategy may read a candidate twice); {@link #of} builds such a snapshot from a
 * {@link LoadTable}. Implementations need not be thread-safe.
 */
public interface CandidateLoads {

    /** Number of candidates. */
    int size();

    /** The load of candidate {@code index}, {@code >= 0}. */
    int load(int index);

    /**
     * The load candidate {@code index} has carried over time (see
     * {@link LoadTable#accumulatedLoad}); only {@link PlacementStrategy#LEAST_LOADED_FAIR} reads
     * it. Defaults to 0.
     */
    default double accumulatedLoad(int index) {
        return 0;
    }

    /** A snapshot of the loads of {@code candidates} in {@code table}, in list order. */
    static CandidateLoads of(List<String> candidates, LoadTable table) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(table, "table");
        int n = candidates.size();
        int[] loads = new int[n];
        double[] accumulated = new double[n];
        for (int i = 0; i < n; i++) {
            String id = Objects.requireNonNull(candidates.get(i),
                    "candidates contains null");
            loads[i] = table.get(id);
            accumulated[i] = table.accumulatedLoad(id);
        }
        return new CandidateLoads() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public int load(int index) {
                return loads[index];
            }

            @Override
            public double accumulatedLoad(int index) {
                return accumulated[index];
            }
        };
    }
}
