package io.github.hivemesh.placement;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Answers derived from a {@link CapabilityIndex} lookup — the capable nodes themselves, whether
 * there are any, the teams they belong to — remembered per requirement until the index changes.
 * Placement asks the same few requirements over and over between membership changes, so most
 * questions cost a hash lookup instead of an index walk.
 *
 * <h2>Staleness</h2>
 * An answer is kept with the index {@linkplain CapabilityIndex#version() version} read
 * <em>before</em> its lookup, and served only while the version is still that one. A change the
 * lookup missed moves the version after that read, so such an answer is never served again;
 * an answer served is therefore exactly as fresh as a lookup made at the same moment.
 *
 * <p>Thread-safe. The derived values are shared between callers: make them immutable (or
 * treat them as read-only). Requirement sets are used as keys and must not change — a task's
 * required capabilities never do. At most {@code capacity} requirements are remembered;
 * beyond that the cache starts over.
 *
 * @param <T> what is derived from the capable nodes
 */
public final class CapabilityCache<T> {

    private final CapabilityIndex index;
    private final int capacity;
    private final Function<List<String>, T> derive;
    private final ConcurrentHashMap<Set<String>, Entry<T>> entries = new ConcurrentHashMap<>();

    /**
     * A cache over {@code index}.
     *
     * @param index the position, from 0
     * @param capacity how many requirements to remember, at least 1
     * @param derive   the answer for the ids of the nodes having every required capability (in the
     *     index's order); called without a lock, possibly concurrently
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public CapabilityCache(CapabilityIndex index, int capacity, Function<List<String>, T> derive) {
        this.index = Objects.requireNonNull(index, "index");
        this.derive = Objects.requireNonNull(derive, "derive");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * The answer for {@code required}, derived now or remembered from a lookup at the current
     * index version.
     *
     * @param required capabilities a node must all have (an unchanging set)
     * @return what {@code derive} made of the capable nodes
     */
    public T get(Set<String> required) {
        Objects.requireNonNull(required, "required");
        long version = index.version();
        Entry<T> cached = entries.get(required);
        if (cached != null && cached.version == version) {
            return cached.value;
        }
        T value = derive.apply(index.nodesWithAll(required));
        if (entries.size() >= capacity) {
            entries.clear();
        }
        entries.put(required, new Entry<>(version, value));
        return value;
    }

    /** {@return the index version the answers are served for (the index's own)} */
    public long version() {
        return index.version();
    }

    private record Entry<T>(long version, T value) {
    }
}
