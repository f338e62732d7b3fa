package io.github.hivemesh.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.wire.PayloadCodec;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The per-root fields of version 2 of {@code Assign}, {@code Signal} and {@code UserMail}
 * (docs/wire.md): a version-1 message, written without them, decodes with their defaults, and
 * a message of a newer writer with fields beyond them keeps every field this reader knows.
 */
class WireVersionsTest {

    private final WireCodecs wire = new WireCodecs(PayloadCodec.defaults());

    @Test
    void perRootMessages_areWrittenInTheirCurrentVersions() {
        assertThat(SignalCodec.INSTANCE.version()).isEqualTo(2);
        byte[] mail = wire.encode(new UserMail("a", "b", "t", null, "m1.root", 4));
        Task task = Task.builder().id("t-1").type("x").build();
        byte[] assign = wire.encode(new Assign(task, 1, 1, "r", 4, "hivemesh.desk.s.m1"));
        byte[] result = wire.encode(new Result("t", 1, 1, "out", null, "m1.root", 4));
        assertThat(versionOf(mail)).isEqualTo(2);
        assertThat(versionOf(assign)).isEqualTo(3);
        assertThat(versionOf(result)).isEqualTo(2);
        Assign decoded = (Assign) wire.decode(assign, DecodeLimits.DEFAULT);
        assertThat(decoded.home()).isEqualTo("hivemesh.desk.s.m1");
        assertThat(decoded.root()).isEqualTo("r");
        assertThat(decoded.epoch()).isEqualTo(4);
        assertThat(wire.decode(result, DecodeLimits.DEFAULT)).isEqualTo(new Result("t", 1, 1, "out", null, "m1.root",
                4));
    }

    @Test
    void version1Result_decodesAsTheRecipientsOwnRoot() throws IOException {
        byte[] bytes;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString(ResultCodec.TYPE_NAME).packInt(1).packMapHeader(3);
            p.packInt(1).packString("t-1").packInt(2).packLong(7).packInt(3).packInt(1);
            bytes = p.toByteArray();
        }
        assertThat(wire.decode(bytes, DecodeLimits.DEFAULT))
                .isEqualTo(new Result("t-1", 7, 1, null, null, "", 0));
    }

    @Test
    void version1Assign_decodesInEpoch0() throws IOException {
        byte[] task = wire.taskCodec().encode(Task.builder().id("t-1").type("x").build());
        byte[] bytes;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString(AssignCodec.TYPE_NAME).packInt(1).packMapHeader(4);
            p.packInt(1).packBinaryHeader(task.length).writePayload(task);
            p.packInt(2).packLong(7).packInt(3).packInt(2).packInt(4).packString("m1.root");
            bytes = p.toByteArray();
        }

        Assign assign = (Assign) wire.decode(bytes, DecodeLimits.DEFAULT);

        assertThat(assign.taskId()).isEqualTo("t-1");
        assertThat(assign.serial()).isEqualTo(7);
        assertThat(assign.attempt()).isEqualTo(2);
        assertThat(assign.root()).isEqualTo("m1.root");
        assertThat(assign.epoch()).isZero();
    }

    @Test
    void version1Signal_decodesAsASignalOfTheRecipientsOwnRoot() throws IOException {
        byte[] bytes;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString(SignalCodec.TYPE_NAME).packInt(1).packMapHeader(4);
            p.packInt(1).packLong(3).packInt(2).packString("s").packInt(3).packString("r");
            p.packInt(4).packArrayHeader(2).packLong(10).packLong(11);
            bytes = p.toByteArray();
        }

        Signal signal = (Signal) wire.decode(bytes, DecodeLimits.DEFAULT);

        assertThat(signal).isEqualTo(new Signal(3, "s", "r", new long[] {10, 11}, ""));
        assertThat(signal.count()).isEqualTo(2);
    }

    @Test
    void version1UserMail_decodesAsMailOfTheRecipientsOwnRoot_inEpoch0() throws IOException {
        byte[] bytes;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString(UserMailCodec.TYPE_NAME).packInt(1).packMapHeader(3);
            p.packInt(1).packString("a").packInt(2).packString("b").packInt(3).packString("t");
            bytes = p.toByteArray();
        }

        assertThat(wire.decode(bytes, DecodeLimits.DEFAULT))
                .isEqualTo(new UserMail("a", "b", "t", null, "", 0));
    }

    @Test
    void newerSignal_withFieldsBeyondVersion2_keepsTheKnownOnes() throws IOException {
        byte[] bytes;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString(SignalCodec.TYPE_NAME).packInt(3).packMapHeader(6);
            p.packInt(1).packLong(1).packInt(2).packString("s").packInt(3).packString("r");
            p.packInt(4).packArrayHeader(1).packLong(5);
            p.packInt(5).packString("m2.root");
            p.packInt(6).packMapHeader(1).packString("later").packArrayHeader(0);
            bytes = p.toByteArray();
        }

        assertThat(wire.decode(bytes, DecodeLimits.DEFAULT))
                .isEqualTo(new Signal(1, "s", "r", new long[] {5}, "m2.root"));
    }

    private static int versionOf(byte[] encoded) {
        try (var unpacker = MessagePack.newDefaultUnpacker(encoded)) {
            unpacker.unpackString();
            return unpacker.unpackInt();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
