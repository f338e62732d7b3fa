package io.github.hivemesh.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class MessagePackCodecTest {

    /** A value with one field of every kind the writer supports. */
    record Sample(String name, int count, long big, boolean flag, double ratio, byte[] blob,
            List<String> tags, Set<String> caps, Map<String, String> labels,
            Map<String, Long> counters) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Sample s && name.equals(s.name) && count == s.count
                    && big == s.big && flag == s.flag && Double.compare(ratio, s.ratio) == 0
                    && Arrays.equals(blob, s.blob) && tags.equals(s.tags) && caps.equals(s.caps)
                    && labels.equals(s.labels) && counters.equals(s.counters);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }

    /** Version 1 of the sample format. */
    static class SampleCodec extends MessagePackCodec<Sample> {
        SampleCodec() {
            super("test.Sample", 1);
        }

        @Override
        protected void writeFields(Sample s, FieldWriter out) {
            out.string(1, s.name()).int32(2, s.count()).int64(3, s.big()).bool(4, s.flag())
                    .float64(5, s.ratio()).binary(6, s.blob()).strings(7, s.tags())
                    .strings(8, s.caps()).stringMap(9, s.labels()).longMap(10, s.counters());
        }

        @Override
        protected Sample readFields(FieldReader in) {
            String name = null;
            int count = 0;
            long big = 0;
            boolean flag = false;
            double ratio = 0;
            byte[] blob = new byte[0];
            List<String> tags = List.of();
            Set<String> caps = Set.of();
            Map<String, String> labels = Map.of();
            Map<String, Long> counters = Map.of();
            while (in.next()) {
                switch (in.field()) {
                    case 1 -> name = in.readString();
                    case 2 -> count = in.readInt();
                    case 3 -> big = in.readLong();
                    case 4 -> flag = in.readBoolean();
                    case 5 -> ratio = in.readDouble();
                    case 6 -> blob = in.readBinary();
                    case 7 -> tags = in.readStringList();
                    case 8 -> caps = in.readStringSet();
                    case 9 -> labels = in.readStringMap();
                    case 10 -> counters = in.readLongMap();
                    default -> in.skip();
                }
            }
            return new Sample(in.require(name, 1, "name"), count, big, flag, ratio, blob, tags,
                    caps, labels, counters);
        }
    }

    /** Version 2 adds fields 11 and 12 a version-1 reader has never heard of. */
    static final class SampleCodecV2 extends MessagePackCodec<Sample> {
        SampleCodecV2() {
            super("test.Sample", 2);
        }

        @Override
        protected void writeFields(Sample s, FieldWriter out) {
            new SampleCodec().writeFields(s, out);
            out.stringMap(11, Map.of("nested", "value")).strings(12, List.of("x", "y"));
        }

        @Override
        protected Sample readFields(FieldReader in) {
            return new SampleCodec().readFields(in);
        }
    }

    private final SampleCodec codec = new SampleCodec();

    private static Sample sample() {
        return new Sample("peer-1", 42, 1L << 40, true, 0.5, new byte[] {1, 2, 3},
                List.of("b", "a"), Set.of("java"), Map.of("zone", "eu"), Map.of("tasks", 7L));
    }

    @Property(tries = 300)
    void decode_ofEncode_returnsTheSameValue(@ForAll("samples") Sample sample) {
        assertThat(codec.decode(codec.encode(sample))).isEqualTo(sample);
    }

    @Provide
    Arbitrary<Sample> samples() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(20);
        Arbitrary<Map<String, String>> labels = Arbitraries.maps(text, text).ofMaxSize(4);
        Arbitrary<Map<String, Long>> counters =
                Arbitraries.maps(text, Arbitraries.longs()).ofMaxSize(4);
        return Combinators.combine(text, Arbitraries.integers(), Arbitraries.longs(),
                Arbitraries.of(true, false), Arbitraries.doubles(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(16),
                text.list().ofMaxSize(5), text.set().ofMaxSize(5))
                .flatAs((name, count, big, flag, ratio, blob, tags, caps) ->
                        Combinators.combine(labels, counters).as((l, c) -> new Sample(name, count,
                                big, flag, ratio, blob, tags, caps, l, c)));
    }

    @Test
    void decode_newerVersionWithUnknownFields_skipsThem() {
        byte[] v2 = new SampleCodecV2().encode(sample());

        assertThat(codec.decode(v2)).isEqualTo(sample());
        assertThat(codec.version()).isEqualTo(1);
        assertThat(codec.typeName()).isEqualTo("test.Sample");
        assertThat(codec.toString()).isEqualTo("SampleCodec[test.Sample v1]");
    }

    @Test
    void decode_missingRequiredField_namesIt() throws IOException {
        byte[] bytes = frame("test.Sample", 1, p -> {
            p.packMapHeader(1);
            p.packInt(2).packInt(5);
        });

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageEndingWith("required field 1 (name) is missing");
    }

    @Test
    void decode_bytesOfAnotherType_areRefused() throws IOException {
        byte[] bytes = frame("test.Other", 1, p -> p.packMapHeader(0));

        assertThatThrownBy(() -> codec.decode(bytes))
                .hasMessageContaining("bytes hold a 'test.Other', not a 'test.Sample'");
    }

    @Test
    void decode_fieldOfTheWrongKind_namesFieldAndKinds() throws IOException {
        byte[] bytes = frame("test.Sample", 1, p -> {
            p.packMapHeader(2);
            p.packInt(1).packString("n");
            p.packInt(2).packString("not a number");
        });

        assertThatThrownBy(() -> codec.decode(bytes))
                .hasMessageEndingWith("field 2 must be integer, was string");
    }

    @Test
    void decode_nonIntegerKeysAndNestedUnknownValues_areSkipped() throws IOException {
        byte[] bytes = frame("test.Sample", 1, p -> {
            p.packMapHeader(3);
            p.packString("future-field").packArrayHeader(2).packMapHeader(1).packInt(1)
                    .packArrayHeader(1).packNil().packBinaryHeader(2).addPayload(new byte[2]);
            p.packInt(1).packString("n");
            p.packInt(99).packMapHeader(1).packString("x").packExtensionTypeHeader((byte) 1, 1)
                    .addPayload(new byte[1]);
        });

        assertThat(codec.decode(bytes).name()).isEqualTo("n");
    }

    @Test
    void decode_versionBelowOne_isRefused() throws IOException {
        byte[] bytes = frame("test.Sample", 0, p -> p.packMapHeader(0));

        assertThatThrownBy(() -> codec.decode(bytes))
                .hasMessageEndingWith("format version must be at least 1, was 0");
    }

    @Test
    void decode_trailingBytes_areRefused() {
        byte[] encoded = codec.encode(sample());
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);

        assertThatThrownBy(() -> codec.decode(longer))
                .hasMessageEndingWith("1 trailing byte(s) after the field map");
    }

    @Test
    void decode_emptyInputOrNeverUsedByte_isRefused() {
        assertThatThrownBy(() -> codec.decode(new byte[0])).hasMessageEndingWith("input is empty");
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xc1}))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("not MessagePack");
    }

    @Test
    void decode_hugeDeclaredStringLength_failsWithoutAllocating() throws IOException {
        byte[] bytes = frame("test.Sample", 1, p -> {
            p.packMapHeader(1);
            p.packInt(1).packRawStringHeader(Integer.MAX_VALUE);
        });

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("field 1 declares 2147483647 bytes, but only 0 are left");
    }

    @Test
    void decode_stringLongerThanTheLimit_isRefused() throws IOException {
        String huge = "x".repeat(DecodeLimits.DEFAULT_MAX_STRING_BYTES + 1);
        byte[] bytes = frame("test.Sample", 1, p -> {
            p.packMapHeader(1);
            p.packInt(1).packString(huge);
        });

        assertThatThrownBy(() -> codec.decode(bytes))
                .hasMessageContaining("more than the limit of "
                        + DecodeLimits.DEFAULT_MAX_STRING_BYTES + " (DecodeLimits.maxStringBytes)");
    }

    @Test
    void decode_hugeDeclaredCollectionSizes_failWithoutAllocating() throws IOException {
        byte[] list = frame("test.Sample", 1, p -> {
            p.packMapHeader(1);
            p.packInt(7).packArrayHeader(Integer.MAX_VALUE);
        });
        byte[] fieldMap = frame("test.Sample", 1, p -> p.packMapHeader(1_000_000));
        byte[] skipped = frame("test.Sample", 1, p -> {
            p.packMapHeader(1);
            p.packInt(50).packMapHeader(Integer.MAX_VALUE);
        });
        byte[] binary = frame("test.Sample", 1, p -> {
            p.packMapHeader(1);
            p.packInt(6).packBinaryHeader(1 << 30);
        });

        assertThatThrownBy(() -> codec.decode(list)).hasMessageContaining(
                "field 7 declares 2147483647 entries, more than the 0 bytes left can hold");
        assertThatThrownBy(() -> codec.decode(fieldMap))
                .hasMessageContaining("the field map declares 1000000 entries");
        assertThatThrownBy(() -> codec.decode(skipped))
                .hasMessageContaining("a skipped map declares 2147483647 entries");
        assertThatThrownBy(() -> codec.decode(binary))
                .hasMessageContaining("field 6 declares 1073741824 bytes, but only 0 are left");
    }

    @Test
    void decode_underTighterLimits_refusesNamingTheLimit() {
        byte[] bytes = codec.encode(sample());
        DecodeLimits generous = DecodeLimits.builder().maxInputBytes(bytes.length).build();

        assertThat(codec.decode(bytes, generous)).isEqualTo(sample());
        assertThatThrownBy(() -> codec.decode(bytes,
                DecodeLimits.builder().maxInputBytes(bytes.length - 1).build()))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageEndingWith("input is " + bytes.length + " bytes, more than the limit of "
                        + (bytes.length - 1) + " (DecodeLimits.maxInputBytes)");
        assertThatThrownBy(() -> codec.decode(bytes,
                DecodeLimits.builder().maxStringBytes(5).build()))
                .hasMessageEndingWith("field 1 declares 6 bytes, more than the limit of 5"
                        + " (DecodeLimits.maxStringBytes)");
        assertThatThrownBy(() -> codec.decode(bytes,
                DecodeLimits.builder().maxBinaryBytes(2).build()))
                .hasMessageEndingWith("field 6 declares 3 bytes, more than the limit of 2"
                        + " (DecodeLimits.maxBinaryBytes)");
        assertThatThrownBy(() -> codec.decode(bytes,
                DecodeLimits.builder().maxEntries(1).build()))
                .hasMessageEndingWith("the field map declares 10 entries, more than the limit of 1"
                        + " (DecodeLimits.maxEntries)");
        assertThatThrownBy(() -> codec.decode(bytes, null)).hasMessage("limits");
    }

    @Test
    void decode_typeNameLongerThanTheCap_isRefusedWithoutReadingIt() throws IOException {
        byte[] bytes = frame("x".repeat(FieldReader.MAX_TYPE_NAME_BYTES + 1), 1,
                p -> p.packMapHeader(0));

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageEndingWith("the type name declares 257 bytes, more than the limit of"
                        + " 256 (longest type name)");
    }

    @Test
    void decode_unknownValueNestedBeyondMaxDepth_isRefused_atMaxDepthSkipped() throws IOException {
        DecodeLimits depth8 = DecodeLimits.builder().maxDepth(8).build();
        // the field map is level 1, so field 50's value may nest 7 containers, not 8
        byte[] fits = nested(7);
        byte[] tooDeep = nested(8);

        assertThat(codec.decode(fits, depth8).name()).isEqualTo("n");
        assertThatThrownBy(() -> codec.decode(tooDeep, depth8))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageEndingWith("a skipped value nests containers deeper than the limit of 8"
                        + " (DecodeLimits.maxDepth)");
    }

    @Test
    void decode_thousandLevelsOfNesting_costNoStackAndAreRefusedByDefault() throws IOException {
        byte[] deep = nested(1_000);
        DecodeLimits deepest =
                DecodeLimits.builder().maxDepth(DecodeLimits.MAX_DEPTH_LIMIT).build();

        assertThat(codec.decode(deep, deepest).name()).isEqualTo("n");
        assertThatThrownBy(() -> codec.decode(deep))
                .hasMessageContaining("deeper than the limit of " + DecodeLimits.DEFAULT_MAX_DEPTH);
    }

    /** A sample whose unknown field 50 holds {@code levels} nested arrays and maps. */
    private static byte[] nested(int levels) throws IOException {
        return frame("test.Sample", 1, p -> {
            p.packMapHeader(2);
            p.packInt(1).packString("n");
            p.packInt(50);
            for (int level = 0; level < levels; level++) {
                if (level % 2 == 0) {
                    p.packArrayHeader(2).packInt(level);
                } else {
                    p.packMapHeader(1).packString("k");
                }
            }
            p.packNil();
        });
    }

    @Test
    void decode_invalidUtf8_isRefused() throws IOException {
        byte[] bytes = frame("test.Sample", 1, p -> {
            p.packMapHeader(1);
            p.packInt(1).packRawStringHeader(2).addPayload(new byte[] {(byte) 0xc3, 0x28});
        });

        assertThatThrownBy(() -> codec.decode(bytes)).hasMessageEndingWith("field 1 is not valid UTF-8");
    }

    @Test
    void decode_everyTruncation_throwsArtifactFormatExceptionOnly() {
        byte[] encoded = codec.encode(sample());
        for (int length = 0; length < encoded.length; length++) {
            byte[] truncated = Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> codec.decode(truncated))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(ArtifactFormatException.class);
        }
    }

    /** Random damage to a valid encoding: decodes to something, or fails with our exception. */
    @Property(tries = 1000)
    void decode_damagedBytes_neverFailsWithAnythingElse(@ForAll int position, @ForAll byte value) {
        byte[] bytes = codec.encode(sample());
        bytes[Math.floorMod(position, bytes.length)] = value;
        try {
            codec.decode(bytes);
        } catch (ArtifactFormatException expected) {
            assertThat(expected).hasMessageStartingWith("malformed test.Sample");
        }
    }

    @Property(tries = 500)
    void decode_randomBytes_neverFailsWithAnythingElse(@ForAll byte[] bytes) {
        try {
            codec.decode(bytes);
        } catch (ArtifactFormatException expected) {
            assertThat(expected).hasMessageStartingWith("malformed test.Sample");
        }
    }

    @Test
    void reader_misuse_isAnIllegalStateNotAFormatError() throws IOException {
        MessagePackCodec<String> careless = new MessagePackCodec<>("test.Careless", 1) {
            @Override
            protected void writeFields(String value, FieldWriter out) {
                out.string(1, value);
            }

            @Override
            protected String readFields(FieldReader in) {
                return in.readString();
            }
        };

        assertThatThrownBy(() -> careless.decode(careless.encode("x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no field to read: call next() first");
    }

    @Test
    void writer_nullFieldsAreAbsent_andNullElementsRejected() {
        Sample noBlob = new Sample("n", 0, 0, false, 0, null, null, null, null, null);
        MessagePackCodec<Sample> lenient = new SampleCodec();
        Sample decoded = lenient.decode(lenient.encode(noBlob));
        assertThat(decoded.blob()).isEmpty();
        assertThat(decoded.tags()).isEmpty();
        assertThatThrownBy(() -> codec.encode(null)).hasMessage("value");
        assertThatThrownBy(() -> codec.decode(null)).hasMessage("bytes");
        assertThatThrownBy(() -> new SampleCodec() {
            @Override
            protected void writeFields(Sample s, FieldWriter out) {
                out.strings(1, Arrays.asList("a", null));
            }
        }.encode(sample())).hasMessage("values contains null");
    }

    @Test
    void constructor_badTypeNameOrVersion_isRejected() {
        assertThatThrownBy(() -> new MessagePackCodec<String>(" ", 1) {
            @Override
            protected void writeFields(String value, FieldWriter out) {
            }

            @Override
            protected String readFields(FieldReader in) {
                return "";
            }
        }).hasMessage("typeName must not be blank");
        assertThatThrownBy(() -> new MessagePackCodec<String>("t", 0) {
            @Override
            protected void writeFields(String value, FieldWriter out) {
            }

            @Override
            protected String readFields(FieldReader in) {
                return "";
            }
        }).hasMessage("version must be in [1, 65535], was 0");
    }

    private interface Body {
        void write(MessageBufferPacker packer) throws IOException;
    }

    /** Hand-made bytes: type name, version, then whatever the body writes. */
    private static byte[] frame(String type, int version, Body body) throws IOException {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packString(type).packInt(version);
            body.write(packer);
            return packer.toByteArray();
        }
    }
}
