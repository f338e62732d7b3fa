package io.github.hivemesh.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.VirtualTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Placement over cost estimates: the load table's estimates, the strategies' key, run order. */
class CostEstimatePlacementTest {

    private final LoadTable table = new LoadTable(new VirtualTime().clock());

    // ---- LoadTable ----------------------------------------------------------------------

    @Test
    void addEstimated_movesCountAndWork_andClearsResidueWithTheLastTask() {
        table.addEstimated("a", 1, 0.1);
        table.addEstimated("a", 1, 0.2);
        table.add("a", 1);

        assertThat(table.get("a")).isEqualTo(3);
        assertThat(table.estimatedTasks("a")).isEqualTo(2);
        assertThat(table.estimatedWork("a")).isEqualTo(0.1 + 0.2);

        table.addEstimated("a", -1, -0.2);
        assertThat(table.addEstimated("a", -1, -0.1)).isEqualTo(1);
        // 0.1 + 0.2 - 0.2 - 0.1 is not 0 in floating point; no estimated task left means 0
        assertThat(table.estimatedWork("a")).isZero();
        assertThat(table.estimatedTasks("a")).isZero();
        assertThat(table.estimatedWork("nobody")).isZero();
        assertThat(table.estimatedTasks("nobody")).isZero();
    }

    @Test
    void countOnlyChanges_takeUnestimatedTasksFirst_andSetClearsEstimates() {
        table.addEstimated("a", 2, 5.0);
        table.add("a", 1);
        table.add("a", -1);
        assertThat(table.estimatedTasks("a")).isEqualTo(2);
        assertThat(table.estimatedWork("a")).isEqualTo(5.0);

        // fewer tasks than estimated ones: the count caps the estimated count
        table.add("a", -1);
        assertThat(table.estimatedTasks("a")).isEqualTo(1);

        table.set("a", 4);
        assertThat(table.estimatedTasks("a")).isZero();
        assertThat(table.estimatedWork("a")).isZero();

        table.set("a", 4, 3, 9.0);
        assertThat(table.get("a")).isEqualTo(4);
        assertThat(table.estimatedTasks("a")).isEqualTo(3);
        assertThat(table.estimatedWork("a")).isEqualTo(9.0);
    }

    @Test
    void badEstimates_areRejected_andNothingChanges() {
        table.addEstimated("a", 1, 2.0);

        assertThatThrownBy(() -> table.addEstimated("a", 1, -1.0))
                .hasMessage("work must be finite, with the sign of delta (1), was -1.0");
        assertThatThrownBy(() -> table.addEstimated("a", 1, Double.NaN))
                .hasMessageContaining("was NaN");
        assertThatThrownBy(() -> table.addEstimated("a", 0, 1.0))
                .hasMessageContaining("sign of delta (0)");
        assertThatThrownBy(() -> table.addEstimated("a", -2, -2.0))
                .hasMessage("estimated tasks of 'a' must stay in [0, load], was 1 + -2 of 1 + -2");
        assertThatThrownBy(() -> table.set("a", 1, 2, 1.0))
                .hasMessage("estimatedTasks must be in [0, 1], was 2");
        assertThatThrownBy(() -> table.set("a", 1, 0, 1.0))
                .hasMessage("estimatedWork must be in [0.0, 0.0], was 1.0");
        assertThatThrownBy(() -> table.set("a", 1, 1, Double.POSITIVE_INFINITY))
                .hasMessageStartingWith("estimatedWork must be in [0.0, ");
        assertThat(table.get("a")).isEqualTo(1);
        assertThat(table.estimatedWork("a")).isEqualTo(2.0);
    }

    // ---- strategies ---------------------------------------------------------------------

