package io.github.hivemesh.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.testing.Generators;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class PeerStateCodecTest {

    private final PeerStateCodec codec = PeerStateCodec.INSTANCE;

    @Property(tries = 300)
    void decode_ofEncode_returnsTheSameState(@ForAll("states") PeerState state) {
        assertThat(codec.decode(codec.encode(state))).isEqualTo(state);
    }

    @Provide
    Arbitrary<PeerState> states() {
        Arbitrary<String> ids = Generators.ids();
        Arbitrary<Instant> instants = Generators.instants();
        return Combinators.combine(ids, ids, Arbitraries.integers().greaterOrEqual(0),
                ids.list().ofMaxSize(5),
                Arbitraries.maps(ids, Arbitraries.longs()).ofMaxSize(4), instants,
                Arbitraries.longs().greaterOrEqual(0)).as(PeerState::new);
    }

    @Test
    void oneKilobyteState_encodesCompactly() {
        List<String> tasks = java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> "task-" + i + "-abcdefghij").toList();
        PeerState state = new PeerState("peer-1", "swarm-1", 40, tasks, Map.of("completed", 99L),
                Instant.parse("2025-01-01T00:00:00Z"), 17);

        byte[] bytes = codec.encode(state);

        assertThat(bytes.length).isBetween(700, 1100);
        assertThat(codec.decode(bytes)).isEqualTo(state);
    }

    @Test
    void decode_negativeLoad_isAFormatErrorNamingTheProblem() throws IOException {
        byte[] bytes;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString("hivemesh.PeerState").packInt(1).packMapHeader(3);
            p.packInt(1).packString("p").packInt(2).packString("s").packInt(3).packInt(-5);
            bytes = p.toByteArray();
        }

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("load must be in [0, 2147483647], was -5");
    }

    @Test
    void decode_missingSwarm_namesTheField() throws IOException {
        byte[] bytes;
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString("hivemesh.PeerState").packInt(1).packMapHeader(2);
            p.packInt(1).packString("p").packInt(42).packString("from the future");
            bytes = p.toByteArray();
        }

        assertThatThrownBy(() -> codec.decode(bytes))
                .hasMessageEndingWith("required field 2 (swarmId) is missing");
    }

    @Test
    void peerState_validatesItsFields() {
        assertThatThrownBy(() -> new PeerState(" ", "s", 0, List.of(), Map.of(), Instant.EPOCH, 0))
                .hasMessage("peerId must not be blank");
        assertThatThrownBy(() -> new PeerState("p", "s", 0, List.of(), Map.of(), Instant.EPOCH, -1))
                .hasMessage("version must be in [0, 9223372036854775807], was -1");
        assertThat(PeerState.initial("p", "s", Instant.EPOCH).withLoad(3, Instant.EPOCH).version())
                .isEqualTo(1);
    }
}
