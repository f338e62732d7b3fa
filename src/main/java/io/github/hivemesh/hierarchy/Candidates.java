package io.github.hivemesh.hierarchy;

import io.github.hivemesh.placement.CandidateLoads;
import io.github.hivemesh.placement.PlacementStrategy;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A reusable list of candidates and their loads for one {@link PlacementStrategy} choice, so a
 * placement on the hot path allocates nothing. Not thread-safe: each actor owns its own.
 */
final class Candidates<T> implements CandidateLoads {

    private Object[] items = new Object[16];
    private int[] loads = new int[16];
    private int size;

    void clear() {
        // drop references so a removed worker or team is not kept alive by a scratch buffer
        Arrays.fill(items, 0, size, null);
        size = 0;
    }

    void add(T item, int load) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
            loads = Arrays.copyOf(loads, size * 2);
        }
        items[size] = item;
        loads[size] = load;
        size++;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int load(int index) {
        return loads[index];
    }

    /** The chosen candidate, or null when there is none; clears the list. */
    @SuppressWarnings("unchecked")
    T pick(PlacementStrategy strategy, RandomGenerator random) {
        int index = strategy.select(this, random);
        T chosen = index < 0 ? null : (T) items[index];
        clear();
        return chosen;
    }
}
