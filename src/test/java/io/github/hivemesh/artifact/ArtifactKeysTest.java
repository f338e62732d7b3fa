package io.github.hivemesh.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.NotEmpty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "peer-state/swarm-1/peer_a", "x.y-z_0", "a/b.c/d"})
    void validate_wellFormedKey_isReturned(String key) {
        assertThat(ArtifactKeys.validate(key)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc/passwd", "a/../../b", "/abs", "a//b", "a/", ".hidden",
        "a/.b", "Upper", "a\\b", "c:x", "a b", "ä"})
    void validate_keyThatCouldEscapeOrCollide_isRejected(String key) {
        assertThatThrownBy(() -> ArtifactKeys.validate(key))
                .isInstanceOf(InvalidArtifactKeyException.class)
                .hasMessageStartingWith("invalid artifact key '" + key + "': ")
                .extracting(e -> ((InvalidArtifactKeyException) e).key()).isEqualTo(key);
    }

    @Test
    void validate_emptyOrTooLong_isRejectedSayingWhy() {
        assertThatThrownBy(() -> ArtifactKeys.validate(""))
                .hasMessage("invalid artifact key '': must not be empty");
        String tooLong = "a".repeat(ArtifactKeys.MAX_LENGTH + 1);
        assertThatThrownBy(() -> ArtifactKeys.validate(tooLong))
                .hasMessageEndingWith("must be at most 200 characters, was 201");
        assertThatThrownBy(() -> ArtifactKeys.validatePrefix(tooLong))
                .isInstanceOf(InvalidArtifactKeyException.class);
        assertThatThrownBy(() -> ArtifactKeys.validate("a/../b"))
                .hasMessageEndingWith("a segment must not start with '.' (no '.', '..' or hidden names)");
    }

    @Test
    void validatePrefix_acceptsPartialKeysButNotForeignCharacters() {
        assertThat(ArtifactKeys.validatePrefix("")).isEmpty();
        assertThat(ArtifactKeys.validatePrefix("peer-state/")).isEqualTo("peer-state/");
        assertThatThrownBy(() -> ArtifactKeys.validatePrefix("Peer"))
                .isInstanceOf(InvalidArtifactKeyException.class);
    }

    @Test
    void segment_encodesUnsafeCharacters() {
        assertThat(ArtifactKeys.segment("Agent.1")).isEqualTo("_41gent_2e1");
        assertThat(ArtifactKeys.segment("..")).isEqualTo("_2e_2e");
        assertThat(ArtifactKeys.segment("a/b")).isEqualTo("a_2fb");
        assertThat(ArtifactKeys.key("peer-state", ArtifactKeys.segment("S 1")))
                .isEqualTo("peer-state/_53_201");
        assertThatThrownBy(() -> ArtifactKeys.segment("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodeSegment_notAnEncodedSegment_isRejected() {
        assertThatThrownBy(() -> ArtifactKeys.decodeSegment("a_zz"))
                .hasMessage("'a_zz' is not an encoded key segment (bad character at index 1)");
        assertThatThrownBy(() -> ArtifactKeys.decodeSegment("a_4"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArtifactKeys.decodeSegment("A"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 500)
    void segment_anyString_isAValidBoundedKey_andDecodesBackUnlessShortened(
            @ForAll @NotEmpty String raw) {
        String segment = ArtifactKeys.segment(raw);
        assertThat(segment.length()).isLessThanOrEqualTo(ArtifactKeys.MAX_SEGMENT_LENGTH);
        assertThat(ArtifactKeys.validate(segment)).isEqualTo(segment);
        if (segment.contains("_h")) {
            assertThatThrownBy(() -> ArtifactKeys.decodeSegment(segment))
                    .isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(ArtifactKeys.decodeSegment(segment)).isEqualTo(raw);
        }
    }

    /** Regression (issue 13.4): ids the API accepts made keys over 200 characters. */
    @ParameterizedTest
    @ValueSource(ints = {60, 180, 256})
    void segment_longestAcceptedIds_fitThreeToAKey(int length) {
        for (String id : new String[] {"A".repeat(length), "a".repeat(length),
            "\u4e2d".repeat(Math.min(length, 256)), "\ud83d\ude00".repeat(length / 2)}) {
            String key = ArtifactKeys.key("checkpoints", ArtifactKeys.segment(id),
                    ArtifactKeys.segment(id + "x"), Long.toString(Long.MAX_VALUE));
            assertThat(key.length()).isLessThanOrEqualTo(ArtifactKeys.MAX_LENGTH);
        }
    }

    @Test
    void segment_longIdsDifferingOnlyAtTheEnd_getDistinctSegments() {
        String base = "\u4e2d".repeat(200);
        assertThat(ArtifactKeys.segment(base + "a")).isNotEqualTo(ArtifactKeys.segment(base + "b"))
                .contains("_h");
        // a short id never takes the shortened form
        assertThat(ArtifactKeys.segment("a".repeat(ArtifactKeys.MAX_SEGMENT_LENGTH)))
                .isEqualTo("a".repeat(ArtifactKeys.MAX_SEGMENT_LENGTH));
    }

    @Property(tries = 300)
    void segment_distinctStrings_neverShareASegment(@ForAll @NotEmpty String a,
            @ForAll @NotEmpty String b) {
        if (!a.equals(b)) {
            assertThat(ArtifactKeys.segment(a)).isNotEqualTo(ArtifactKeys.segment(b));
        }
    }

    @Property(tries = 300)
    void segment_distinctLongStrings_neverShareASegment(@ForAll @NotEmpty String a,
            @ForAll @NotEmpty String b) {
        String longA = "x".repeat(70) + a;
        String longB = "x".repeat(70) + b;
        if (!a.equals(b)) {
            assertThat(ArtifactKeys.segment(longA)).isNotEqualTo(ArtifactKeys.segment(longB));
        }
    }
}
