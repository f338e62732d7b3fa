package io.github.hivemesh.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.hivemesh.internal.wire.ErrorCodec;
import io.github.hivemesh.internal.wire.WireCodecs;
import io.github.hivemesh.internal.wire.WireMessage;
import io.github.hivemesh.memory.PeerState;
import io.github.hivemesh.memory.PeerStateCodec;
import io.github.hivemesh.mesh.PeerInfo;
import io.github.hivemesh.mesh.PeerInfoCodec;
import io.github.hivemesh.mesh.PeerStatus;
import io.github.hivemesh.testing.FuzzRun;
import io.github.hivemesh.testing.Mutator;
import io.github.hivemesh.testing.WireSamples;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.wire.PayloadCodec;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Hostile bytes for every decoder: the library's codecs ({@link PeerStateCodec},
 * {@link PeerInfoCodec}, every wire message kind through {@link WireCodecs}, the task and error
 * codecs, the default {@link PayloadCodec}) and a test codec using every {@link FieldReader}
 * kind, under the default and under tight {@link DecodeLimits}. Random bytes and damaged valid encodings (see
 * {@link Mutator}) must decode to a valid value or raise {@link ArtifactFormatException} —
 * nothing else — within a bounded allocation per case.
 *
 * <p>5·10³ cases per batch (artifact codecs, wire codecs) by default, 10⁵ with
 * {@code -Plong}; the seed is printed and replays with
 * {@code -Dhivemesh.fuzz.seed=N}.
 */
class DecoderFuzzTest {

    /** Well above what decoding a few-kilobyte input allocates; far below a trusted length. */
    private static final long MAX_CASE_ALLOCATION = 2L << 20;

    private static final DecodeLimits TIGHT = DecodeLimits.builder().maxInputBytes(512)
            .maxStringBytes(24).maxBinaryBytes(8).maxEntries(6).maxDepth(4).build();

    /** Decodes bytes; raises {@link ArtifactFormatException} when they are not an encoding. */
    @FunctionalInterface
    private interface Decoder {
        Object decode(byte[] bytes);
    }

    /** Encodes what {@link Decoder} decoded. */
    @FunctionalInterface
    private interface Encoder {
        byte[] encode(Object value);
    }

