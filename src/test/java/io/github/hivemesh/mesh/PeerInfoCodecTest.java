package io.github.hivemesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.testing.Generators;
import java.io.IOException;
import java.time.Instant;
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

class PeerInfoCodecTest {

    private final PeerInfoCodec codec = PeerInfoCodec.INSTANCE;

    @Property(tries = 300)
    void decode_ofEncode_returnsTheSameInfo(@ForAll("infos") PeerInfo info) {
        assertThat(codec.decode(codec.encode(info))).isEqualTo(info);
    }

    @Provide
    Arbitrary<PeerInfo> infos() {
        Arbitrary<String> ids = Generators.ids();
        Arbitrary<Instant> instants = Generators.instants();
        return Combinators.combine(ids, ids, ids.set().ofMaxSize(6), Arbitraries.longs(),
                Arbitraries.longs(), instants, Arbitraries.of(PeerStatus.class))
                .as(PeerInfo::new);
    }

    private static byte[] bytes(String status, long seconds) throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packString("hivemesh.PeerInfo").packInt(3).packMapHeader(5);
            p.packInt(1).packString("p").packInt(2).packString("s");
            p.packInt(6).packLong(seconds);
            p.packInt(8).packString(status);
            p.packInt(77).packArrayHeader(1).packString("a field from version 3");
            return p.toByteArray();
        }
    }

    @Test
    void decode_newerVersionWithUnknownField_keepsTheKnownOnes() throws IOException {
        PeerInfo info = codec.decode(bytes("STALE", 10));

        assertThat(info.peerId()).isEqualTo("p");
        assertThat(info.status()).isEqualTo(PeerStatus.STALE);
        assertThat(info.lastSeen()).isEqualTo(Instant.ofEpochSecond(10));
        assertThat(info.capabilities()).isEmpty();
    }

    @Test
    void decode_unknownStatusOrImpossibleInstant_isAFormatError() throws IOException {
        byte[] badStatus = bytes("SLEEPING", 0);
        byte[] badInstant = bytes("ALIVE", Long.MAX_VALUE);

        assertThatThrownBy(() -> codec.decode(badStatus))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("SLEEPING");
        assertThatThrownBy(() -> codec.decode(badInstant))
                .isInstanceOf(ArtifactFormatException.class);
    }

    @Test
    void supersedes_ordersByIncarnationThenVersion() {
        Instant t = Instant.EPOCH;
        PeerInfo old = new PeerInfo("p", "s", Set.of(), 1, 9, t, PeerStatus.ALIVE);
        PeerInfo restarted = new PeerInfo("p", "s", Set.of(), 2, 0, t, PeerStatus.ALIVE);
        PeerInfo updated = new PeerInfo("p", "s", Set.of(), 1, 10, t, PeerStatus.ALIVE);

        assertThat(restarted.supersedes(old)).isTrue();
        assertThat(old.supersedes(restarted)).isFalse();
        assertThat(updated.supersedes(old)).isTrue();
        assertThat(old.supersedes(old)).isFalse();
        assertThat(updated.hasAll(Set.of())).isTrue();
        assertThatThrownBy(() -> new PeerInfo("p", " ", Set.of(), 0, 0, t, PeerStatus.ALIVE))
                .hasMessage("swarmId must not be blank");
    }
}
