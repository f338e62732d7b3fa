package io.github.hivemesh.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.VirtualTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PlacerTest {

    private final LoadTable loads = new LoadTable(new VirtualTime().clock());
    private final CapabilityIndex index = new CapabilityIndex();
    private final Placer placer = new Placer(index, loads, PlacementStrategy.LEAST_LOADED,
            new SplittableRandom(42));

    @Test
    void place_choosesTheLeastLoadedCapableNode() {
        index.put("a", Set.of("review"));
        index.put("b", Set.of("review", "java"));
        index.put("c", Set.of("java"));
        loads.set("a", 5);
        loads.set("b", 2);
        loads.set("c", 0);

        assertThat(placer.place(Set.of("review"))).contains("b");
        assertThat(placer.place(Set.of("go"))).isEmpty();
        assertThat(placer.strategy()).isEqualTo(PlacementStrategy.LEAST_LOADED);
    }

    @Test
    void place_withEligibility_skipsIneligibleNodes() {
        index.put("a", Set.of("x"));
        index.put("b", Set.of("x"));
        loads.set("a", 0);
        loads.set("b", 9);

        assertThat(placer.place(Set.of("x"), node -> !node.equals("a"))).contains("b");
        assertThat(placer.place(Set.of("x"), node -> false)).isEmpty();
    }

    @Test
    void choose_amongGivenCandidates_unknownNodesCountAsIdle() {
        loads.set("a", 1);

        assertThat(placer.choose(List.of("a", "never-reported"))).contains("never-reported");
    }

    /** The placer reuses its load snapshot; lists of changing size must each be read afresh. */
    @Test
    void choose_overListsOfChangingSize_readsEachListsOwnLoads() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add("n" + i);
            loads.set("n" + i, 100 - i);
        }
        assertThat(placer.choose(many)).contains("n99");
        assertThat(placer.choose(List.of("n0", "n1"))).contains("n1");
        loads.set("n5", 0);
        assertThat(placer.choose(many)).contains("n5");
        assertThat(placer.choose(List.of())).isEmpty();
    }

    /** A null is refused wherever it stands, including where the placer kept no id yet. */
    @Test
    void choose_nullCandidate_isRefusedOnAFreshPlacerAndAfterAMembershipChange() {
        loads.set("a", 3);
        loads.set("b", 5);
        List<String> withNull = Arrays.asList("b", null);
        assertThatThrownBy(() -> placer.choose(withNull))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("candidates contains null");

        assertThat(placer.choose(List.of("a", "b"))).contains("a");
        loads.set("c", 0);
        assertThatThrownBy(() -> placer.choose(Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("candidates contains null");
    }

    /**
     * The placer keeps each position's table cell while the same id comes back; updates of a
     * node, and a node leaving and re-entering the table, must still be read.
     */
    @Test
    void choose_sameListAgain_seesUpdatesRemovalAndReentry() {
        List<String> candidates = List.of("a", "b", "c");
        loads.set("a", 0);
        loads.set("b", 5);
        assertThat(placer.choose(candidates)).contains("a");

        loads.set("a", 7);
        loads.set("c", 6);
        assertThat(placer.choose(candidates)).contains("b");

        loads.remove("b");
        loads.set("b", 9);
        assertThat(placer.choose(candidates)).contains("c");
        loads.set("c", 20);
        assertThat(placer.choose(candidates)).contains("a");

        loads.remove("c");
        assertThat(placer.choose(candidates)).as("a node not in the table counts as idle")
                .contains("c");
        assertThat(placer.choose(List.of(new String("a"), new String("b")))).contains("a");
    }

    @Test
    void constructorAndArguments_rejectNull() {
        assertThatThrownBy(() -> new Placer(null, loads, PlacementStrategy.RANDOM,
                new SplittableRandom())).hasMessage("index");
        assertThatThrownBy(() -> placer.place(Set.of(), null)).hasMessage("eligible");
        assertThatThrownBy(() -> placer.choose(null)).hasMessage("candidates");
    }
}
