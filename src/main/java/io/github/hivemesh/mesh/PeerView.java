package io.github.hivemesh.mesh;

import io.github.hivemesh.placement.CapabilityIndex;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The remote peers one {@link PeerDiscoverySystem} knows, and the capability index of those
 * alive (plus the local peer, which the system indexes itself).
 *
 * <p>Thread-safe: every change to one peer runs inside {@code compute} on its entry and updates
 * the index there too, so a record and its index entry change together; reads are lock-free.
 */
final class PeerView {

    private final ConcurrentHashMap<String, PeerInfo> peers = new ConcurrentHashMap<>();
    private final CapabilityIndex index = new CapabilityIndex();
    private final Clock clock;
    private final PeerDiscoveryConfig config;
    private final DiscoveryCounters counters;
    private final BooleanSupplier accepting;

    /**
     * @param accepting whether records may be added now (false once discovery stopped, so a
     *                  message handled concurrently with the stop adds nothing)
     */
    PeerView(Clock clock, PeerDiscoveryConfig config, DiscoveryCounters counters,
            BooleanSupplier accepting) {
        this.clock = clock;
        this.config = config;
        this.counters = counters;
        this.accepting = accepting;
    }

    CapabilityIndex index() {
        return index;
    }

    /** Records what a message from {@code info}'s peer, sent at {@code sentAtMillis}, says. */
    void record(PeerInfo info, long sentAtMillis) {
        Instant now = clock.instant();
        peers.compute(info.peerId(), (id, known) -> {
            if (!accepting.getAsBoolean()) {
                return known;
            }
            PeerInfo latest = known == null || info.supersedes(known) ? info : known;
            PeerInfo updated = latest.seen(now, PeerStatus.ALIVE);
            if (known == null) {
                counters.discovered(now, now.toEpochMilli() - sentAtMillis);
            } else if (known.status() == PeerStatus.STALE) {
                counters.peersRecovered.increment();
            }
            if (known == null || known.status() == PeerStatus.STALE
                    || !known.capabilities().equals(updated.capabilities())) {
                index.put(id, updated.capabilities());
            }
            return updated;
        });
    }

    /** Removes a peer; false if it was not known. */
    boolean forget(String peerId) {
        boolean[] removed = new boolean[1];
        peers.computeIfPresent(peerId, (id, known) -> {
            index.remove(id);
            removed[0] = true;
            return null;
        });
        return removed[0];
    }

    /** Removes every peer; returns who they were. */
    List<String> forgetAll() {
        List<String> known = remotePeerIds();
        known.forEach(this::forget);
        return known;
    }

    /** Marks silent peers stale and forgets long-silent ones. */
    void sweep() {
        long now = clock.millis();
        long staleAfter = config.peerTimeout().toMillis();
        long evictAfter = config.evictionTimeout().toMillis();
        for (String peerId : peers.keySet()) {
            peers.computeIfPresent(peerId, (id, known) -> {
                long silence = now - known.lastSeen().toEpochMilli();
                if (silence > evictAfter) {
                    index.remove(id);
                    counters.peersEvicted.increment();
                    return null;
                }
                if (silence > staleAfter && known.status() == PeerStatus.ALIVE) {
                    index.remove(id);
                    return known.seen(known.lastSeen(), PeerStatus.STALE);
                }
                return known;
            });
        }
    }

    /** A remote peer as seen at {@code nowMillis} (status by elapsed silence), null if unknown. */
    PeerInfo current(String peerId, long nowMillis) {
        PeerInfo known = peers.get(peerId);
        if (known == null) {
            return null;
        }
        boolean silent = nowMillis - known.lastSeen().toEpochMilli()
                > config.peerTimeout().toMillis();
        return silent && known.status() == PeerStatus.ALIVE
                ? known.seen(known.lastSeen(), PeerStatus.STALE) : known;
    }

    /** Ids of the known remote peers (a snapshot). */
    List<String> remotePeerIds() {
        return new ArrayList<>(peers.keySet());
    }

    /** Known remote peers as seen now. */
    List<PeerInfo> remotePeers() {
        long now = clock.millis();
        List<PeerInfo> all = new ArrayList<>();
        for (String peerId : peers.keySet()) {
            PeerInfo info = current(peerId, now);
            if (info != null) {
                all.add(info);
            }
        }
        return all;
    }

    /** Ids in the index having every required capability (local peer included). */
    List<String> indexed(Collection<String> required) {
        return index.nodesWithAll(required);
    }

    /** Whether a remote peer was heard from within {@code timeoutMs}. */
    boolean heardWithin(String peerId, long timeoutMs) {
        PeerInfo known = peers.get(peerId);
        return known != null && clock.millis() - known.lastSeen().toEpochMilli() <= timeoutMs;
    }

    int size() {
        return peers.size();
    }
}