    /** Candidates with (count, estimated tasks, estimated work) each. */
    private static CandidateLoads loads(int[] counts, int[] estimated, double[] work) {
        return new CandidateLoads() {
            @Override
            public int size() {
                return counts.length;
            }

            @Override
            public int load(int index) {
                return counts[index];
            }

            @Override
            public int estimatedTasks(int index) {
                return estimated[index];
            }

            @Override
            public double estimatedWork(int index) {
                return work[index];
            }

            @Override
            public boolean hasEstimates() {
                for (int e : estimated) {
                    if (e > 0) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    @ParameterizedTest
    @EnumSource(value = PlacementStrategy.class, names = {"LEAST_LOADED", "LEAST_LOADED_FAIR"})
    void leastLoaded_withEstimates_choosesTheLeastEstimatedWork_notTheFewestTasks(
            PlacementStrategy strategy) {
        // a: one task estimated 10; b: three tasks estimated 1 each
        CandidateLoads candidates = loads(new int[] {1, 3}, new int[] {1, 3},
                new double[] {10, 3});

        assertThat(strategy.select(candidates, new SplittableRandom(1))).isEqualTo(1);
    }

    @Test
    void unestimatedTasks_countAsTheMeanEstimate() {
        // estimated: a has 1 task of 8, b has 1 task of 2: mean 5.
        // a = 8 + 0 x 5 = 8; b = 2 + 2 x 5 = 12; c = 0 + 1 x 5 = 5 -> c
        CandidateLoads candidates = loads(new int[] {1, 3, 1}, new int[] {1, 1, 0},
                new double[] {8, 2, 0});

        assertThat(PlacementStrategy.LEAST_LOADED.select(candidates, new SplittableRandom(1)))
                .isEqualTo(2);
    }

    @Test
    void withoutEstimates_theCountDecides_exactlyAsBefore() {
        CandidateLoads candidates = loads(new int[] {2, 1, 3}, new int[] {0, 0, 0},
                new double[] {0, 0, 0});

        assertThat(PlacementStrategy.LEAST_LOADED.select(candidates, new SplittableRandom(1)))
                .isEqualTo(1);
    }

    @Test
    void powerOfTwo_withEstimates_comparesEstimatedWork() {
        CandidateLoads candidates = loads(new int[] {1, 5}, new int[] {1, 5},
                new double[] {100, 5});
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            assertThat(PlacementStrategy.POWER_OF_TWO_CHOICES.select(candidates, random))
                    .isEqualTo(1);
        }
    }

    /**
     * Least-loaded with estimates always returns a candidate of minimum estimated work, ties
     * spread over all of them (random counts, estimates and unestimated tasks).
     */
    @Property(tries = 300)
    void leastLoaded_withEstimates_returnsAMinimumWorkCandidate(
            @ForAll @IntRange(min = 1, max = 12) int n, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] counts = new int[n];
        int[] estimated = new int[n];
        double[] work = new double[n];
        for (int i = 0; i < n; i++) {
            counts[i] = random.nextInt(5);
            estimated[i] = counts[i] == 0 ? 0 : random.nextInt(counts[i] + 1);
            for (int t = 0; t < estimated[i]; t++) {
                work[i] += 1 + random.nextInt(4);
            }
        }
        CandidateLoads candidates = loads(counts, estimated, work);
        double total = 0;
        long tasks = 0;
        for (int i = 0; i < n; i++) {
            total += work[i];
            tasks += estimated[i];
        }
        double mean = tasks == 0 ? Double.NaN : total / tasks;
        double[] key = new double[n];
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            key[i] = tasks == 0 ? counts[i] : work[i] + (counts[i] - estimated[i]) * mean;
            min = Math.min(min, key[i]);
        }

        int chosen = PlacementStrategy.LEAST_LOADED.select(candidates, random);

        assertThat(key[chosen]).isEqualTo(min);
    }

    @Test
    void placer_readsEstimatesFromTheTable() {
        CapabilityIndex index = new CapabilityIndex();
        index.put("a", java.util.Set.of("x"));
        index.put("b", java.util.Set.of("x"));
        Placer placer = new Placer(index, table, PlacementStrategy.LEAST_LOADED,
                new SplittableRandom(7));
        table.addEstimated("a", 1, 10.0);
        table.addEstimated("b", 2, 4.0);

        assertThat(placer.place(List.of("x"))).contains("b");
        assertThat(PlacementStrategy.LEAST_LOADED.select(List.of("a", "b"), table,
                new SplittableRandom(7))).contains("b");

        table.addEstimated("b", 1, 7.0);
        assertThat(placer.place(List.of("x"))).contains("a");
        table.set("b", 3);
        // b is count-only now (3 tasks, each the mean estimate 10 of a's): a wins
        assertThat(placer.place(List.of("x"))).contains("a");
    }

    // ---- run order ----------------------------------------------------------------------

    private record Job(int priority, double estimate, long seq) {
    }

    private static final Comparator<Job> ORDER = RunOrder.priorityThenLongestFirst(Job::priority,
            Job::estimate, Job::seq);

    @Test
    void runOrder_priorityFirst_thenUnknown_thenLongest_thenSubmission() {
        List<Job> jobs = new ArrayList<>(List.of(
                new Job(5, 1.0, 0), new Job(5, 9.0, 1), new Job(8, 0.5, 2),
                new Job(5, Double.NaN, 3), new Job(5, 9.0, 4), new Job(5, Double.NaN, 5),
                new Job(1, 100.0, 6)));
        jobs.sort(ORDER);

        assertThat(jobs).extracting(Job::seq).containsExactly(2L, 3L, 5L, 1L, 4L, 0L, 6L);
    }

    /** A total order consistent with itself: antisymmetric and transitive on random jobs. */
    @Property(tries = 200)
    void runOrder_isATotalOrder(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double estimate = random.nextInt(4) == 0 ? Double.NaN : 1 + random.nextInt(5);
            jobs.add(new Job(1 + random.nextInt(3), estimate, i));
        }
        for (Job a : jobs) {
            assertThat(ORDER.compare(a, a)).isZero();
            for (Job b : jobs) {
                assertThat(Integer.signum(ORDER.compare(a, b)))
                        .isEqualTo(-Integer.signum(ORDER.compare(b, a)));
                for (Job c : jobs) {
                    if (ORDER.compare(a, b) < 0 && ORDER.compare(b, c) < 0) {
                        assertThat(ORDER.compare(a, c)).isNegative();
                    }
                }
            }
        }
    }

    @Test
    void runOrder_nullFunctions_areRejected() {
        assertThatThrownBy(() -> RunOrder.priorityThenLongestFirst(null, Job::estimate, Job::seq))
                .hasMessage("priority");
        assertThatThrownBy(() -> RunOrder.<Job>priorityThenLongestFirst(Job::priority, null,
                Job::seq)).hasMessage("costEstimate");
        assertThatThrownBy(() -> RunOrder.<Job>priorityThenLongestFirst(Job::priority,
                Job::estimate, null)).hasMessage("sequence");
    }
}
