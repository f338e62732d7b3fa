package io.github.hivemesh.wire;

import static io.github.hivemesh.testing.WireArbitraries.mapOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.testing.FuzzRun;
import io.github.hivemesh.testing.WireArbitraries;
import io.github.hivemesh.testing.WireCanon;
import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefaultPayloadCodecTest {

    private static final String SUPPORTED = "(null, Boolean, Integer, Long, Float, Double, "
            + "String, byte[], List and Map of these)";

    private final PayloadCodec codec = PayloadCodec.defaults();

    // ---- round trips -----------------------------------------------------------------------

    @Property(tries = 1000)
    void decode_ofEncode_isTheSameValue_withTheSameJavaTypes_inTheSameOrder(
            @ForAll("payloads") Object value) {
        Object decoded = codec.decode(codec.encode(value));

        assertThat(WireCanon.of(decoded)).isEqualTo(WireCanon.of(value));
    }

    @Provide
    Arbitrary<Object> payloads() {
        return WireArbitraries.payloads();
    }

    @Test
    void roundTrip_keepsEachBoxedType_evenWhereTheNumbersAreEqual() {
        List<Object> values = Arrays.asList(7, 7L, 7.0f, 7.0, "7", true, null,
                new byte[] {7}, Integer.MIN_VALUE, Long.MAX_VALUE, Float.NaN, -0.0);

        List<?> decoded = (List<?>) codec.decode(codec.encode(values));

        assertThat(decoded).hasSize(values.size());
        for (int i = 0; i < values.size(); i++) {
            Object expected = values.get(i);
            assertThat(decoded.get(i) == null ? null : decoded.get(i).getClass())
                    .as("element %d", i)
                    .isEqualTo(expected == null ? null : expected.getClass());
        }
        assertThat(decoded.get(0)).isEqualTo(7);
        assertThat(decoded.get(1)).isEqualTo(7L);
        assertThat(decoded.get(7)).isEqualTo(new byte[] {7});
        assertThat((Double) decoded.get(11)).isEqualTo(-0.0).isNegative();
    }

    @Test
    void mapKeys_ofDifferentTypes_stayApart_andInOrder() {
        Map<Object, Object> map = mapOf("z", 1, 1, "an Integer key", 1L, "a Long key", null,
                "a null key", List.of("a", "b"), "a list key", "a", Map.of());

        Map<?, ?> decoded = (Map<?, ?>) codec.decode(codec.encode(map));

        assertThat(new ArrayList<Object>(decoded.keySet())).containsExactly("z", 1, 1L, null,
                List.of("a", "b"), "a");
        assertThat(decoded.get(1)).isEqualTo("an Integer key");
        assertThat(decoded.get(1L)).isEqualTo("a Long key");
        assertThat(decoded.get(null)).isEqualTo("a null key");
    }

    @Test
    void decodedListsAndMaps_areUnmodifiable_andHoldNulls() {
        Object decoded = codec.decode(codec.encode(Arrays.asList(null, mapOf("k", null))));

        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) decoded;
        assertThat(list).containsExactly(null, mapOf("k", null));
        assertThatThrownBy(() -> list.add(null)).isInstanceOf(UnsupportedOperationException.class);
        Map<?, ?> map = (Map<?, ?>) list.get(1);
        assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void encode_isTheDocumentedFormat() {
        byte[] bytes = codec.encode(Arrays.asList(1, 1L, 1.5f, 1.5, "a", true, null,
                new byte[] {7}, mapOf("k", List.of())));

        // version 1, array of 9: fixext4 type 1 (Integer), positive fixint (Long), float 32,
        // float 64, fixstr, true, nil, bin 8, fixmap {fixstr: fixarray}
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("01" + "99" + "d60100000001"
                + "01" + "ca3fc00000" + "cb3ff8000000000000" + "a161" + "c3" + "c0" + "c40107"
                + "81" + "a16b" + "90");
    }

    // ---- refused at the sender -------------------------------------------------------------

    @Test
    void encode_unsupportedTypeDeepInside_namesTheTypeAndWhereItSits() {
        Object value = mapOf("k", Arrays.asList(1, 2, 3, Instant.EPOCH));

        assertThatThrownBy(() -> codec.encode(value))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessage("map value for key \"k\" → list element 3: java.time.Instant is not"
                        + " supported by the default payload codec " + SUPPORTED);
    }

    @Property(tries = 300)
    void encode_anUnsupportedValueAnywhere_isRefused_namingItsType(
            @ForAll("payloads") Object payload, @ForAll("unsupported") Object bad,
            @ForAll boolean asKey) {
        Object value = asKey ? mapOf(bad, payload) : Arrays.asList(payload, mapOf("x", bad));

        assertThatThrownBy(() -> codec.encode(value))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessageContaining(bad.getClass().getName() + " is not supported")
                .hasMessageStartingWith(asKey ? "map key 0: " : "list element 1 → map value for"
                        + " key \"x\": ");
    }

    @Provide
    Arbitrary<Object> unsupported() {
        return Arbitraries.of(Instant.EPOCH, (short) 1, (byte) 1, 'c', Set.of(1), new int[] {1},
                new Object[] {1}, UUID.randomUUID(), new StringBuilder("s"),
                java.math.BigInteger.ONE, Thread.State.NEW);
    }

    @Test
    void encode_topLevelUnsupportedValue_namesItsType() {
        assertThatThrownBy(() -> codec.encode(Set.of("a")))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessageStartingWith("java.util.ImmutableCollections$Set12 is not supported");
    }

    @Test
    void encode_stringWithAnUnpairedSurrogate_isRefused_notSentAsAQuestionMark() {
        assertThatThrownBy(() -> codec.encode(List.of("ok", "a\ud800b")))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessage("list element 1: java.lang.String has an unpaired surrogate at index"
                        + " 1, which UTF-8 cannot carry");
        assertThat(codec.decode(codec.encode("\ud83d\ude00"))).isEqualTo("\ud83d\ude00");
    }

    @Test
    void encode_listContainingItself_isRefusedByTheDepthLimit() {
        List<Object> loop = new ArrayList<>();
        loop.add(loop);

        assertThatThrownBy(() -> codec.encode(loop))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessageContaining("nests lists and maps deeper than the limit of 32")
                .hasMessageContaining("contain itself?");
    }

    @Test
    void encode_valuesAReaderWouldReject_areRefused_namingTheLimit() {
        List<Object> deep = new ArrayList<>();
        for (int i = 1; i < DecodeLimits.DEFAULT_MAX_DEPTH; i++) {
            deep = new ArrayList<>(List.of(deep));
        }
        List<Object> deepest = deep;
        assertThat(codec.decode(codec.encode(deepest))).isEqualTo(deepest);

        assertThatThrownBy(() -> codec.encode(List.of(deepest)))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessageContaining("DecodeLimits.maxDepth");
        assertThatThrownBy(() -> codec.encode(Collections.nCopies(
                DecodeLimits.DEFAULT_MAX_ENTRIES + 1, 0L)))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessageContaining("entries is more than the limit of 1048576");
        assertThatThrownBy(() -> codec.encode(mapOf("big",
                "é".repeat(DecodeLimits.DEFAULT_MAX_STRING_BYTES / 2 + 1))))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessage("map value for key \"big\": java.lang.String of 1048578 UTF-8 bytes"
                        + " is more than the limit of 1048576 (DecodeLimits.maxStringBytes);"
                        + " a reader would reject it");
    }

    @Test
    void encode_moreThanTheInputLimitInAll_isRefused() {
        byte[] half = new byte[DecodeLimits.DEFAULT_MAX_INPUT_BYTES / 2];

        assertThatThrownBy(() -> codec.encode(List.of(half, half)))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessageContaining("DecodeLimits.maxInputBytes");
    }

    @Test
    void encode_listWhoseSizeLies_isRefused() {
        List<Object> liar = new AbstractList<>() {
            @Override
            public Object get(int index) {
                return index;
            }

            @Override
            public int size() {
                return 3;
            }

            @Override
            public java.util.Iterator<Object> iterator() {
                return List.<Object>of(1, 2).iterator();
            }
        };

        assertThatThrownBy(() -> codec.encode(liar))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessageContaining("iterated other than its size of 3");
    }

    // ---- refused at the receiver -----------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "empty input,                          '',               input is empty",
            "another version,                      02c0,             format version 2 is not supported",
            "a version that is no integer,         a131c0,           the format version must be integer",
            "nothing after the version,            01,               cannot read a value",
            "trailing bytes,                       01c0c0,           1 trailing byte(s) after the value",
            "an unknown extension type,            01d6ff00000000,   extension type -1 of 4 bytes is not a payload value",
            "an Integer extension of 8 bytes,      01d7010000000000000001, extension type 1 of 8 bytes",
            "an unsigned 64-bit integer too large, 01cfffffffffffffffff, an integer above Long.MAX_VALUE",
            "a repeated map key,                   0182a16101a16102, map entry 1 repeats an earlier key",
            "invalid UTF-8,                        01a2c328,         a string is not valid UTF-8",
            "a byte that is not MessagePack,       01c1,             starts with a byte that is not MessagePack",
            "an array of 2^31-1 in 6 bytes,        01dd7fffffff,     a list declares 2147483647 entries, more than the 0 bytes left",
            "a map of 2^31-1 in 6 bytes,           01df7fffffff,     a map declares 2147483647 entries",
            "a str32 of 2^31-1 bytes,              01db7fffffff61,   a string declares 2147483647 bytes, but only 1 are left",
            "a bin32 of 2^31-1 bytes,              01c67fffffff61,   a byte[] declares 2147483647 bytes, but only 1 are left",
    })
    void decode_malformed_isAFormatError_sayingWhat(String what, String hex, String message) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(ArtifactFormatException.class);
        long before = FuzzRun.allocatedByThisThread();

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageStartingWith("malformed payload (at byte ")
                .hasMessageContaining(message);

        if (before >= 0) {
            assertThat(FuzzRun.allocatedByThisThread() - before).as("bytes allocated refusing %s",
                    what).isLessThan(256 * 1024);
        }
    }

    @Test
    void decode_holdsValuesToTheGivenLimits() {
        DecodeLimits tight = DecodeLimits.builder().maxDepth(2).maxEntries(2).maxStringBytes(3)
                .maxBinaryBytes(1).maxInputBytes(64).build();

        assertThat(codec.decode(codec.encode(List.of(List.of("abc"), new byte[1])), tight))
                .isNotNull();
        assertThatThrownBy(() -> codec.decode(codec.encode(List.of(List.of(List.of()))), tight))
                .hasMessageContaining("deeper than the limit of 2 (DecodeLimits.maxDepth)");
        assertThatThrownBy(() -> codec.decode(codec.encode(List.of(1L, 2L, 3L)), tight))
                .hasMessageContaining("more than the limit of 2 (DecodeLimits.maxEntries)");
        assertThatThrownBy(() -> codec.decode(codec.encode("abcd"), tight))
                .hasMessageContaining("(DecodeLimits.maxStringBytes)");
        assertThatThrownBy(() -> codec.decode(codec.encode(new byte[2]), tight))
                .hasMessageContaining("(DecodeLimits.maxBinaryBytes)");
        assertThatThrownBy(() -> codec.decode(codec.encode("x".repeat(70)), tight))
                .hasMessageContaining("more than the limit of 64 (DecodeLimits.maxInputBytes)");
    }

    @Test
    void defaults_isOneSharedCodec_namedInToString() {
        assertThat(PayloadCodec.defaults()).isSameAs(codec);
        assertThat(codec).hasToString("PayloadCodec.defaults() v1");
    }
}
