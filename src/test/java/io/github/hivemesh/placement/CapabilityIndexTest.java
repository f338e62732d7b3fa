package io.github.hivemesh.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;
import org.junit.jupiter.api.Test;

class CapabilityIndexTest {

    private final CapabilityIndex index = new CapabilityIndex();

    @Test
    void nodesWithAll_returnsOnlyNodesHavingEveryRequiredCapability() {
        index.put("a", Set.of("java", "review"));
        index.put("b", Set.of("java"));
        index.put("c", Set.of("review", "python"));

        assertThat(index.nodesWithAll(List.of("java", "review"))).containsExactly("a");
        assertThat(index.nodesWithAll(List.of("review"))).containsExactlyInAnyOrder("a", "c");
        assertThat(index.nodesWith("java")).containsExactlyInAnyOrder("a", "b");
        assertThat(index.countWith("review")).isEqualTo(2);
    }

    @Test
    void nodesWithAll_noRequirement_returnsEveryNode() {
        index.put("a", Set.of("x"));
        index.put("b", Set.of());

        assertThat(index.nodesWithAll(List.of())).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void nodesWithAll_unknownCapability_isEmpty() {
        index.put("a", Set.of("x"));

        assertThat(index.nodesWithAll(List.of("x", "nobody-has-this"))).isEmpty();
        assertThat(index.nodesWith("nobody-has-this")).isEmpty();
        assertThat(index.countWith("nobody-has-this")).isZero();
    }

    @Test
    void put_again_replacesCapabilitiesAndPostings() {
        index.put("a", Set.of("x", "y"));
        index.put("a", Set.of("y", "z"));

        assertThat(index.nodesWith("x")).isEmpty();
        assertThat(index.nodesWith("z")).containsExactly("a");
        assertThat(index.capabilitiesOf("a")).containsExactlyInAnyOrder("y", "z");
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void remove_dropsNodeFromEveryPosting() {
        index.put("a", Set.of("x", "y"));
        index.put("b", Set.of("x"));

        assertThat(index.remove("a")).isTrue();
        assertThat(index.remove("a")).isFalse();

        assertThat(index.contains("a")).isFalse();
        assertThat(index.capabilitiesOf("a")).isEmpty();
        assertThat(index.nodesWith("x")).containsExactly("b");
        assertThat(index.countWith("y")).isZero();
        assertThat(index.nodes()).containsExactly("b");
    }

    @Test
    void version_movesOnEveryChange_andOnlyThen() {
        long start = index.version();
        index.put("a", Set.of("x"));
        long afterPut = index.version();
        index.nodesWithAll(Set.of("x"));
        index.nodesWith("x");
        assertThat(index.version()).isEqualTo(afterPut).isNotEqualTo(start);

        index.put("a", Set.of("y"));
        long afterChange = index.version();
        assertThat(afterChange).isNotEqualTo(afterPut);

        assertThat(index.remove("missing")).isFalse();
        assertThat(index.version()).isEqualTo(afterChange);
        assertThat(index.remove("a")).isTrue();
        assertThat(index.version()).isNotEqualTo(afterChange);
    }

    @Test
    void put_blankCapability_isRejectedAndIndexUnchanged() {
        assertThatThrownBy(() -> index.put("a", List.of("ok", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capability must not be blank");
        assertThat(index.contains("a")).isFalse();
    }

    @Test
    void nullArguments_areRejectedByName() {
        assertThatThrownBy(() -> index.put(null, Set.of())).hasMessage("nodeId");
        assertThatThrownBy(() -> index.put("a", null)).hasMessage("capabilities");
        assertThatThrownBy(() -> index.nodesWithAll(null)).hasMessage("required");
        assertThatThrownBy(() -> index.nodesWith(null)).hasMessage("capability");
        assertThatThrownBy(() -> index.remove(null)).hasMessage("nodeId");
    }

    /** Random puts and removes; every lookup equals a brute-force filter over a plain model. */
    @Property(tries = 200)
    void nodesWithAll_matchesBruteForceModel(
            @ForAll("operations") List<Tuple3<String, Set<String>, Boolean>> operations,
            @ForAll("capabilitySets") Set<String> required) {
        CapabilityIndex index = new CapabilityIndex();
        Map<String, Set<String>> model = new HashMap<>();
        for (Tuple3<String, Set<String>, Boolean> op : operations) {
            if (op.get3()) {
                index.remove(op.get1());
                model.remove(op.get1());
            } else {
                index.put(op.get1(), op.get2());
                model.put(op.get1(), op.get2());
            }
        }
        List<String> expected = new ArrayList<>();
        model.forEach((node, caps) -> {
            if (caps.containsAll(required)) {
                expected.add(node);
            }
        });

        assertThat(index.nodesWithAll(required)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(index.size()).isEqualTo(model.size());
    }

    @Provide
    Arbitrary<List<Tuple3<String, Set<String>, Boolean>>> operations() {
        Arbitrary<String> nodes = Arbitraries.of("n1", "n2", "n3", "n4", "n5", "n6");
        Arbitrary<Boolean> removal = Arbitraries.of(true, false, false, false);
        return Combinators.combine(nodes, capabilitySets(), removal).as(Tuple::of)
                .list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<Set<String>> capabilitySets() {
        return Arbitraries.of("a", "b", "c", "d").set().ofMaxSize(3);
    }
}
