package io.github.hivemesh.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Capability-aware placement: finds the nodes having every required capability through a
 * {@link CapabilityIndex} and picks one of them with a {@link PlacementStrategy} over a
 * {@link LoadTable}. The mesh's load balancer chooses through one; an application can place
 * over its own index and table the same way.
 *
 * <pre>{@code
 * Placer placer = new Placer(index, loads, PlacementStrategy.LEAST_LOADED, new SplittableRandom(42));
 * Optional<String> worker = placer.place(task.requiredCapabilities());
 * }</pre>
 *
 * <p>Thread-safe: the index and the table are; the random generator is used under a lock of
 * this placer, so a seeded, non-thread-safe generator can be shared by many callers.
 */
public final class Placer {

    private final CapabilityIndex index;
    private final LoadTable loads;
    private final PlacementStrategy strategy;
    private final RandomGenerator random;
    private final Object randomLock = new Object();
    private final Snapshot snapshot = new Snapshot();

    /**
     * A placer over the given index and table.
     *
     * @param index the position, from 0
     * @param loads the nodes' loads
     * @param strategy the strategy this placer uses
     * @param random the source of random choices
     */
    public Placer(CapabilityIndex index, LoadTable loads, PlacementStrategy strategy,
            RandomGenerator random) {
        this.index = Objects.requireNonNull(index, "index");
        this.loads = Objects.requireNonNull(loads, "loads");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** {@return the strategy this placer uses} */
    public PlacementStrategy strategy() {
        return strategy;
    }

    /**
     * {@return a node having every required capability, or empty when none has them}
     *
     * @param requiredCapabilities the capabilities the node must all have
     */
    public Optional<String> place(Collection<String> requiredCapabilities) {
        Objects.requireNonNull(requiredCapabilities, "requiredCapabilities");
        return choose(index.nodesWithAll(requiredCapabilities));
    }

    /**
     * {@return a node having every required capability and accepted by {@code eligible} (e.g.
     * alive, not paused), or empty when there is none}
     *
     * @param requiredCapabilities the capabilities the node must all have
     * @param eligible accepts the node ids that may take work now
     */
    public Optional<String> place(Collection<String> requiredCapabilities,
            Predicate<String> eligible) {
        Objects.requireNonNull(requiredCapabilities, "requiredCapabilities");
        Objects.requireNonNull(eligible, "eligible");
        List<String> capable = index.nodesWithAll(requiredCapabilities);
        List<String> candidates = new ArrayList<>(capable.size());
        for (String node : capable) {
            if (eligible.test(node)) {
                candidates.add(node);
            }
        }
        return choose(candidates);
    }

    /**
     * {@return one of the given candidates by the strategy, or empty when there are none} The list
     * is read, not copied: it must not change during the call (pass a copy of a list other threads
     * change), and should be random-access (a {@code LinkedList} costs a walk per element).
     *
     * @param candidates the candidates
     * @throws NullPointerException if the list or any element is null
     */
    public Optional<String> choose(List<String> candidates) {
        Objects.requireNonNull(candidates, "candidates");
        synchronized (randomLock) {
            Snapshot read = snapshot.of(candidates);
            int index = strategy.select(read, random);
            // the id read with its load, not a second read of the list
            return index < 0 ? Optional.empty() : Optional.of(read.idAt[index]);
        }
    }

    /**
     * The candidates' loads read once, into arrays reused from choice to choice (guarded by the
     * placer's lock): placing a task among a thousand candidates allocates nothing here. The
     * table cell of each position is kept with the id it was looked up for; while the same id
     * object comes back at that position and no node joined or left the table, the load is
     * read from the cell without a map lookup.
     */
    private final class Snapshot implements CandidateLoads {
        private int size;
        private int[] loadOf = new int[16];
        private double[] accumulatedOf = new double[16];
        private int[] estimatedTasksOf = new int[16];
        private double[] estimatedWorkOf = new double[16];
        private boolean anyEstimates;
        private String[] idAt = new String[16];
        private LoadTable.Cell[] cellAt = new LoadTable.Cell[16];
        private long membership = -1;

        Snapshot of(List<String> candidates) {
            size = candidates.size();
            if (loadOf.length < size) {
                int capacity = Math.max(size, 2 * loadOf.length);
                loadOf = new int[capacity];
                accumulatedOf = new double[capacity];
                estimatedTasksOf = new int[capacity];
                estimatedWorkOf = new double[capacity];
                idAt = Arrays.copyOf(idAt, capacity);
                cellAt = Arrays.copyOf(cellAt, capacity);
            }
            long current = loads.membership();
            if (current != membership) {
                Arrays.fill(idAt, null);
                membership = current;
            }
            boolean fair = strategy == PlacementStrategy.LEAST_LOADED_FAIR;
            long now = fair ? loads.millis() : 0;
            boolean any = false;
            for (int i = 0; i < size; i++) {
                String id = Objects.requireNonNull(candidates.get(i), "candidates contains null");
                if (id != idAt[i]) {
                    cellAt[i] = loads.cell(id);
                    idAt[i] = id;
                }
                LoadTable.Cell cell = cellAt[i];
                LoadTable.Entry entry = cell == null ? null : cell.entry;
                loadOf[i] = entry == null ? 0 : entry.load();
                accumulatedOf[i] = entry == null || !fair ? 0 : entry.accumulatedAt(now);
                int estimated = entry == null ? 0 : entry.estimatedTasks();
                estimatedTasksOf[i] = estimated;
                estimatedWorkOf[i] = estimated == 0 ? 0 : entry.estimatedWork();
                any |= estimated > 0;
            }
            anyEstimates = any;
            return this;
        }

        @Override
        public int estimatedTasks(int index) {
            return estimatedTasksOf[index];
        }

        @Override
        public double estimatedWork(int index) {
            return estimatedWorkOf[index];
        }

        @Override
        public boolean hasEstimates() {
            return anyEstimates;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int load(int index) {
            return loadOf[index];
        }

        @Override
        public double accumulatedLoad(int index) {
            return accumulatedOf[index];
        }
    }
}
