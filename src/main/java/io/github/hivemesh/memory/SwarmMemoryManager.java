package io.github.hivemesh.memory;

import static io.github.hivemesh.internal.util.Preconditions.checkNotBlank;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.ArtifactKeys;
import io.github.hivemesh.artifact.ArtifactStorage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default {@link ISwarmMemoryManager}.
 *
 * <h2>Entries</h2>
 * Held in this JVM, keyed by a sequence number, with an index per agent (the entries it owns or
 * that were shared with it), so a recall by agent walks only that agent's entries, newest first,
 * and stops at the limit. At most {@code maxEntries} are kept; remembering one more evicts the
 * oldest.
 *
 * <h2>Peer state</h2>
 * Stored through the {@link ArtifactStorage} as MessagePack ({@link PeerStateCodec}) under
 * {@code peer-state/<swarm>/<peer>} (ids encoded by {@link ArtifactKeys#segment}), so a durable
 * store keeps it across restarts and another manager on the same store sees it. Updates of one
 * peer are serialised by a striped lock, so a read-modify-write ({@link #updatePeerLoad}) never
 * loses a concurrent update made through this manager.
 *
 * <p>Thread-safe. A recall running while entries are remembered or shared is weakly consistent
 * (it may or may not include them).
 */
public final class SwarmMemoryManager implements ISwarmMemoryManager {

    /** Default number of entries kept. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private static final String PEER_STATE = "peer-state";
    private static final int STRIPES = 64;

    private final String swarmId;
    private final ArtifactStorage storage;
    private final Clock clock;
    private final int maxEntries;

    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentSkipListMap<Long, MemoryEntry> entries = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<String, Long> sequenceById = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, NavigableSet<Long>> byAgent = new ConcurrentHashMap<>();
    private final Object[] peerLocks = new Object[STRIPES];

    /**
     * A manager for {@code swarmId} keeping up to {@value #DEFAULT_MAX_ENTRIES} entries.
     *
     * @param swarmId the swarm's id
     * @param storage where entries and peer states are stored
     * @param clock the clock
     */
    public SwarmMemoryManager(String swarmId, ArtifactStorage storage, Clock clock) {
        this(swarmId, storage, clock, DEFAULT_MAX_ENTRIES);
    }

    /**
     * A manager keeping up to {@code maxEntries} entries, in [1, 100000000].
     *
     * @param swarmId the swarm's id
     * @param storage where entries and peer states are stored
     * @param clock the clock
     * @param maxEntries the most entries kept, in [1, 100000000]
     */
    public SwarmMemoryManager(String swarmId, ArtifactStorage storage, Clock clock,
            int maxEntries) {
        this.swarmId = checkNotBlank("swarmId", swarmId);
        this.storage = Objects.requireNonNull(storage, "storage");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxEntries = checkRange("maxEntries", maxEntries, 1, 100_000_000);
        for (int i = 0; i < STRIPES; i++) {
            peerLocks[i] = new Object();
        }
    }

    @Override
    public String swarmId() {
        return swarmId;
    }

    // ---- entries ------------------------------------------------------------------------

    @Override
    public String remember(String agentId, String type, Object content,
            Map<String, String> metadata) {
        checkNotBlank("agentId", agentId);
        checkNotBlank("type", type);
        Objects.requireNonNull(metadata, "metadata");
        long seq = sequence.incrementAndGet();
        MemoryEntry entry = new MemoryEntry("mem-" + seq, agentId, type, content, metadata,
                clock.instant(), Set.of());
        entries.put(seq, entry);
        sequenceById.put(entry.id(), seq);
        index(agentId, seq);
        while (entries.size() > maxEntries) {
            Map.Entry<Long, MemoryEntry> oldest = entries.pollFirstEntry();
            if (oldest != null) {
                unindex(oldest.getKey(), oldest.getValue());
            }
        }
        return entry.id();
    }

    private void index(String agentId, long seq) {
        byAgent.computeIfAbsent(agentId, a -> new ConcurrentSkipListSet<>()).add(seq);
    }

    private void unindex(long seq, MemoryEntry entry) {
        sequenceById.remove(entry.id());
        removeFromAgent(entry.agentId(), seq);
        for (String agent : entry.sharedWith()) {
            removeFromAgent(agent, seq);
        }
    }

    private void removeFromAgent(String agentId, long seq) {
        byAgent.computeIfPresent(agentId, (a, seqs) -> {
            seqs.remove(seq);
            return seqs.isEmpty() ? null : seqs;
        });
    }

    @Override
    public List<MemoryEntry> recall(SwarmMemoryQuery query) {
        Objects.requireNonNull(query, "query");
        Iterator<Long> newestFirst;
        if (query.agentId().isPresent()) {
            NavigableSet<Long> seqs = byAgent.get(query.agentId().get());
            if (seqs == null) {
                return List.of();
            }
            newestFirst = seqs.descendingIterator();
        } else {
            newestFirst = entries.descendingKeySet().iterator();
        }
        List<MemoryEntry> found = new ArrayList<>();
        while (newestFirst.hasNext() && found.size() < query.limit()) {
            MemoryEntry entry = entries.get(newestFirst.next());
            if (entry != null && query.matches(entry)) {
                found.add(entry);
            }
        }
        return Collections.unmodifiableList(found);
    }

    @Override
    public Optional<MemoryEntry> get(String entryId) {
        Objects.requireNonNull(entryId, "entryId");
        Long seq = sequenceById.get(entryId);
        return seq == null ? Optional.empty() : Optional.ofNullable(entries.get(seq));
    }

    @Override
    public void shareMemory(String entryId, String targetAgentId) {
        Objects.requireNonNull(entryId, "entryId");
        checkNotBlank("targetAgentId", targetAgentId);
        Long seq = sequenceById.get(entryId);
        MemoryEntry shared = seq == null ? null : entries.computeIfPresent(seq, (s, entry) -> {
            if (entry.isVisibleTo(targetAgentId)) {
                return entry;
            }
            Set<String> with = new HashSet<>(entry.sharedWith());
            with.add(targetAgentId);
            return new MemoryEntry(entry.id(), entry.agentId(), entry.type(), entry.content(),
                    entry.metadata(), entry.createdAt(), with);
        });
        if (shared == null) {
            throw new UnknownMemoryEntryException(entryId);
        }
        index(targetAgentId, seq);
    }

    /** {@return number of entries held} */
    public int size() {
        return entries.size();
    }

    // ---- peer state ---------------------------------------------------------------------

    @Override
    public boolean sharePeerState(String peerId, PeerState state) {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(state, "state");
        if (!state.peerId().equals(peerId)) {
            throw new IllegalArgumentException("state is of peer '" + state.peerId()
                    + "', not of '" + peerId + "'");
        }
        if (!state.swarmId().equals(swarmId)) {
            throw new IllegalArgumentException("state is of swarm '" + state.swarmId()
                    + "'; this memory serves swarm '" + swarmId + "'");
        }
        synchronized (lockOf(peerId)) {
            Optional<PeerState> stored = getPeerState(peerId);
            if (stored.isPresent() && stored.get().version() > state.version()) {
                return false;
            }
            storage.store(keyOf(swarmId, peerId), PeerStateCodec.INSTANCE.encode(state));
            return true;
        }
    }

    @Override
    public List<PeerState> queryMeshPeers(String swarm) {
        checkNotBlank("swarmId", swarm);
        List<PeerState> states = new ArrayList<>();
        for (String key : storage.list(prefixOf(swarm))) {
            storage.retrieve(key).ifPresent(bytes -> states.add(decode(key, bytes)));
        }
        return Collections.unmodifiableList(states);
    }

    @Override
    public Optional<PeerState> getPeerState(String peerId) {
        checkNotBlank("peerId", peerId);
        String key = keyOf(swarmId, peerId);
        return storage.retrieve(key).map(bytes -> decode(key, bytes));
    }

    /** Decodes a stored state; a failure names the artifact, so the bad file can be found. */
    private static PeerState decode(String key, byte[] bytes) {
        try {
            return PeerStateCodec.INSTANCE.decode(bytes);
        } catch (ArtifactFormatException e) {
            throw new ArtifactFormatException("artifact '" + key + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void updatePeerLoad(String peerId, int load) {
        checkNotBlank("peerId", peerId);
        checkRange("load", load, 0, Integer.MAX_VALUE);
        synchronized (lockOf(peerId)) {
            PeerState current = getPeerState(peerId)
                    .orElseGet(() -> PeerState.initial(peerId, swarmId, clock.instant()));
            storage.store(keyOf(swarmId, peerId),
                    PeerStateCodec.INSTANCE.encode(current.withLoad(load, clock.instant())));
        }
    }

    @Override
    public OptionalInt getPeerLoad(String peerId) {
        return getPeerState(peerId).map(state -> OptionalInt.of(state.load()))
                .orElse(OptionalInt.empty());
    }

    private Object lockOf(String peerId) {
        return peerLocks[Math.floorMod(peerId.hashCode(), STRIPES)];
    }

    private static String prefixOf(String swarm) {
        return PEER_STATE + "/" + ArtifactKeys.segment(swarm) + "/";
    }

    private static String keyOf(String swarm, String peerId) {
        return ArtifactKeys.key(PEER_STATE, ArtifactKeys.segment(swarm),
                ArtifactKeys.segment(peerId));
    }

    @Override
    public String toString() {
        return "SwarmMemoryManager[swarm=" + swarmId + ", entries=" + entries.size()
                + ", storage=" + storage + "]";
    }
}
