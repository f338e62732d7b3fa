package io.github.hivemesh.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PlacementStrategyTest {

    private static CandidateLoads loads(int... values) {
        return new CandidateLoads() {
            @Override
            public int size() {
                return values.length;
            }

            @Override
            public int load(int index) {
                return values[index];
            }
        };
    }

    @ParameterizedTest
    @EnumSource(PlacementStrategy.class)
    void select_noCandidates_returnsMinusOne(PlacementStrategy strategy) {
        assertThat(strategy.select(loads(), new SplittableRandom(1))).isEqualTo(-1);
        assertThat(strategy.select(List.of(), new LoadTable(new VirtualTime().clock()),
                new SplittableRandom(1))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(PlacementStrategy.class)
    void select_singleCandidate_returnsIt(PlacementStrategy strategy) {
        assertThat(strategy.select(loads(7), new SplittableRandom(1))).isZero();
    }

    @ParameterizedTest
    @EnumSource(PlacementStrategy.class)
    void select_sameSeed_replaysTheSameChoices(PlacementStrategy strategy) {
        CandidateLoads candidates = loads(1, 0, 0, 2, 0, 1, 0);
        SplittableRandom first = new SplittableRandom(42);
        SplittableRandom second = new SplittableRandom(42);
        for (int i = 0; i < 50; i++) {
            assertThat(strategy.select(candidates, first))
                    .isEqualTo(strategy.select(candidates, second));
        }
    }

    @ParameterizedTest
    @EnumSource(PlacementStrategy.class)
    void select_nullArguments_areRejected(PlacementStrategy strategy) {
        assertThatThrownBy(() -> strategy.select((CandidateLoads) null, new SplittableRandom(1)))
                .hasMessage("candidates");
        assertThatThrownBy(() -> strategy.select(loads(1), null)).hasMessage("random");
    }

    @ParameterizedTest
    @EnumSource(value = PlacementStrategy.class, names = {"LEAST_LOADED", "LEAST_LOADED_FAIR"})
    void select_loadsChangingBetweenReads_failsClearly(PlacementStrategy strategy) {
        CandidateLoads unstable = new CandidateLoads() {
            private int reads;

            @Override
            public int size() {
                return 2;
            }

            @Override
            public int load(int index) {
                return reads++ < 2 ? 0 : 1;
            }
        };

        assertThatThrownBy(() -> strategy.select(unstable, new SplittableRandom(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CandidateLoads must be a snapshot");
    }

    @Test
    void leastLoaded_breaksTiesAtRandomAcrossAllMinimumCandidates() {
        CandidateLoads candidates = loads(3, 0, 5, 0, 0, 1);
        SplittableRandom random = new SplittableRandom(7);
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            chosen.add(PlacementStrategy.LEAST_LOADED.select(candidates, random));
        }
        assertThat(chosen).containsExactlyInAnyOrder(1, 3, 4);
    }

    @Test
    void leastLoadedFair_prefersTheCandidateThatCarriedLessLoad() {
        VirtualTime time = new VirtualTime();
        LoadTable table = new LoadTable(time.clock());
        table.set("busy-before", 4);
        table.set("idle-before", 0);
        time.advance(Duration.ofSeconds(1));
        table.set("busy-before", 0);

        for (long seed = 0; seed < 20; seed++) {
            assertThat(PlacementStrategy.LEAST_LOADED_FAIR.select(
                    List.of("busy-before", "idle-before"), table, new SplittableRandom(seed)))
                    .contains("idle-before");
        }
    }

    @Test
    void leastLoadedFair_breaksExactTiesAtRandom() {
        CandidateLoads candidates = loads(0, 0, 1);
        SplittableRandom random = new SplittableRandom(3);
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            chosen.add(PlacementStrategy.LEAST_LOADED_FAIR.select(candidates, random));
        }
        assertThat(chosen).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void random_reachesEveryCandidate() {
        SplittableRandom random = new SplittableRandom(5);
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            chosen.add(PlacementStrategy.RANDOM.select(loads(9, 0, 9, 9), random));
        }
        assertThat(chosen).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void powerOfTwo_withTwoCandidates_alwaysPicksTheLessLoaded() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 50; i++) {
            assertThat(PlacementStrategy.POWER_OF_TWO_CHOICES.select(loads(4, 1), random))
                    .isEqualTo(1);
        }
    }

    /** The property the balancer relies on: the pick is a capable node of minimum load. */
    @Property(tries = 500)
    void leastLoaded_alwaysPicksAMinimumLoadCapablePeer(
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 6) Integer> loads,
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 7) Integer> capMasks,
            @ForAll @IntRange(min = 0, max = 7) int requiredMask,
            @ForAll long seed) {
        VirtualTime time = new VirtualTime();
        LoadTable table = new LoadTable(time.clock());
        CapabilityIndex index = new CapabilityIndex();
        int peers = Math.min(loads.size(), capMasks.size());
        for (int p = 0; p < peers; p++) {
            index.put("p" + p, capabilities(capMasks.get(p)));
            table.set("p" + p, loads.get(p));
        }
        Set<String> required = capabilities(requiredMask);
        Placer placer = new Placer(index, table, PlacementStrategy.LEAST_LOADED,
                new SplittableRandom(seed));

        Optional<String> chosen = placer.place(required);

        List<Integer> capableLoads = new ArrayList<>();
        for (int p = 0; p < peers; p++) {
            if (capabilities(capMasks.get(p)).containsAll(required)) {
                capableLoads.add(loads.get(p));
            }
        }
        if (capableLoads.isEmpty()) {
            assertThat(chosen).isEmpty();
        } else {
            assertThat(chosen).isPresent();
            assertThat(index.capabilitiesOf(chosen.get())).containsAll(required);
            assertThat(table.get(chosen.get())).isEqualTo(
                    capableLoads.stream().mapToInt(Integer::intValue).min().getAsInt());
        }
    }

    @Property(tries = 300)
    void powerOfTwo_neverPicksTheUniqueMaximum(
            @ForAll @Size(min = 2, max = 20) List<@IntRange(min = 0, max = 5) Integer> loads,
            @ForAll long seed) {
        int[] values = loads.stream().mapToInt(Integer::intValue).toArray();
        int max = loads.stream().mapToInt(Integer::intValue).max().getAsInt();
        boolean uniqueMax = loads.stream().filter(l -> l == max).count() == 1;

        int chosen = PlacementStrategy.POWER_OF_TWO_CHOICES.select(loads(values),
                new SplittableRandom(seed));

        if (uniqueMax) {
            assertThat(values[chosen]).isLessThan(max);
        }
    }

    private static Set<String> capabilities(int mask) {
        Set<String> caps = new HashSet<>();
        for (int bit = 0; bit < 3; bit++) {
            if ((mask & (1 << bit)) != 0) {
                caps.add("cap" + bit);
            }
        }
        return caps;
    }
}
