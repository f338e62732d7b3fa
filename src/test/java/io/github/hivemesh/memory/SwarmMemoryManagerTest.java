package io.github.hivemesh.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.artifact.ArtifactCorruptedException;
import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.FileArtifactStorage;
import io.github.hivemesh.artifact.InMemoryArtifactStorage;
import io.github.hivemesh.testing.BadValue;
import io.github.hivemesh.testing.VirtualTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class SwarmMemoryManagerTest {

    private final VirtualTime time = new VirtualTime();
    private final InMemoryArtifactStorage storage = new InMemoryArtifactStorage();
    private final SwarmMemoryManager memory = new SwarmMemoryManager("swarm-1", storage,
            time.clock());

    private List<String> ids(List<MemoryEntry> entries) {
        return entries.stream().map(MemoryEntry::id).toList();
    }

    @Test
    void recall_byAgent_returnsOnlyThatAgentsEntriesNewestFirst() {
        String a1 = memory.remember("alice", "finding", "x", Map.of());
        String b1 = memory.remember("bob", "finding", "y", Map.of());
        String a2 = memory.remember("alice", "note", "z", Map.of("k", "v"));

        assertThat(ids(memory.recall(SwarmMemoryQuery.builder().agentId("alice").build())))
                .containsExactly(a2, a1);
        assertThat(ids(memory.recall(SwarmMemoryQuery.builder().agentId("bob").build())))
                .containsExactly(b1);
        assertThat(memory.recall(SwarmMemoryQuery.builder().agentId("carol").build())).isEmpty();
        assertThat(memory.get(a2)).hasValueSatisfying(e -> {
            assertThat(e.content()).isEqualTo("z");
            assertThat(e.metadata()).containsEntry("k", "v");
        });
    }

    @Test
    void recall_byType_filtersAcrossAgents() {
        String f1 = memory.remember("alice", "finding", 1, Map.of());
        memory.remember("bob", "note", 2, Map.of());
        String f2 = memory.remember("bob", "finding", 3, Map.of());

        assertThat(ids(memory.recall(SwarmMemoryQuery.builder().type("finding").build())))
                .containsExactly(f2, f1);
        assertThat(ids(memory.recall(SwarmMemoryQuery.builder().agentId("bob").type("finding")
                .build()))).containsExactly(f2);
    }

    @Test
    void recall_byTimeRange_includesFromAndExcludesTo() {
        Instant start = time.now();
        String early = memory.remember("alice", "t", "early", Map.of());
        time.advance(Duration.ofSeconds(10));
        String middle = memory.remember("alice", "t", "middle", Map.of());
        time.advance(Duration.ofSeconds(10));
        memory.remember("alice", "t", "late", Map.of());

        assertThat(ids(memory.recall(SwarmMemoryQuery.builder()
                .from(start.plusSeconds(10)).to(start.plusSeconds(20)).build())))
                .containsExactly(middle);
        assertThat(ids(memory.recall(SwarmMemoryQuery.builder().agentId("alice")
                .to(start.plusSeconds(10)).build()))).containsExactly(early);
    }

    @Test
    void recall_limit_keepsTheNewest() {
        for (int i = 0; i < 10; i++) {
            memory.remember("alice", "t", i, Map.of());
        }

        List<MemoryEntry> newest = memory.recall(SwarmMemoryQuery.builder().limit(3).build());

        assertThat(newest).extracting(MemoryEntry::content).containsExactly(9, 8, 7);
    }

    @Test
    void shareMemory_makesTheEntryRecallableByTheTarget() {
        String id = memory.remember("alice", "finding", "secret", Map.of());

        memory.shareMemory(id, "bob");
        memory.shareMemory(id, "bob");

        assertThat(ids(memory.recall(SwarmMemoryQuery.builder().agentId("bob").build())))
                .containsExactly(id);
        assertThat(memory.get(id).orElseThrow().sharedWith()).containsExactly("bob");
        assertThat(ids(memory.recall(SwarmMemoryQuery.builder().agentId("alice").build())))
                .containsExactly(id);
    }

    @Test
    void shareMemory_unknownEntry_throwsNamingIt() {
        assertThatThrownBy(() -> memory.shareMemory("mem-404", "bob"))
                .isInstanceOf(UnknownMemoryEntryException.class)
                .hasMessage("unknown memory entry 'mem-404' (never remembered, or evicted)")
                .extracting(e -> ((UnknownMemoryEntryException) e).entryId()).isEqualTo("mem-404");
    }

    @Test
    void remember_beyondMaxEntries_evictsTheOldest() {
        SwarmMemoryManager small = new SwarmMemoryManager("s", storage, time.clock(), 2);
        String first = small.remember("alice", "t", 1, Map.of());
        String second = small.remember("bob", "t", 2, Map.of());
        small.shareMemory(first, "carol");
        String third = small.remember("alice", "t", 3, Map.of());

        assertThat(small.size()).isEqualTo(2);
        assertThat(small.get(first)).isEmpty();
        assertThat(ids(small.recall(SwarmMemoryQuery.builder().build())))
                .containsExactly(third, second);
        assertThat(small.recall(SwarmMemoryQuery.builder().agentId("carol").build())).isEmpty();
    }

    @Test
    void query_badValues_failAtBuildNamingTheField() {
        assertThatThrownBy(() -> SwarmMemoryQuery.builder().limit(0).build())
                .hasMessage("limit must be in [1, 100000], was 0");
        assertThatThrownBy(() -> SwarmMemoryQuery.builder().from(Instant.EPOCH.plusSeconds(1))
                .to(Instant.EPOCH).build()).hasMessageStartingWith("to must not be before from");
        assertThatThrownBy(() -> SwarmMemoryQuery.builder().agentId(" ").build())
                .hasMessage("agentId must not be blank");
        assertThatThrownBy(() -> SwarmMemoryQuery.builder().type("").build())
                .hasMessage("type must not be blank");
        assertThat(SwarmMemoryQuery.builder().type("t").build().toString()).contains("type=t");
    }

    @Test
    void nullAndBlankArguments_areRejected() {
        assertThatThrownBy(() -> memory.remember(null, "t", 1, Map.of())).hasMessage("agentId");
        assertThatThrownBy(() -> memory.remember("a", "t", 1, null)).hasMessage("metadata");
        assertThatThrownBy(() -> memory.recall(null)).hasMessage("query");
        assertThatThrownBy(() -> memory.shareMemory(null, "b")).hasMessage("entryId");
        assertThatThrownBy(() -> memory.sharePeerState("p", null)).hasMessage("state");
        assertThatThrownBy(() -> new SwarmMemoryManager("s", null, time.clock()))
                .hasMessage("storage");
    }

    // ---- peer state ---------------------------------------------------------------------

    private PeerState state(String peer, int load, long version) {
        return new PeerState(peer, "swarm-1", load, List.of("t1", "t2"),
                Map.of("completed", 12L), time.now(), version);
    }

    @Test
    void sharePeerState_roundTripsThroughTheArtifactStore() {
        PeerState state = state("peer-a", 3, 1);

        assertThat(memory.sharePeerState("peer-a", state)).isTrue();

        assertThat(memory.getPeerState("peer-a")).contains(state);
        assertThat(storage.list("peer-state/")).containsExactly("peer-state/swarm-1/peer-a");
        assertThat(memory.getPeerLoad("peer-a")).isEqualTo(OptionalInt.of(3));
        assertThat(memory.getPeerLoad("nobody")).isEmpty();
    }

    /** Regression (issue 13.5): a legal state the decoder rejected poisoned its peer for good. */
    @Test
    void sharePeerState_stateAReaderWouldReject_isRefusedAtWrite_andThePreviousStateStays() {
        PeerState good = new PeerState("p", "swarm-1", 1, List.of("t1"), Map.of(),
                time.clock().instant(), 1);
        memory.sharePeerState("p", good);
        String huge = "x".repeat(io.github.hivemesh.artifact.DecodeLimits.DEFAULT_MAX_STRING_BYTES
                + 1);
        PeerState poisoned = new PeerState("p", "swarm-1", 2, List.of(huge), Map.of(),
                time.clock().instant(), 2);

        assertThatThrownBy(() -> memory.sharePeerState("p", poisoned))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("DecodeLimits.maxStringBytes");
        assertThat(memory.getPeerState("p")).hasValue(good);
        memory.updatePeerLoad("p", 3);
        assertThat(memory.getPeerLoad("p")).hasValue(3);
    }

    @Test
    void sharePeerState_moreEntriesThanAReaderTakes_isRefusedAtWrite() {
        List<String> many = java.util.Collections.nCopies(
                io.github.hivemesh.artifact.DecodeLimits.DEFAULT_MAX_ENTRIES + 1, "t");
        PeerState state = new PeerState("p", "swarm-1", 1, many, Map.of(),
                time.clock().instant(), 1);

        assertThatThrownBy(() -> memory.sharePeerState("p", state))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("DecodeLimits.maxEntries");
        assertThat(memory.getPeerState("p")).isEmpty();
    }

    @Test
    void sharePeerState_olderVersion_isIgnored() {
        memory.sharePeerState("peer-a", state("peer-a", 5, 7));

        assertThat(memory.sharePeerState("peer-a", state("peer-a", 1, 6))).isFalse();
        assertThat(memory.sharePeerState("peer-a", state("peer-a", 2, 7))).isTrue();

        assertThat(memory.getPeerLoad("peer-a")).isEqualTo(OptionalInt.of(2));
    }

    @Test
    void sharePeerState_ofAnotherPeerOrSwarm_isRejected() {
        assertThatThrownBy(() -> memory.sharePeerState("peer-b", state("peer-a", 1, 1)))
                .hasMessage("state is of peer 'peer-a', not of 'peer-b'");
        PeerState foreign = new PeerState("p", "other", 0, List.of(), Map.of(), time.now(), 0);
        assertThatThrownBy(() -> memory.sharePeerState("p", foreign))
                .hasMessage("state is of swarm 'other'; this memory serves swarm 'swarm-1'");
    }

    @Test
    void updatePeerLoad_createsThenAdvancesTheStoredState() {
        memory.updatePeerLoad("peer-a", 4);
        time.advance(Duration.ofSeconds(1));
        memory.updatePeerLoad("peer-a", 70_000);

        PeerState stored = memory.getPeerState("peer-a").orElseThrow();
        assertThat(stored.load()).isEqualTo(70_000);
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.updatedAt()).isEqualTo(time.now());
        assertThatThrownBy(() -> memory.updatePeerLoad("peer-a", -1))
                .hasMessage("load must be in [0, 2147483647], was -1");
    }

    @Test
    void queryMeshPeers_returnsEveryPeerOfThatSwarmOnly() {
        memory.sharePeerState("Peer A/1", state("Peer A/1", 1, 0));
        memory.updatePeerLoad("peer-b", 2);
        SwarmMemoryManager other = new SwarmMemoryManager("swarm-2", storage, time.clock());
        other.updatePeerLoad("peer-c", 9);

        assertThat(memory.queryMeshPeers("swarm-1")).extracting(PeerState::peerId)
                .containsExactlyInAnyOrder("Peer A/1", "peer-b");
        assertThat(memory.queryMeshPeers("swarm-2")).extracting(PeerState::load).containsExactly(9);
        assertThat(memory.queryMeshPeers("empty")).isEmpty();
        assertThat(memory.swarmId()).isEqualTo("swarm-1");
        assertThat(memory.toString()).contains("swarm-1");
    }

    @Test
    void peerState_survivesANewManagerOnTheSameDirectory(@TempDir Path dir) {
        new SwarmMemoryManager("swarm-1", new FileArtifactStorage(dir), time.clock())
                .sharePeerState("peer-a", state("peer-a", 8, 3));

        SwarmMemoryManager reopened = new SwarmMemoryManager("swarm-1",
                new FileArtifactStorage(dir), time.clock());

        assertThat(reopened.getPeerState("peer-a")).contains(state("peer-a", 8, 3));
    }

    @Test
    void storedStateThatDoesNotDecode_isAFormatErrorNamingTheArtifact() {
        storage.store("peer-state/swarm-1/peer-a", new byte[] {(byte) 0xc1});

        assertThatThrownBy(() -> memory.getPeerState("peer-a"))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageStartingWith("artifact 'peer-state/swarm-1/peer-a': malformed"
                        + " hivemesh.PeerState")
                .hasCauseInstanceOf(ArtifactFormatException.class);
        assertThatThrownBy(() -> memory.queryMeshPeers("swarm-1"))
                .hasMessageStartingWith("artifact 'peer-state/swarm-1/peer-a'");
    }

    @Test
    void corruptedStateFile_isReportedCorrupted_neverReturnedAsAState(@TempDir Path dir)
            throws IOException {
        SwarmMemoryManager onDisk = new SwarmMemoryManager("swarm-1",
                new FileArtifactStorage(dir), time.clock());
        onDisk.sharePeerState("peer-a", state("peer-a", 8, 3));
        Path file = dir.resolve("peer-state~swarm-1~peer-a" + FileArtifactStorage.SUFFIX);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x40;
        Files.write(file, bytes);

        assertThatThrownBy(() -> onDisk.getPeerState("peer-a"))
                .isInstanceOf(ArtifactCorruptedException.class)
                .hasMessageStartingWith("artifact 'peer-state/swarm-1/peer-a' is corrupted:"
                        + " checksum mismatch");
        assertThatThrownBy(() -> onDisk.queryMeshPeers("swarm-1"))
                .isInstanceOf(ArtifactCorruptedException.class);
    }

    @Test
    void concurrentUpdatesOfOnePeer_loseNone() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        memory.updatePeerLoad("shared", thread * 100 + i);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(memory.getPeerState("shared").orElseThrow().version()).isEqualTo(200);
    }

    static List<BadValue<SwarmMemoryQuery.Builder>> badQueryValues() {
        return List.of(
                BadValue.of("limit", 0, SwarmMemoryQuery.Builder::limit),
                BadValue.of("limit", SwarmMemoryQuery.MAX_LIMIT + 1,
                        SwarmMemoryQuery.Builder::limit));
    }

    @TestFactory
    Stream<DynamicTest> query_rejectsEachBadValue_namingFieldValueAndRange() {
        return BadValue.rejectedAtBuild(SwarmMemoryQuery::builder, SwarmMemoryQuery.Builder::build,
                badQueryValues());
    }
}
