package io.github.hivemesh.placement;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How a node is chosen among capable candidates, given their loads.
 *
 * <ul>
 *   <li>{@link #LEAST_LOADED}: a candidate of minimum load, uniformly at random among the
 *       minimum-load candidates (join-the-shortest-queue).</li>
 *   <li>{@link #LEAST_LOADED_FAIR}: a candidate of minimum load; among those, the one that has
 *       carried the least load over time; uniformly at random among exact ties. Same queue
 *       lengths as {@link #LEAST_LOADED}, but evens out how busy each node is over time (see
 *       {@code docs/placement.md}).</li>
 *   <li>{@link #POWER_OF_TWO_CHOICES}: two distinct candidates drawn uniformly, the less loaded
 *       of them (random among equals). Reads two loads instead of all of them (Mitzenmacher,
 *       "The Power of Two Choices in Randomized Load Balancing", 2001).</li>
 *   <li>{@link #RANDOM}: a uniformly random candidate, loads ignored.</li>
 * </ul>
 *
 * <h2>Load, with and without cost estimates</h2>
 * Without estimates ({@link CandidateLoads#hasEstimates()} false) a candidate's load is its
 * number of unfinished tasks. When any candidate has tasks carrying a cost estimate, the
 * load-reading strategies compare <em>estimated work</em> instead: the sum of a candidate's
 * estimates, plus, for each of its tasks without one, the mean estimate of the candidates'
 * estimated tasks (an unknown task counts as an average one). With estimates on every task this
 * is least-work-first; with none it is exactly the count. Ties are exact equalities of that
 * number, broken as above.
 *
 * <p>Strategies are stateless: all randomness comes from the {@link RandomGenerator} passed in,
 * so a seeded generator replays the same choices. They are thread-safe exactly when that
 * generator is (a {@link java.util.SplittableRandom} is not; callers sharing one must lock).
 */
public enum PlacementStrategy {

    /** Minimum load, random tie-break. */
    LEAST_LOADED {
        @Override
        public int select(CandidateLoads candidates, RandomGenerator random) {
            return leastLoaded(candidates, random, false);
        }
    },

    /** Minimum load, then minimum accumulated load, then random. */
    LEAST_LOADED_FAIR {
        @Override
        public int select(CandidateLoads candidates, RandomGenerator random) {
            return leastLoaded(candidates, random, true);
        }
    },

    /** The less loaded of two random candidates. */
    POWER_OF_TWO_CHOICES {
        @Override
        public int select(CandidateLoads candidates, RandomGenerator random) {
            int n = checked(candidates, random);
            if (n <= 1) {
                return n - 1;
            }
            int a = random.nextInt(n);
            int b = random.nextInt(n - 1);
            if (b >= a) {
                b++;
            }
            double mean = meanEstimate(candidates, n);
            double loadA = work(candidates, a, mean);
            double loadB = work(candidates, b, mean);
            if (loadA != loadB) {
                return loadA < loadB ? a : b;
            }
            return random.nextBoolean() ? a : b;
        }
    },

    /** Any candidate, uniformly. */
    RANDOM {
        @Override
        public int select(CandidateLoads candidates, RandomGenerator random) {
            int n = checked(candidates, random);
            return n <= 1 ? n - 1 : random.nextInt(n);
        }
    };

    /**
     * Chooses a candidate.
     *
     * @param candidates the candidates
     * @param random the source of random choices
     * @return the index of the chosen candidate, or -1 when there are none
     */
    public abstract int select(CandidateLoads candidates, RandomGenerator random);

    /**
     * Chooses among named candidates, reading their loads from {@code table} once (nodes absent
     * from the table count as load 0).
     *
     * @param candidates the candidates
     * @param table the load table
     * @param random the source of random choices
     * @return the chosen candidate, or empty when {@code candidates} is empty
     */
    public Optional<String> select(List<String> candidates, LoadTable table,
            RandomGenerator random) {
        int index = select(CandidateLoads.of(candidates, table), random);
        return index < 0 ? Optional.empty() : Optional.of(candidates.get(index));
    }

    /**
     * Two passes: find the minimum (load, then accumulated load when {@code fair}) and count the
     * candidates holding it, then return the k-th of them for one uniform k. One random draw per
     * selection, and only when there is a tie. With estimates the load is the estimated work
     * (class docs), which costs one more pass for the mean estimate.
     */
    private static int leastLoaded(CandidateLoads candidates, RandomGenerator random,
            boolean fair) {
        int n = checked(candidates, random);
        if (n <= 1) {
            return n - 1;
        }
        if (candidates.hasEstimates()) {
            return leastWork(candidates, random, fair, n, meanEstimate(candidates, n));
        }
        int min = Integer.MAX_VALUE;
        double minAccumulated = Double.MAX_VALUE;
        int ties = 0;
        for (int i = 0; i < n; i++) {
            int load = candidates.load(i);
            double accumulated = fair ? candidates.accumulatedLoad(i) : 0;
            if (load < min || (load == min && accumulated < minAccumulated)) {
                min = load;
                minAccumulated = accumulated;
                ties = 1;
            } else if (load == min && accumulated == minAccumulated) {
                ties++;
            }
        }
        int pick = ties == 1 ? 0 : random.nextInt(ties);
        for (int i = 0; i < n; i++) {
            if (candidates.load(i) == min
                    && (fair ? candidates.accumulatedLoad(i) : 0) == minAccumulated
                    && pick-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException(
                "candidate loads changed during selection; CandidateLoads must be a snapshot");
    }

    /** {@link #leastLoaded} over estimated work; same passes, a {@code double} key. */
    private static int leastWork(CandidateLoads candidates, RandomGenerator random, boolean fair,
            int n, double mean) {
        double min = Double.POSITIVE_INFINITY;
        double minAccumulated = Double.MAX_VALUE;
        int ties = 0;
        for (int i = 0; i < n; i++) {
            double load = work(candidates, i, mean);
            double accumulated = fair ? candidates.accumulatedLoad(i) : 0;
            if (load < min || (load == min && accumulated < minAccumulated)) {
                min = load;
                minAccumulated = accumulated;
                ties = 1;
            } else if (load == min && accumulated == minAccumulated) {
                ties++;
            }
        }
        int pick = ties == 1 ? 0 : random.nextInt(ties);
        for (int i = 0; i < n; i++) {
            if (work(candidates, i, mean) == min
                    && (fair ? candidates.accumulatedLoad(i) : 0) == minAccumulated
                    && pick-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException(
                "candidate loads changed during selection; CandidateLoads must be a snapshot");
    }

    /**
     * The mean estimate of the candidates' estimated tasks, or NaN when none has any (then
     * {@link #work} is the count).
     */
    private static double meanEstimate(CandidateLoads candidates, int n) {
        if (!candidates.hasEstimates()) {
            return Double.NaN;
        }
        long tasks = 0;
        double work = 0;
        for (int i = 0; i < n; i++) {
            int estimated = candidates.estimatedTasks(i);
            if (estimated > 0) {
                tasks += estimated;
                work += candidates.estimatedWork(i);
            }
        }
        return tasks == 0 ? Double.NaN : work / tasks;
    }

    /** Candidate {@code i}'s load: its count, or its estimated work when {@code mean} is a number. */
    private static double work(CandidateLoads candidates, int i, double mean) {
        int load = candidates.load(i);
        if (Double.isNaN(mean)) {
            return load;
        }
        int estimated = candidates.estimatedTasks(i);
        return (estimated == 0 ? 0 : candidates.estimatedWork(i)) + (load - estimated) * mean;
    }

    private static int checked(CandidateLoads candidates, RandomGenerator random) {
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(random, "random");
        return candidates.size();
    }
}
