package io.github.hivemesh.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.InMemoryArtifactStorage;
import io.github.hivemesh.memory.PeerState;
import io.github.hivemesh.memory.SwarmMemoryManager;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 5: the swarm memory refuses, when it is written, a peer state its own decoder
 * would reject when it is read — so one legal-looking state cannot poison every later read and
 * update of its peer. The refusal changes nothing: the previous state stays readable and
 * updatable.
 */
class PeerStateWriteLimitTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final SwarmMemoryManager memory = new SwarmMemoryManager("swarm",
            new InMemoryArtifactStorage(), Clock.fixed(NOW, ZoneOffset.UTC));

    private static PeerState state(List<String> activeTasks, long version) {
        return new PeerState("p", "swarm", 1, activeTasks, Map.of("tasksCompleted", 3L), NOW,
                version);
    }

    private void assertRefusedAndHarmless(List<String> activeTasks) {
        assertThat(memory.sharePeerState("p", state(List.of("t1"), 1))).isTrue();

        assertThatThrownBy(() -> memory.sharePeerState("p", state(activeTasks, 2)))
                .isInstanceOfAny(ArtifactFormatException.class, IllegalArgumentException.class);

        PeerState stored = memory.getPeerState("p").orElseThrow();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(stored.activeTasks()).containsExactly("t1");
        assertThat(memory.queryMeshPeers("swarm")).hasSize(1);
        memory.updatePeerLoad("p", 7);
        assertThat(memory.getPeerLoad("p")).hasValue(7);
        assertThat(memory.sharePeerState("p", state(List.of("t2"), 5))).isTrue();
        assertThat(memory.getPeerState("p").orElseThrow().activeTasks()).containsExactly("t2");
    }

    @Test
    void sharePeerState_withATaskIdOverTheDecodersStringLimit_isRefusedAtWrite() {
        assertRefusedAndHarmless(List.of("x".repeat((1 << 20) + 1)));
    }

    @Test
    void sharePeerState_withMoreActiveTasksThanTheDecoderReads_isRefusedAtWrite() {
        assertRefusedAndHarmless(Collections.nCopies((1 << 20) + 1, "t"));
    }
}
