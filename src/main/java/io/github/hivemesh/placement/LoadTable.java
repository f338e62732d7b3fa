package io.github.hivemesh.placement;

import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;

/**
 * The live load of each node: a non-negative {@code int} (no small encoding limit), plus the
 * load each node has carried over time ({@link #accumulatedLoad}, load × milliseconds, used by
 * {@link PlacementStrategy#LEAST_LOADED_FAIR} to break ties).
 *
 * <p>What a unit of load means is the owner's choice; the coordinators report the number of
 * unfinished tasks (queued + running) of each node. An owner that knows the tasks' cost
 * estimates also reports, per node, how many of those tasks carry one and the sum of their
 * estimates ({@link #addEstimated}); strategies then balance estimated work instead of counts
 * ({@link PlacementStrategy}).
 *
 * <p>Thread-safe: each node has one cell for as long as it is in the table, holding an immutable
 * entry that is replaced inside {@code compute}, so concurrent updates of one node are applied
 * one after the other and readers see a whole entry. A {@link Placer} keeps the cells of the
 * candidates it saw last and reads them without a map lookup until a node is added or removed.
 */
public final class LoadTable {

    /**
     * One node's load, the load-time integral up to {@code sinceMillis}, and how many of the
     * load's tasks carry a cost estimate ({@code estimatedTasks <= load}) with the sum of those
     * estimates ({@code estimatedWork}, 0 when {@code estimatedTasks} is 0).
     */
    record Entry(int load, double accumulated, long sinceMillis, int estimatedTasks,
            double estimatedWork) {

        Entry at(long nowMillis, int newLoad) {
            return at(nowMillis, newLoad, 0, 0);
        }

        Entry at(long nowMillis, int newLoad, int newEstimatedTasks, double newEstimatedWork) {
            return new Entry(newLoad, accumulatedAt(nowMillis), Math.max(sinceMillis, nowMillis),
                    newEstimatedTasks, newEstimatedWork);
        }

        double accumulatedAt(long nowMillis) {
            // a clock that stepped back adds nothing rather than a negative area
            return accumulated + (double) load * Math.max(0, nowMillis - sinceMillis);
        }
    }

    /** A node's place in the table: the same object from the node's first update to removal. */
    static final class Cell {
        volatile Entry entry;

        Cell(Entry entry) {
            this.entry = entry;
        }
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, Cell> cells = new ConcurrentHashMap<>();
    /** Bumped after a node's cell is created or removed (never before: see {@link #cell}). */
    private final AtomicLong membership = new AtomicLong();

