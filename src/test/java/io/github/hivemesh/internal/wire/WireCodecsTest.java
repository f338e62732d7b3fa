package io.github.hivemesh.internal.wire;

import static io.github.hivemesh.testing.WireArbitraries.mapOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.testing.WireArbitraries;
import io.github.hivemesh.testing.WireCanon;
import io.github.hivemesh.wire.PayloadCodec;
import io.github.hivemesh.wire.UnsupportedPayloadException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class WireCodecsTest {

    private final WireCodecs wire = new WireCodecs(PayloadCodec.defaults());

    /** Encoded, decoded, and compared value by value (types, order and bytes included). */
    private void assertRoundTrips(WireMessage message) {
        WireMessage decoded = wire.roundTrip(message);

        assertThat(decoded).isExactlyInstanceOf(message.getClass());
        assertThat(WireCanon.of(decoded)).isEqualTo(WireCanon.of(message));
        assertThat(decoded.wireType()).isEqualTo(message.wireType());
    }

    // ---- a round trip per kind -------------------------------------------------------------

    @Property(tries = 200)
    void assign_roundTrips(@ForAll("assigns") Assign message) {
        assertRoundTrips(message);
    }

    @Provide
    Arbitrary<Assign> assigns() {
        return WireArbitraries.assigns();
    }

    @Property(tries = 200)
    void result_roundTrips(@ForAll("results") Result message) {
        assertRoundTrips(message);
    }

    @Provide
    Arbitrary<Result> results() {
        return WireArbitraries.results();
    }

    @Property(tries = 100)
    void signal_roundTrips(@ForAll("signals") Signal message) {
        assertRoundTrips(message);
        assertThat(wire.roundTrip(message)).isEqualTo(message);
    }

    @Provide
    Arbitrary<Signal> signals() {
        return WireArbitraries.signals();
    }

    @Property(tries = 200)
    void userMail_roundTrips(@ForAll("mails") UserMail message) {
        assertRoundTrips(message);
    }

    @Provide
    Arbitrary<UserMail> mails() {
        return WireArbitraries.mails();
    }

    @Property(tries = 100)
    void returned_roundTrips(@ForAll("returns") Returned message) {
        assertRoundTrips(message);
    }

    @Provide
    Arbitrary<Returned> returns() {
        return WireArbitraries.returns();
    }

    @Property(tries = 100)
    void teamTasks_roundTrips(@ForAll("assignLists") List<Assign> tasks, @ForAll int team) {
        assertRoundTrips(new TeamTasks(team, tasks));
    }

    @Property(tries = 100)
    void teamRequeue_roundTrips(@ForAll("assignLists") List<Assign> tasks, @ForAll int team) {
        assertRoundTrips(new TeamRequeue(team, tasks));
    }

    @Property(tries = 100)
    void stolen_roundTrips(@ForAll("assignLists") List<Assign> tasks, @ForAll int victim) {
        assertRoundTrips(new Stolen(victim, tasks));
    }

    @Provide
    Arbitrary<List<Assign>> assignLists() {
        return WireArbitraries.assigns().list().ofMaxSize(4);
    }

    @Property(tries = 50)
    void teamRoom_teamQueued_stealChance_roundTrip(@ForAll int team, @ForAll int slots) {
        assertRoundTrips(new TeamRoom(team, slots));
        assertRoundTrips(new TeamQueued(team));
        assertRoundTrips(new StealChance());
        assertThat(wire.roundTrip(new TeamRoom(team, slots))).isEqualTo(new TeamRoom(team, slots));
    }

    @Property(tries = 100)
    void stealRequest_roundTrips(@ForAll("free") List<Set<String>> free, @ForAll int thief,
            @ForAll int slots) {
        StealRequest request = new StealRequest(thief, free, slots);

        assertRoundTrips(request);
        assertThat(wire.roundTrip(request)).isEqualTo(request);
    }

    @Provide
    Arbitrary<List<Set<String>>> free() {
        return WireArbitraries.ids().set().ofMaxSize(4).list().ofMaxSize(4);
    }

    @Property(tries = 300)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void anyMessage_roundTrips_throughTheOneEntryPoint(@ForAll("messages") WireMessage message) {
        assertRoundTrips(message);
        Statistics.collect(message.getClass().getSimpleName());
        Statistics.coverage(checker -> {
            for (Class<?> kind : WireMessage.class.getPermittedSubclasses()) {
                checker.check(kind.getSimpleName()).count(n -> n > 0);
            }
        });
    }

    @Provide
    Arbitrary<WireMessage> messages() {
        return WireArbitraries.messages();
    }

    @Test
    void everyKind_hasACodec_underItsOwnTypeName() {
        assertThat(wire.messageCodecs()).hasSize(WireMessage.class.getPermittedSubclasses().length)
                .containsKeys("hivemesh.wire.Assign", "hivemesh.wire.Result",
                        "hivemesh.wire.Signal", "hivemesh.wire.UserMail",
                        "hivemesh.wire.Returned", "hivemesh.wire.TeamTasks",
                        "hivemesh.wire.TeamRoom", "hivemesh.wire.TeamRequeue",
                        "hivemesh.wire.TeamQueued", "hivemesh.wire.StealChance",
                        "hivemesh.wire.StealRequest", "hivemesh.wire.Stolen",
                        "hivemesh.wire.PeerStealChance", "hivemesh.wire.PeerStealRequest",
                        "hivemesh.wire.PeerStolen", "hivemesh.wire.TaskNotice",
                        "hivemesh.wire.DependencyNotice");
        assertThat(wire.payloads()).isSameAs(PayloadCodec.defaults());
    }

    // ---- tasks -----------------------------------------------------------------------------

    @Test
    void task_keepsEveryField() {
        Task task = Task.builder().id("t-1").type("review").description("a diff")
                .requiredCapabilities("java", "review").priority(9).dependencies("t-0")
                .payload(mapOf("lines", 120, "files", List.of("A.java"))).timeout(
                        Duration.ofSeconds(30, 5)).build();

        Task decoded = ((Assign) wire.roundTrip(new Assign(task, 7, 2, "root"))).task();

        assertThat(decoded.id()).isEqualTo("t-1");
        assertThat(decoded.type()).isEqualTo("review");
        assertThat(decoded.description()).isEqualTo("a diff");
        assertThat(decoded.requiredCapabilities()).containsExactly("java", "review");
        assertThat(decoded.priority()).isEqualTo(9);
        assertThat(decoded.dependencies()).containsExactly("t-0");
        assertThat(decoded.payload()).isEqualTo(mapOf("lines", 120, "files", List.of("A.java")));
        assertThat(decoded.timeout()).contains(Duration.ofSeconds(30, 5));
        assertThat(wire.taskCodec().decode(wire.taskCodec().encode(task)).timeout())
                .contains(Duration.ofSeconds(30, 5));
    }

    @Test
    void task_valuesTheBuilderRefuses_areFormatErrors() throws IOException {
        byte[] priority = taskBytes(11, 5L, 0);
        byte[] timeout = taskBytes(5, -1L, 0);
        byte[] nanos = taskBytes(5, 1L, -1);

        assertThatThrownBy(() -> wire.taskCodec().decode(priority))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageEndingWith("priority must be in [1, 10], was 11");
        assertThatThrownBy(() -> wire.taskCodec().decode(timeout))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("timeout must be a positive duration");
        assertThatThrownBy(() -> wire.taskCodec().decode(nanos))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("timeout nanoseconds must be in [0, 999999999], was -1");
    }

    private static byte[] taskBytes(int priority, long seconds, int nanos) throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString("hivemesh.wire.Task").packInt(1).packMapHeader(6);
            p.packInt(1).packString("t").packInt(2).packString("type");
            p.packInt(5).packInt(priority);
            p.packInt(8).packLong(seconds).packInt(9).packInt(nanos);
            p.packInt(77).packString("a field of version 2");
            return p.toByteArray();
        }
    }

    // ---- payloads the codec refuses fail at the sender -------------------------------------

    @Test
    void encode_unsupportedPayload_failsNamingTheTaskAndTheValue() {
        Task task = Task.builder().id("t-9").type("x").payload(mapOf("when", Instant.EPOCH))
                .build();

        assertThatThrownBy(() -> wire.encode(new Assign(task, 1, 1, "root")))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessageStartingWith("payload of task 't-9': map value for key \"when\":"
                        + " java.time.Instant is not supported");
        assertThatThrownBy(() -> wire.encode(new TeamTasks(0, List.of(new Assign(task, 1, 1,
                "root"))))).isInstanceOf(UnsupportedPayloadException.class);
        assertThatThrownBy(() -> wire.encode(new Result("t-9", 1, 1, Set.of(1), null)))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessageStartingWith("output of task 't-9': java.util.ImmutableCollections");
        assertThatThrownBy(() -> wire.encode(new UserMail("a", "b", "note", new Object())))
                .isInstanceOf(UnsupportedPayloadException.class)
                .hasMessageStartingWith("payload of message 'note' from 'a' to 'b': "
                        + "java.lang.Object is not supported");
    }

    @Test
    void aCustomPayloadCodec_isUsed_andItsFailuresOnDecodeAreFormatErrors() {
        PayloadCodec strings = new PayloadCodec() {
            @Override
            public byte[] encode(Object value) {
                return value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }

            @Override
            public Object decode(byte[] bytes, DecodeLimits limits) {
                if (bytes.length == 0) {
                    throw new IllegalStateException("nothing to decode");
                }
                return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            }
        };
        WireCodecs custom = new WireCodecs(strings);

        UserMail mail = (UserMail) custom.roundTrip(new UserMail("a", "b", "n", Instant.EPOCH));
        byte[] empty = custom.encode(new UserMail("a", "b", "n", ""));

        assertThat(mail.payload()).isEqualTo("1970-01-01T00:00:00Z");
        assertThatThrownBy(() -> custom.decode(empty, DecodeLimits.DEFAULT))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("field 4: the payload codec failed: "
                        + "java.lang.IllegalStateException: nothing to decode");
    }

    // ---- malformed input -------------------------------------------------------------------

    @Test
    void decode_unknownTypeOrNotAWireMessage_isAFormatError() {
        byte[] task = wire.taskCodec().encode(Task.builder().type("x").build());

        assertThatThrownBy(() -> wire.decode(task, DecodeLimits.DEFAULT))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageStartingWith("malformed wire message: unknown type 'hivemesh.wire.Task'"
                        + " (known: hivemesh.wire.Assign, ");
        assertThatThrownBy(() -> wire.decode(new byte[0], DecodeLimits.DEFAULT))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessage("malformed wire message (at byte 0 of 0): input is empty");
        assertThatThrownBy(() -> wire.decode(new byte[] {(byte) 0xc3}, DecodeLimits.DEFAULT))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("the type name must be string, was boolean");
    }

    @Test
    void decode_valuesTheRecordsRefuse_areFormatErrors() throws IOException {
        byte[] task = wire.taskCodec().encode(Task.builder().type("x").build());
        byte[] attemptZero;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString("hivemesh.wire.Assign").packInt(1).packMapHeader(4);
            p.packInt(1).packBinaryHeader(task.length).writePayload(task);
            p.packInt(2).packLong(1).packInt(3).packInt(0).packInt(4).packString("r");
            attemptZero = p.toByteArray();
        }
        byte[] both = result(p -> {
            p.packInt(4).packBinaryHeader(2).writePayload(new byte[] {1, (byte) 0xc3});
            byte[] error = ErrorCodec.INSTANCE.encode(new DependencyFailedException("t", "d"));
            p.packInt(5).packBinaryHeader(error.length).writePayload(error);
        });
        byte[] signal;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString("hivemesh.wire.Signal").packInt(1).packMapHeader(4);
            p.packInt(1).packLong(0).packInt(2).packString("s").packInt(3).packString("r");
            p.packInt(4).packArrayHeader(0);
            signal = p.toByteArray();
        }
        byte[] zero = attemptZero;
        byte[] empty = signal;

        assertThatThrownBy(() -> wire.decode(zero, DecodeLimits.DEFAULT))
                .hasMessageEndingWith("attempt must be at least 1, was 0");
        assertThatThrownBy(() -> wire.decode(both, DecodeLimits.DEFAULT))
                .hasMessageEndingWith("a result has an output or an error, not both");
        assertThatThrownBy(() -> wire.decode(empty, DecodeLimits.DEFAULT))
                .hasMessageEndingWith("a signal acknowledges at least one message");
    }

    private interface Fields {
        void pack(MessageBufferPacker packer) throws IOException;
    }

    private static byte[] result(Fields extra) throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString("hivemesh.wire.Result").packInt(1).packMapHeader(5);
            p.packInt(1).packString("t").packInt(2).packLong(1).packInt(3).packInt(1);
            extra.pack(p);
            return p.toByteArray();
        }
    }

    @Test
    void decode_missingRequiredField_namesIt() throws IOException {
        byte[] bytes;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString("hivemesh.wire.TeamRoom").packInt(1).packMapHeader(1);
            p.packInt(1).packInt(3);
            bytes = p.toByteArray();
        }
        byte[] room = bytes;

        assertThatThrownBy(() -> wire.decode(room, DecodeLimits.DEFAULT))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageEndingWith("required field 2 (slots) is missing");
    }

    @Test
    void decode_newerVersionWithUnknownFields_keepsTheKnownOnes() throws IOException {
        byte[] bytes;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString("hivemesh.wire.StealRequest").packInt(2).packMapHeader(4);
            p.packInt(1).packInt(4);
            p.packInt(2).packArrayHeader(1).packArrayHeader(2).packString("a").packString("b");
            p.packInt(3).packInt(2);
            p.packInt(40).packMapHeader(1).packString("new").packArrayHeader(0);
            bytes = p.toByteArray();
        }

        StealRequest request = (StealRequest) wire.decode(bytes, DecodeLimits.DEFAULT);

        assertThat(request).isEqualTo(new StealRequest(4, List.of(Set.of("a", "b")), 2));
    }

    @Test
    void decode_appliesTheLimitsToEmbeddedValuesAndPayloads() {
        Task task = Task.builder().id("t").type("x").payload(List.of("a long string")).build();
        byte[] bytes = wire.encode(new TeamTasks(1, List.of(new Assign(task, 1, 1, "r"))));
        DecodeLimits shortStrings = DecodeLimits.builder().maxStringBytes(8).build();
        DecodeLimits flat = DecodeLimits.builder().maxDepth(2).build();

        assertThat(wire.decode(bytes, flat)).isInstanceOf(TeamTasks.class);
        assertThatThrownBy(() -> wire.decode(bytes, shortStrings))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageStartingWith("malformed hivemesh.wire.TeamTasks")
                .hasMessageContaining("field 2 element 0: malformed hivemesh.wire.Assign")
                .hasMessageContaining("field 1: malformed hivemesh.wire.Task")
                .hasMessageContaining("field 7: malformed payload")
                .hasMessageContaining("DecodeLimits.maxStringBytes");
        byte[] free = wire.encode(new StealRequest(1, List.of(Set.of("a")), 1));
        assertThatThrownBy(() -> wire.decode(free, flat))
                .hasMessageContaining("field 2 nests lists 3 deep, more than the limit of 2");
    }

    @Test
    void encode_nullMessage_isRefused() {
        assertThatThrownBy(() -> wire.encode(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("message");
        assertThat(Arrays.asList(WireMessage.class.getPermittedSubclasses())).hasSize(17);
    }
}
