package io.github.hivemesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemberIdTest {

    @Test
    void idsAreEqualOnlyWhenNameAndIncarnationBothAre() {
        MemberId a = new MemberId("a", 7);
        // a new String, so equality cannot rest on identity
        MemberId same = new MemberId(new String("a".toCharArray()), 7);

        assertThat(same).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(new MemberId("a", 8)).isNotEqualTo(a);
        assertThat(new MemberId("b", 7)).isNotEqualTo(a);
        assertThat(a).isNotEqualTo(null).isNotEqualTo("a#7");
        Set<MemberId> set = new HashSet<>(Set.of(a, new MemberId("a", 8), new MemberId("b", 7)));
        assertThat(set).hasSize(3).contains(same);
    }

    @Test
    void aBlankOrOverlongNameIsRefused() {
        assertThatThrownBy(() -> new MemberId(" ", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name must not be blank");
        assertThatThrownBy(() -> new MemberId("é".repeat(128), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 255 bytes of UTF-8, was 256 bytes");
    }
}