    /**
     * A table that measures accumulated load with the given clock.
     *
     * @param clock the clock
     */
    public LoadTable(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sets a node's load (adding the node if new); the load must be {@code >= 0}. A count-only
     * report: the node's estimates are cleared (see {@link #set(String, int, int, double)}).
     *
     * @param nodeId the node's id
     * @param load the load
     */
    public void set(String nodeId, int load) {
        Objects.requireNonNull(nodeId, "nodeId");
        checkRange("load", load, 0, Integer.MAX_VALUE);
        apply(nodeId, (now, current) -> current.at(now, load));
    }

    /**
     * Sets a node's load and its estimates: {@code estimatedTasks} of the {@code load} tasks
     * carry a cost estimate, together {@code estimatedWork}.
     *
     * @param nodeId the node's id
     * @param load the load
     * @param estimatedTasks how many of the {@code load} tasks carry a cost estimate
     * @param estimatedWork the sum of those estimates
     * @throws IllegalArgumentException if {@code load < 0}, {@code estimatedTasks} is outside [0,
     *     load], or {@code estimatedWork} is negative, not finite, or not 0 when
     *     {@code estimatedTasks} is 0
     */
    public void set(String nodeId, int load, int estimatedTasks, double estimatedWork) {
        Objects.requireNonNull(nodeId, "nodeId");
        checkRange("load", load, 0, Integer.MAX_VALUE);
        checkRange("estimatedTasks", estimatedTasks, 0, load);
        checkRange("estimatedWork", estimatedWork, 0, estimatedTasks == 0 ? 0 : Double.MAX_VALUE);
        apply(nodeId, (now, current) -> current.at(now, load, estimatedTasks, estimatedWork));
    }

    /**
     * Adds {@code delta} (may be negative) to a node's load, adding the node at 0 if new.
     *
     * @param nodeId the node's id
     * @param delta the change
     * @return the new load
     * @throws IllegalArgumentException if the load would become negative or overflow
     */
    public int add(String nodeId, int delta) {
        Objects.requireNonNull(nodeId, "nodeId");
        return update(nodeId, current -> {
            long next = (long) current + delta;
            if (next < 0 || next > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("load of '" + nodeId + "' must stay in [0, "
                        + Integer.MAX_VALUE + "], was " + current + " + " + delta);
            }
            return (int) next;
        });
    }

    /**
     * Adds {@code delta} to the load of a node in the table; a node not in it (removed) is left
     * out, so a late adjustment for a node that has gone cannot bring it back.
     *
     * @param nodeId the node's id
     * @param delta the change
     * @return the new load, or -1 if the node is not in the table
     * @throws IllegalArgumentException if the load would become negative or overflow
     */
    public int addIfPresent(String nodeId, int delta) {
        Objects.requireNonNull(nodeId, "nodeId");
        long now = clock.millis();
        int[] load = {-1};
        cells.computeIfPresent(nodeId, (id, existing) -> {
            long next = (long) existing.entry.load() + delta;
            if (next < 0 || next > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("load of '" + nodeId + "' must stay in [0, "
                        + Integer.MAX_VALUE + "], was " + existing.entry.load() + " + " + delta);
            }
            existing.entry = existing.entry.at(now, (int) next);
            load[0] = (int) next;
            return existing;
        });
        return load[0];
    }

    /**
     * Adds {@code delta} tasks that carry cost estimates summing to {@code work} to a node
     * (negative both to take finished ones off), adding the node at 0 if new; the node's count
     * of unfinished tasks moves by {@code delta} too. When a node's last estimated task is taken
     * off, its estimated work is set to exactly 0 (no rounding residue is carried).
     *
     * @param nodeId the node's id
     * @param delta the change
     * @param work the summed cost estimates of those tasks (negative to take them off)
     * @return the new load
     * @throws IllegalArgumentException if {@code work} is not finite or its sign differs from
     *     {@code delta}'s, or the load, the estimated count or the estimated work would become
     *     negative or overflow
     */
    public int addEstimated(String nodeId, int delta, double work) {
        Objects.requireNonNull(nodeId, "nodeId");
        if (!Double.isFinite(work) || (delta > 0 ? work <= 0 : delta < 0 ? work >= 0 : work != 0)) {
            throw new IllegalArgumentException("work must be finite, with the sign of delta ("
                    + delta + "), was " + work);
        }
        return apply(nodeId, (now, current) -> {
            long load = (long) current.load() + delta;
            long estimated = (long) current.estimatedTasks() + delta;
            if (load < 0 || load > Integer.MAX_VALUE || estimated < 0 || estimated > load) {
                throw new IllegalArgumentException("estimated tasks of '" + nodeId
                        + "' must stay in [0, load], was " + current.estimatedTasks() + " + "
                        + delta + " of " + current.load() + " + " + delta);
            }
            // the sum of removals may differ from the sum of additions in the last bits
            double sum = estimated == 0 ? 0 : Math.max(0, current.estimatedWork() + work);
            return current.at(now, (int) load, (int) estimated, sum);
        }).load();
    }

    private int update(String nodeId, IntUnaryOperator next) {
        return apply(nodeId, (now, current) -> {
            int load = next.applyAsInt(current.load());
            // tasks taken off count-only are taken off the unestimated ones first
            int estimated = Math.min(current.estimatedTasks(), load);
            return estimated == 0 ? current.at(now, load)
                    : current.at(now, load, estimated, current.estimatedWork());
        }).load();
    }

    /** How an entry changes at a time. */
    private interface Change {
        Entry apply(long nowMillis, Entry current);
    }

    private Entry apply(String nodeId, Change change) {
        long now = clock.millis();
        boolean[] created = new boolean[1];
        // this call's own entry: reading the cell after compute could see a later update
        Entry[] updated = new Entry[1];
        cells.compute(nodeId, (id, existing) -> {
            Entry current = existing == null ? new Entry(0, 0, now, 0, 0) : existing.entry;
            updated[0] = change.apply(now, current);
            if (existing == null) {
                created[0] = true;
                return new Cell(updated[0]);
            }
            existing.entry = updated[0];
            return existing;
        });
        if (created[0]) {
            membership.incrementAndGet();
        }
        return updated[0];
    }

    /**
     * {@return a node's load; 0 for a node not in the table}
     *
     * @param nodeId the node's id
     */
    public int get(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        Cell cell = cells.get(nodeId);
        return cell == null ? 0 : cell.entry.load();
    }

    /**
     * {@return how many of a node's unfinished tasks carry a cost estimate; 0 for an unknown node}
     *
     * @param nodeId the node's id
     */
    public int estimatedTasks(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        Cell cell = cells.get(nodeId);
        return cell == null ? 0 : cell.entry.estimatedTasks();
    }

    /**
     * {@return the sum of the cost estimates of a node's unfinished tasks; 0 for an unknown node}
     *
     * @param nodeId the node's id
     */
    public double estimatedWork(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        Cell cell = cells.get(nodeId);
        return cell == null ? 0 : cell.entry.estimatedWork();
    }

    /**
     * {@return the load × milliseconds a node has carried since it entered the table; 0 if unknown}
     *
     * @param nodeId the node's id
     */
    public double accumulatedLoad(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        Cell cell = cells.get(nodeId);
        return cell == null ? 0 : cell.entry.accumulatedAt(clock.millis());
    }

    /**
     * {@return whether the node is in the table}
     *
     * @param nodeId the node's id
     */
    public boolean contains(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return cells.containsKey(nodeId);
    }

    /**
     * Removes a node; false if it was not in the table.
     *
     * @param nodeId the node's id
     * @return whether the node was in the table
     */
    public boolean remove(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        boolean removed = cells.remove(nodeId) != null;
        if (removed) {
            membership.incrementAndGet();
        }
        return removed;
    }

    /** {@return number of nodes in the table} */
    public int size() {
        return cells.size();
    }

    /** {@return every node's load, sorted by node id (an immutable snapshot)} */
    public Map<String, Integer> snapshot() {
        Map<String, Integer> sorted = new TreeMap<>();
        cells.forEach((id, cell) -> sorted.put(id, cell.entry.load()));
        return Collections.unmodifiableMap(sorted);
    }

    /**
     * The node's cell, or null if it is not in the table. A cell found (or not found) after
     * reading {@link #membership()} stays right while the membership is unchanged: the number
     * moves only after a cell is created or removed.
     */
    Cell cell(String nodeId) {
        return cells.get(nodeId);
    }

    /** The number of node additions and removals so far. */
    long membership() {
        return membership.get();
    }

    /** Now, by this table's clock. */
    long millis() {
        return clock.millis();
    }
}
