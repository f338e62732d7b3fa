package io.github.hivemesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.RoutingType;
import io.github.hivemesh.internal.wire.Signal;
import io.github.hivemesh.internal.wire.WireCodecs;
import io.github.hivemesh.wire.PayloadCodec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** The cluster broker's frame format (docs/cluster.md, "The cluster broker"). */
class BrokerFrameCodecTest {

    private final BrokerFrameCodec codec = new BrokerFrameCodec(
            new WireCodecs(PayloadCodec.defaults()), DecodeLimits.DEFAULT);

    private BrokerFrame roundTrip(BrokerFrame frame) {
        return codec.decodeOrNull(codec.encode(frame));
    }

    @Test
    void directFrame_keepsEveryFieldOfItsMessage_andAWirePayload() {
        Message sent = new Message("completion.signal", new Signal(2, "a", "b",
                new long[] {4, 5}, "m1.root"), "b", "a", 123, 77, RoutingType.BROADCAST,
                Map.of("k", "v"));

        BrokerFrame frame = roundTrip(BrokerFrame.direct(sent, true));

        assertThat(frame.kind()).isEqualTo(BrokerFrame.Kind.DIRECT);
        assertThat(frame.control()).isTrue();
        assertThat(frame.message()).isEqualTo(sent);
    }

    @Test
    void topicFrame_withAPlainPayload_andEndpointFrames_roundTrip() {
        Message published = new Message("news", List.of(1L, "x"), "a", "topic", 5, 6,
                RoutingType.MULTICAST, Map.of());
        assertThat(roundTrip(BrokerFrame.topic(published)).message()).isEqualTo(published);
        Map<String, Set<String>> up = new LinkedHashMap<>();
        up.put("a", Set.of("x", "y"));
        up.put("b", Set.of());
        assertThat(roundTrip(BrokerFrame.up(up))).isEqualTo(BrokerFrame.up(up));
        assertThat(roundTrip(BrokerFrame.down(List.of("a")))).isEqualTo(
                BrokerFrame.down(List.of("a")));
    }

    @Test
    void unknownKind_ofANewerWriter_decodesAsNull() throws IOException {
        assertThat(codec.decodeOrNull(frame(p -> p.packInt(1).packInt(99)))).isNull();
    }

    @Test
    void badFrames_areFormatErrors() {
        assertThatThrownBy(() -> codec.decodeOrNull(frame(p -> {
            p.packInt(1).packInt(1).packInt(2).packString("t").packInt(3).packString("a");
            p.packInt(4).packString("b").packInt(5).packLong(1).packInt(12).packString("ANY");
        }))).isInstanceOf(ArtifactFormatException.class).hasMessageContaining("ANY");
        assertThatThrownBy(() -> codec.decodeOrNull(frame(p -> {
            p.packInt(1).packInt(1).packInt(2).packString("t").packInt(3).packString("a");
        }))).isInstanceOf(ArtifactFormatException.class).hasMessageContaining("recipient");
        assertThatThrownBy(() -> codec.decodeOrNull(frame(p -> {
            p.packInt(1).packInt(3).packInt(11).packArrayHeader(1).packString("a");
            p.packInt(13).packArrayHeader(0);
        }))).isInstanceOf(ArtifactFormatException.class).hasMessageContaining("capabilities");
        assertThatThrownBy(() -> new BrokerFrame(BrokerFrame.Kind.UP, Message.of("t", null),
                false, List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BrokerFrame.direct(Message.of("t", null), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sender");
        assertThatThrownBy(() -> new BrokerFrame(BrokerFrame.Kind.DOWN, null, false,
                List.of("a"), List.of(Set.of()))).isInstanceOf(IllegalArgumentException.class);
    }

    private interface Fields {
        void pack(MessageBufferPacker packer) throws IOException;
    }

    private static byte[] frame(Fields fields) throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString(BrokerFrameCodec.TYPE_NAME).packInt(1);
            MessageBufferPacker body = MessagePack.newDefaultBufferPacker();
            fields.pack(body);
            byte[] bytes = body.toByteArray();
            p.packMapHeader(count(bytes));
            p.writePayload(bytes);
            return p.toByteArray();
        }
    }

    /** Number of key-value pairs in {@code bytes}, a run of MessagePack values. */
    private static int count(byte[] bytes) throws IOException {
        int values = 0;
        try (var unpacker = MessagePack.newDefaultUnpacker(bytes)) {
            while (unpacker.hasNext()) {
                unpacker.skipValue();
                values++;
            }
        }
        return values / 2;
    }
}
