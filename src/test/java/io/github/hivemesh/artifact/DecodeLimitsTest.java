package io.github.hivemesh.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.BadValue;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class DecodeLimitsTest {

    @Test
    void defaults_areTheDocumentedOnes() {
        DecodeLimits limits = DecodeLimits.DEFAULT;

        assertThat(limits.maxInputBytes()).isEqualTo(64 << 20);
        assertThat(limits.maxStringBytes()).isEqualTo(1 << 20);
        assertThat(limits.maxBinaryBytes()).isEqualTo(64 << 20);
        assertThat(limits.maxEntries()).isEqualTo(1 << 20);
        assertThat(limits.maxDepth()).isEqualTo(32);
        assertThat(limits).hasToString("DecodeLimits[maxInputBytes=67108864,"
                + " maxStringBytes=1048576, maxBinaryBytes=67108864, maxEntries=1048576,"
                + " maxDepth=32]");
    }

    @Test
    void build_badValues_failNamingFieldValueAndRange() {
        assertThatThrownBy(() -> DecodeLimits.builder().maxInputBytes(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxInputBytes must be in [1, 2147483647], was 0");
        assertThatThrownBy(() -> DecodeLimits.builder().maxStringBytes(-1).build())
                .hasMessage("maxStringBytes must be in [0, 2147483647], was -1");
        assertThatThrownBy(() -> DecodeLimits.builder().maxBinaryBytes(-1).build())
                .hasMessage("maxBinaryBytes must be in [0, 2147483647], was -1");
        assertThatThrownBy(() -> DecodeLimits.builder().maxEntries(-1).build())
                .hasMessage("maxEntries must be in [0, 2147483647], was -1");
        assertThatThrownBy(() -> DecodeLimits.builder().maxDepth(1).build())
                .hasMessage("maxDepth must be in [2, 1024], was 1");
        assertThatThrownBy(() -> DecodeLimits.builder().maxDepth(1025).build())
                .hasMessage("maxDepth must be in [2, 1024], was 1025");
    }

    @Test
    void build_keepsEveryValue() {
        DecodeLimits limits = DecodeLimits.builder().maxInputBytes(100).maxStringBytes(10)
                .maxBinaryBytes(20).maxEntries(3).maxDepth(2).build();

        assertThat(limits.maxInputBytes()).isEqualTo(100);
        assertThat(limits.maxStringBytes()).isEqualTo(10);
        assertThat(limits.maxBinaryBytes()).isEqualTo(20);
        assertThat(limits.maxEntries()).isEqualTo(3);
        assertThat(limits.maxDepth()).isEqualTo(2);
    }

    /** The other end of each range from the cases above. */
    static List<BadValue<DecodeLimits.Builder>> badValues() {
        return List.of(
                BadValue.of("maxInputBytes", Integer.MIN_VALUE,
                        DecodeLimits.Builder::maxInputBytes),
                BadValue.of("maxStringBytes", Integer.MIN_VALUE,
                        DecodeLimits.Builder::maxStringBytes),
                BadValue.of("maxBinaryBytes", Integer.MIN_VALUE,
                        DecodeLimits.Builder::maxBinaryBytes),
                BadValue.of("maxEntries", Integer.MIN_VALUE, DecodeLimits.Builder::maxEntries),
                BadValue.of("maxDepth", Integer.MAX_VALUE, DecodeLimits.Builder::maxDepth));
    }

    @TestFactory
    Stream<DynamicTest> build_rejectsEachBadValue_namingFieldValueAndRange() {
        return BadValue.rejectedAtBuild(DecodeLimits::builder, DecodeLimits.Builder::build,
                badValues());
    }
}
