package io.github.hivemesh.memory;

import static io.github.hivemesh.internal.util.Preconditions.checkNoNulls;
import static io.github.hivemesh.internal.util.Preconditions.checkNotBlank;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one peer shares about itself: its load, the tasks it is running and has queued, and its
 * counters. Immutable. Peers exchange it as a MessagePack artifact ({@link PeerStateCodec}); a
 * newer {@link #version()} supersedes an older one, so views of a peer converge whatever order
 * updates arrive in.
 *
 * <h2>Staleness</h2>
 * A mesh peer publishes its state when it is spawned and then within 200 ms of a change (its
 * busy/idle transitions, coalesced), so a state read from the swarm memory may lag the peer by
 * up to that long — a view for monitoring and placement hints, not a lock. It lists at most
 * 1,024 task ids (running first, then queued); {@link #load()} counts them all.
 *
 * <p>It lives in {@code memory}, below {@code mesh}, because the swarm memory stores and
 * queries it ({@link ISwarmMemoryManager#sharePeerState}) and {@code memory} may not import the
 * coordinators.
 *
 * @param peerId      the peer
 * @param swarmId     the swarm it belongs to
 * @param load        its load (unfinished tasks), {@code >= 0}, any {@code int}
 * @param activeTasks ids of the tasks it is running, then those it has queued (at most 1,024)
 * @param metrics     named counters (tasks completed, tokens used...), in insertion order
 * @param updatedAt   when the peer produced this state
 * @param version     increases with every change made by the peer, {@code >= 0}
 */
public record PeerState(String peerId, String swarmId, int load, List<String> activeTasks,
        Map<String, Long> metrics, Instant updatedAt, long version) {

    /**
     * Validates and copies.
     *
     * @param peerId the peer
     * @param swarmId the swarm it belongs to
     * @param load its load (unfinished tasks), {@code >= 0}, any {@code int}
     * @param activeTasks ids of the tasks it is running, then those it has queued (at most 1,024)
     * @param metrics named counters (tasks completed, tokens used...), in insertion order
     * @param updatedAt when the peer produced this state
     * @param version increases with every change made by the peer, {@code >= 0}
     */
    public PeerState {
        checkNotBlank("peerId", peerId);
        checkNotBlank("swarmId", swarmId);
        checkRange("load", load, 0, Integer.MAX_VALUE);
        activeTasks = List.copyOf(checkNoNulls("activeTasks", activeTasks));
        Objects.requireNonNull(metrics, "metrics");
        Map<String, Long> copy = new LinkedHashMap<>();
        metrics.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "metric name"),
                Objects.requireNonNull(value, "metric value")));
        metrics = Collections.unmodifiableMap(copy);
        Objects.requireNonNull(updatedAt, "updatedAt");
        checkRange("version", version, 0, Long.MAX_VALUE);
    }

    /**
     * {@return an idle peer's first state: load 0, no tasks, no metrics, version 0}
     *
     * @param peerId the peer
     * @param swarmId the swarm it belongs to
     * @param now its timestamp
     */
    public static PeerState initial(String peerId, String swarmId, Instant now) {
        Objects.requireNonNull(now, "now");
        return new PeerState(peerId, swarmId, 0, List.of(), Map.of(), now, 0);
    }

    /**
     * {@return this state with another load, stamped {@code now}, one version later}
     *
     * @param newLoad the new load
     * @param now the new timestamp
     */
    public PeerState withLoad(int newLoad, Instant now) {
        Objects.requireNonNull(now, "now");
        return new PeerState(peerId, swarmId, newLoad, activeTasks, metrics, now, version + 1);
    }
}
