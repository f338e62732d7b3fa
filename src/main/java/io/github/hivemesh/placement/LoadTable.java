package io.github.hivemesh.placement;

import static io.github.hivemesh.internal.Preconditions.checkRange;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live load of each node: a non-negative {@code int} (no small encoding limit), plus the
 * load each node has carried over time ({@link #accumulatedLoad}, load × milliseconds, used by
 * {@link PlacementStrategy#LEAST_LOADED_FAIR} to break ties).
 *
 * <p>What a unit of load means is the owner's choice; the coordinators report the number of
 * unfinished tasks (queued + running) of each node.
 *
 * <p>Thread-safe: each node's entry is an immutable value replaced inside {@code compute}, so
 * concurrent updates of one node are applied one after the other and readers see a whole entry.
 */
public final class LoadTable {

    /** One node's load, and the load-time integral up to {@code sinceMillis}. */
    private record Entry(int load, double accumulated, long sinceMillis) {

        Entry at(long nowMillis, int newLoad) {
            return new Entry(newLoad, accumulatedAt(nowMillis), Math.max(sinceMillis, nowMillis));
        }

        double accumulatedAt(long nowMillis) {
            // a clock that stepped back adds nothing rather than a negative area
            return accumulated + (double) load * Math.max(0, nowMillis - sinceMillis);
        }
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** A table that measures accumulated load with the given clock. */
    public LoadTable(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Sets a node's load (adding the node if new); the load must be {@code >= 0}. */
    public void set(String nodeId, int load) {
        Objects.requireNonNull(nodeId, "nodeId");
        checkRange("load", load, 0, Integer.MAX_VALUE);
        long now = clock.millis();
        entries.compute(nodeId, (id, entry) ->
                entry == null ? new Entry(load, 0, now) : entry.at(now, load));
    }

    /**
     * Adds {@code delta} (may be negative) to a node's load, adding the node at 0 if new.
     *
     * @return the new load
     * @throws IllegalArgumentException if the load would become negative or overflow
     */
    public int add(String nodeId, int delta) {
        Objects.requireNonNull(nodeId, "nodeId");
        long now = clock.millis();
        Entry updated = entries.compute(nodeId, (id, entry) -> {
            Entry current = entry == null ? new Entry(0, 0, now) : entry;
            long next = (long) current.load() + delta;
            if (next < 0 || next > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("load of '" + id + "' must stay in [0, "
                        + Integer.MAX_VALUE + "], was " + current.load() + " + " + delta);
            }
            return current.at(now, (int) next);
        });
        return updated.load();
    }

    /** A node's load; 0 for a node not in the table. */
    public int get(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        Entry entry = entries.get(nodeId);
        return entry == null ? 0 : entry.load();
    }

    /** The load × milliseconds a node has carried since it entered the table; 0 if unknown. */
    public double accumulatedLoad(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        Entry entry = entries.get(nodeId);
        return entry == null ? 0 : entry.accumulatedAt(clock.millis());
    }

    /** Whether the node is in the table. */
    public boolean contains(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return entries.containsKey(nodeId);
    }

    /** Removes a node; false if it was not in the table. */
    public boolean remove(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return entries.remove(nodeId) != null;
    }

    /** Number of nodes in the table. */
    public int size() {
        return entries.size();
    }

    /** Every node's load, sorted by node id (an immutable snapshot). */
    public Map<String, Integer> snapshot() {
        Map<String, Integer> sorted = new TreeMap<>();
        entries.forEach((id, entry) -> sorted.put(id, entry.load()));
        return Collections.unmodifiableMap(sorted);
    }
}
