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

    /** {@return number of candidates} */
    int size();

    /**
     * {@return the load of candidate {@code index}, {@code >= 0}}
     *
     * @param index the position, from 0
     */
    int load(int index);

    /**
     * {@return the load candidate {@code index} has carried over time (see
     * {@link LoadTable#accumulatedLoad}); only {@link PlacementStrategy#LEAST_LOADED_FAIR} reads
     * it} Defaults to 0.
     *
     * @param index the position, from 0
     */
    default double accumulatedLoad(int index) {
        return 0;
    }

    /**
     * {@return how many of candidate {@code index}'s {@link #load} tasks carry a cost estimate, in
     * [0, load]} Defaults to 0.
     *
     * @param index the position, from 0
     */
    default int estimatedTasks(int index) {
        return 0;
    }

    /**
     * {@return the sum of the cost estimates of candidate {@code index}'s estimated tasks ({@code
     * >= 0}; 0 when it has none)} Defaults to 0.
     *
     * @param index the position, from 0
     */
    default double estimatedWork(int index) {
        return 0;
    }

    /**
     * {@return whether any candidate has an estimated task; when false, strategies compare counts
     * and never call {@link #estimatedTasks} or {@link #estimatedWork}} Defaults to false.
     */
    default boolean hasEstimates() {
        return false;
    }

    /**
     * {@return a snapshot of the loads of {@code candidates} in {@code table}, in list order}
     *
     * @param candidates the candidates
     * @param table the load table
     */
    static CandidateLoads of(List<String> candidates, LoadTable table) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(table, "table");
        int n = candidates.size();
        int[] loads = new int[n];
        double[] accumulated = new double[n];
        int[] estimatedTasks = new int[n];
        double[] estimatedWork = new double[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            String id = Objects.requireNonNull(candidates.get(i),
                    "candidates contains null");
            LoadTable.Cell cell = table.cell(id);
            LoadTable.Entry entry = cell == null ? null : cell.entry;
            if (entry != null) {
                loads[i] = entry.load();
                accumulated[i] = entry.accumulatedAt(table.millis());
                estimatedTasks[i] = entry.estimatedTasks();
                estimatedWork[i] = entry.estimatedWork();
                any |= estimatedTasks[i] > 0;
            }
        }
        boolean hasEstimates = any;
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

            @Override
            public int estimatedTasks(int index) {
                return estimatedTasks[index];
            }

            @Override
            public double estimatedWork(int index) {
                return estimatedWork[index];
            }

            @Override
            public boolean hasEstimates() {
                return hasEstimates;
            }
        };
    }
}