    /**
     * A decoder under test and valid encodings to damage; {@code prefix} starts its error
     * messages. A decoded value must be valid: with {@code byEquality}, it encodes and decodes
     * back to an equal value; otherwise (values without a value equality: tasks, exceptions,
     * byte arrays) its encoding is a fixed point — decoding and encoding it again gives the same
     * bytes.
     */
    private record Target(String name, String prefix, Decoder decoder, Decoder underDefaults,
            Encoder encoder, boolean byEquality, List<byte[]> corpus,
            List<List<Mutator.LengthField>> lengthFields) {

        static Target of(String name, MessagePackCodec<?> codec, DecodeLimits limits,
                List<byte[]> corpus) {
            return of(name, "malformed " + codec.typeName(), bytes -> codec.decode(bytes, limits),
                    codec::decode, value -> encodeAny(codec, value), true, corpus);
        }

        static Target of(String name, String prefix, Decoder decoder, Decoder underDefaults,
                Encoder encoder, boolean byEquality, List<byte[]> corpus) {
            return new Target(name, prefix, decoder, underDefaults, encoder, byEquality, corpus,
                    corpus.stream().map(Mutator::msgpackLengthFields).toList());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> byte[] encodeAny(MessagePackCodec<T> codec, Object value) {
        return codec.encode((T) value);
    }

    @Test
    void everyDecoder_onRandomAndDamagedBytes_decodesOrRaisesOnlyArtifactFormatException() {
        long seed = FuzzRun.seed();
        int cases = FuzzRun.cases(5_000, 100_000);
        List<Target> targets = targets(new SplittableRandom(seed));

        FuzzRun.Report report = assertTimeoutPreemptively(Duration.ofMinutes(20),
                () -> FuzzRun.run("decoder fuzz", seed, cases, MAX_CASE_ALLOCATION,
                        (index, random) -> fuzzOnce(targets.get(index % targets.size()), random)));

        assertThat(report.outcomes().keySet()).contains("rejected");
        assertThat(report.outcomes().values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(cases);
    }

    @Test
    void wireDecoders_onRandomAndDamagedBytes_decodeOrRaiseOnlyArtifactFormatException() {
        long seed = FuzzRun.seed();
        int cases = FuzzRun.cases(5_000, 100_000);
        List<Target> targets = wireTargets(new SplittableRandom(seed));

        FuzzRun.Report report = assertTimeoutPreemptively(Duration.ofMinutes(20),
                () -> FuzzRun.run("wire decoder fuzz", seed, cases, MAX_CASE_ALLOCATION,
                        (index, random) -> fuzzOnce(targets.get(index % targets.size()), random)));

        assertThat(report.outcomes()).containsKeys("rejected", "decoded");
        assertThat(report.outcomes().values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(cases);
    }

    private static String fuzzOnce(Target target, SplittableRandom random) {
        int pick = random.nextInt(target.corpus().size());
        Mutator.Mutant mutant = Mutator.mutate(random, target.corpus().get(pick),
                target.lengthFields().get(pick));
        Object value;
        try {
            value = target.decoder().decode(mutant.bytes());
        } catch (ArtifactFormatException expected) {
            assertThat(expected).hasMessageStartingWith(target.prefix());
            return "rejected";
        } catch (RuntimeException | Error e) {
            throw new AssertionError(target.name() + " threw " + e + " on " + mutant.kind()
                    + " input " + Mutator.hex(mutant.bytes(), 256), e);
        }
        // whatever decodes is a valid value: it encodes, and decodes back to itself
        byte[] encoded = target.encoder().encode(value);
        Object again = target.underDefaults().decode(encoded);
        if (target.byEquality()) {
            assertThat(again).as(target.name() + " round trip").isEqualTo(value);
        } else {
            assertThat(target.encoder().encode(again)).as(target.name() + " re-encoding")
                    .isEqualTo(encoded);
        }
        return "decoded";
    }

    // ---- the corpus ------------------------------------------------------------------------

    private static List<Target> targets(SplittableRandom random) {
        List<byte[]> states = new ArrayList<>();
        List<byte[]> infos = new ArrayList<>();
        List<byte[]> samples = new ArrayList<>();
        MessagePackCodecTest.SampleCodec sampleCodec = new MessagePackCodecTest.SampleCodec();
        MessagePackCodecTest.SampleCodecV2 sampleCodecV2 = new MessagePackCodecTest.SampleCodecV2();
        for (int i = 0; i < 12; i++) {
            states.add(PeerStateCodec.INSTANCE.encode(peerState(random)));
            infos.add(PeerInfoCodec.INSTANCE.encode(peerInfo(random)));
            MessagePackCodecTest.Sample sample = sample(random);
            samples.add(i % 2 == 0 ? sampleCodec.encode(sample) : sampleCodecV2.encode(sample));
        }
        samples.add(withDeepUnknownField(6));
        return List.of(
                Target.of("PeerStateCodec", PeerStateCodec.INSTANCE, DecodeLimits.DEFAULT, states),
                Target.of("PeerInfoCodec", PeerInfoCodec.INSTANCE, DecodeLimits.DEFAULT, infos),
                Target.of("every FieldReader kind", sampleCodec, DecodeLimits.DEFAULT, samples),
                Target.of("every FieldReader kind, tight limits", sampleCodec, TIGHT, samples));
    }

    private static List<Target> wireTargets(SplittableRandom random) {
        WireCodecs wire = new WireCodecs(PayloadCodec.defaults());
        PayloadCodec payloads = wire.payloads();
        List<byte[]> messages = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        List<byte[]> tasks = new ArrayList<>();
        List<byte[]> errors = new ArrayList<>();
        for (int i = 0; i < 2 * WireSamples.KINDS; i++) {
            messages.add(wire.encode(WireSamples.message(random, i % WireSamples.KINDS)));
            values.add(payloads.encode(WireSamples.payload(random, 4)));
        }
        for (int i = 0; i < 12; i++) {
            tasks.add(wire.taskCodec().encode(WireSamples.task(random)));
            errors.add(ErrorCodec.INSTANCE.encode(WireSamples.error(random)));
        }
        List<Target> targets = new ArrayList<>();
        for (DecodeLimits limits : List.of(DecodeLimits.DEFAULT, TIGHT)) {
            String suffix = limits == TIGHT ? ", tight limits" : "";
            targets.add(Target.of("every wire message kind" + suffix, "malformed ",
                    bytes -> wire.decode(bytes, limits),
                    bytes -> wire.decode(bytes, DecodeLimits.DEFAULT),
                    value -> wire.encode((WireMessage) value), false, messages));
            targets.add(Target.of("PayloadCodec.defaults()" + suffix, "malformed payload",
                    bytes -> payloads.decode(bytes, limits), payloads::decode, payloads::encode,
                    false, values));
        }
        targets.add(Target.of("TaskCodec", "malformed ", wire.taskCodec()::decode,
                wire.taskCodec()::decode, value -> wire.taskCodec().encode((Task) value), false,
                tasks));
        targets.add(Target.of("ErrorCodec", "malformed ", ErrorCodec.INSTANCE::decode,
                ErrorCodec.INSTANCE::decode, value -> ErrorCodec.INSTANCE.encode((Throwable) value),
                false, errors));
        return targets;
    }

    private static PeerState peerState(SplittableRandom random) {
        List<String> tasks = new ArrayList<>();
        Map<String, Long> metrics = new LinkedHashMap<>();
        for (int i = random.nextInt(6); i > 0; i--) {
            tasks.add(text(random, 1 + random.nextInt(20)));
            metrics.put(text(random, 1 + random.nextInt(8)), random.nextLong());
        }
        return new PeerState(id(random), id(random), random.nextInt(Integer.MAX_VALUE), tasks,
                metrics, instant(random), random.nextLong(Long.MAX_VALUE));
    }

    private static PeerInfo peerInfo(SplittableRandom random) {
        Set<String> capabilities = new LinkedHashSet<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            capabilities.add(text(random, 1 + random.nextInt(12)));
        }
        return new PeerInfo(id(random), id(random), capabilities, random.nextLong(),
                random.nextLong(), instant(random),
                PeerStatus.values()[random.nextInt(PeerStatus.values().length)]);
    }

    private static MessagePackCodecTest.Sample sample(SplittableRandom random) {
        byte[] blob = new byte[random.nextInt(12)];
        random.nextBytes(blob);
        List<String> tags = new ArrayList<>();
        Set<String> caps = new LinkedHashSet<>();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, Long> counters = new LinkedHashMap<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            tags.add(text(random, random.nextInt(10)));
            caps.add(text(random, random.nextInt(10)));
            labels.put(text(random, random.nextInt(6)), text(random, random.nextInt(30)));
            counters.put(text(random, random.nextInt(6)), random.nextLong());
        }
        return new MessagePackCodecTest.Sample(text(random, random.nextInt(40)), random.nextInt(),
                random.nextLong(), random.nextBoolean(), random.nextDouble() * 1e6, blob, tags,
                caps, labels, counters);
    }

    /** A sample whose unknown field 50 nests arrays and maps {@code depth} levels deep. */
    private static byte[] withDeepUnknownField(int depth) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString("test.Sample").packInt(1).packMapHeader(2);
            p.packInt(1).packString("deep");
            p.packInt(50);
            for (int level = 0; level < depth; level++) {
                if (level % 2 == 0) {
                    p.packArrayHeader(2).packNil();
                } else {
                    p.packMapHeader(1).packString("k");
                }
            }
            p.packBinaryHeader(1).addPayload(new byte[] {7});
            return p.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String id(SplittableRandom random) {
        return "p" + text(random, random.nextInt(12));
    }

    /** Text of ASCII, Latin-1, CJK and astral (surrogate pair) characters. */
    private static String text(SplittableRandom random, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.appendCodePoint(switch (random.nextInt(8)) {
                case 0 -> 0xa0 + random.nextInt(0x60);
                case 1 -> 0x4e00 + random.nextInt(0x5000);
                case 2 -> 0x1f600 + random.nextInt(0x50);
                default -> 0x21 + random.nextInt(0x5e);
            });
        }
        return out.toString();
    }

    private static Instant instant(SplittableRandom random) {
        return Instant.ofEpochSecond(random.nextLong(-10_000_000_000L, 10_000_000_000L),
                random.nextInt(1_000_000_000));
    }

    // ---- declared lengths far beyond the input: refused before any allocation ---------------

    static Stream<Arguments> hugeDeclarations() {
        WireCodecs wire = new WireCodecs(PayloadCodec.defaults());
        return Stream.of(PeerStateCodec.INSTANCE, PeerInfoCodec.INSTANCE, wire.taskCodec(),
                wire.messageCodecs().get("hivemesh.wire.Result"),
                wire.messageCodecs().get("hivemesh.wire.UserMail")).flatMap(codec -> {
            String type = codec.typeName();
            return Stream.of(
                    Arguments.of(codec, "the type name as str32 of 2^31-1 bytes",
                            "db7fffffff", "6162636465",
                            "the type name declares 2147483647 bytes, but only 5 are left"),
                    Arguments.of(codec, "a field map32 of 2^31-1 entries",
                            header(type) + "df7fffffff", "",
                            "the field map declares 2147483647 entries, more than the 0 bytes"
                                    + " left can hold"),
                    Arguments.of(codec, "field 1 as str32 of 2^31-1 bytes",
                            header(type) + "81" + "01" + "db7fffffff", "",
                            "field 1 declares 2147483647 bytes, but only 0 are left"),
                    Arguments.of(codec, "an unknown field as array32 of 2^31-1 elements",
                            header(type) + "81" + "63" + "dd7fffffff", "c0c0",
                            "a skipped array declares 2147483647 entries, more than the 2 bytes"
                                    + " left can hold"),
                    Arguments.of(codec, "an unknown field as bin32 of 2^32-1 bytes",
                            header(type) + "81" + "63" + "c6ffffffff", "00",
                            "cannot read a skipped value"),
                    Arguments.of(codec, "a string-keyed field as map32 of 2^31-1 entries",
                            header(type) + "81" + "a178" + "df7fffffff", "",
                            "a skipped map declares 2147483647 entries"));
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hugeDeclarations")
    void decode_hugeDeclaredLengthInAFewBytes_isRefusedBeforeAllocating(MessagePackCodec<?> codec,
            String what, String head, String tail, String message) {
        byte[] bytes = bytes(head + tail);
        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(ArtifactFormatException.class);
        long before = FuzzRun.allocatedByThisThread();

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining(message);

        long allocated = FuzzRun.allocatedByThisThread() - before;
        assertThat(bytes.length).isLessThan(40);
        if (before >= 0) {
            assertThat(allocated).as("bytes allocated refusing %s", what).isLessThan(256 * 1024);
        }
    }

    @Test
    void decode_listFieldDeclaringTwoBillionElements_inThePeerState_isRefused() {
        byte[] bytes = bytes(header("hivemesh.PeerState") + "81" + "04" + "dd7fffffff" + "a178");

        assertThatThrownBy(() -> PeerStateCodec.INSTANCE.decode(bytes))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("field 4 declares 2147483647 entries, more than the 2 bytes"
                        + " left can hold");
    }

    @Test
    void decode_outOfRangeTimestamps_areFormatErrorsNotArithmeticOnes() throws IOException {
        byte[] state = timestamped("hivemesh.PeerState", Long.MIN_VALUE, -1);
        byte[] info = timestamped("hivemesh.PeerInfo", Long.MAX_VALUE, 999_999_999);
        byte[] farFuture = timestamped("hivemesh.PeerInfo", Long.MAX_VALUE, 0);

        assertThatThrownBy(() -> PeerStateCodec.INSTANCE.decode(state))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageEndingWith("updatedAt nanoseconds must be in [0, 999999999], was -1");
        assertThatThrownBy(() -> PeerInfoCodec.INSTANCE.decode(info))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("lastSeen epoch second must be in [");
        assertThatThrownBy(() -> PeerInfoCodec.INSTANCE.decode(farFuture))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageEndingWith("was " + Long.MAX_VALUE);
    }

    private static byte[] timestamped(String type, long seconds, int nanos) throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString(type).packInt(1).packMapHeader(4);
            p.packInt(1).packString("p").packInt(2).packString("s");
            p.packInt(6).packLong(seconds).packInt(7).packInt(nanos);
            return p.toByteArray();
        }
    }

    /** The hex of a type-name string and format version 1. */
    private static String header(String type) {
        StringBuilder out = new StringBuilder(String.format("%02x", 0xa0 | type.length()));
        for (char c : type.toCharArray()) {
            out.append(String.format("%02x", (int) c));
        }
        return out + "01";
    }

    private static byte[] bytes(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
