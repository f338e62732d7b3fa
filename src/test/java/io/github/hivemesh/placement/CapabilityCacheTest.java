package io.github.hivemesh.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CapabilityCacheTest {

    private final CapabilityIndex index = new CapabilityIndex();
    private final AtomicInteger lookups = new AtomicInteger();

    private CapabilityCache<List<String>> cache(int capacity) {
        return new CapabilityCache<>(index, capacity, ids -> {
            lookups.incrementAndGet();
            return List.copyOf(ids);
        });
    }

    @Test
    void anAnswerIsServedFromTheCache_whileTheIndexIsUnchanged() {
        index.put("a", Set.of("x", "y"));
        index.put("b", Set.of("x"));
        CapabilityCache<List<String>> cache = cache(8);

        assertThat(cache.get(Set.of("x"))).containsExactlyInAnyOrder("a", "b");
        assertThat(cache.get(Set.of("x"))).containsExactlyInAnyOrder("a", "b");
        assertThat(cache.get(Set.of("x", "y"))).containsExactly("a");

        assertThat(lookups).hasValue(2);
        assertThat(cache.version()).isEqualTo(index.version());
    }

    @Test
    void everyChangeOfTheIndex_makesTheNextAnswerFresh() {
        index.put("a", Set.of("x"));
        CapabilityCache<List<String>> cache = cache(8);
        assertThat(cache.get(Set.of("x"))).containsExactly("a");

        index.put("b", Set.of("x"));
        assertThat(cache.get(Set.of("x"))).containsExactlyInAnyOrder("a", "b");
        index.remove("a");
        assertThat(cache.get(Set.of("x"))).containsExactly("b");
        index.put("b", Set.of("z"));
        assertThat(cache.get(Set.of("x"))).isEmpty();

        assertThat(lookups).hasValue(4);
    }

    @Test
    void aChangeDuringTheLookup_isNotServedStaleAfterwards() {
        index.put("a", Set.of("x"));
        List<List<String>> seen = new ArrayList<>();
        CapabilityCache<List<String>> cache = new CapabilityCache<>(index, 8, ids -> {
            List<String> answer = List.copyOf(ids);
            seen.add(answer);
            if (seen.size() == 1) {
                // another thread's spawn lands between the lookup and the cache write
                index.put("b", Set.of("x"));
            }
            return answer;
        });

        assertThat(cache.get(Set.of("x"))).containsExactly("a");
        assertThat(cache.get(Set.of("x"))).containsExactlyInAnyOrder("a", "b");
        assertThat(seen).hasSize(2);
    }

    @Test
    void beyondItsCapacity_theCacheStartsOver_andStaysCorrect() {
        for (int i = 0; i < 10; i++) {
            index.put("n" + i, Set.of("c" + i));
        }
        CapabilityCache<List<String>> cache = cache(3);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 10; i++) {
                assertThat(cache.get(Set.of("c" + i))).containsExactly("n" + i);
            }
        }
        // never more than 3 remembered: the second round looked every requirement up again
        assertThat(lookups).hasValue(20);
    }

    @Test
    void badArguments_areRefusedClearly() {
        assertThatThrownBy(() -> cache(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity must be at least 1, was 0");
        assertThatThrownBy(() -> new CapabilityCache<>(null, 1, ids -> ids))
                .isInstanceOf(NullPointerException.class).hasMessage("index");
        assertThatThrownBy(() -> new CapabilityCache<>(index, 1, null))
                .isInstanceOf(NullPointerException.class).hasMessage("derive");
        assertThatThrownBy(() -> cache(1).get(null))
                .isInstanceOf(NullPointerException.class).hasMessage("required");
    }
}
