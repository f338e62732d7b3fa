package io.github.hivemesh.placement;

import static io.github.hivemesh.internal.util.Preconditions.checkNotBlank;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An inverted index from capability to the nodes (agents, peers, workers) that have it.
 *
 * <h2>Lookup</h2>
 * A node matches a requirement when it has <em>every</em> required capability. The index keeps
 * one posting set per capability; {@link #nodesWithAll} walks only the smallest posting set
 * among the required capabilities and checks each of its nodes against that node's own
 * capability set. A lookup therefore costs O(|smallest posting set| × |required|) and never
 * visits a node that lacks the rarest required capability — no scan of all nodes.
 *
 * <h2>Thread-safety</h2>
 * Safe for concurrent use. All changes to one node (its capability set and its entries in the
 * posting sets) run inside {@code compute} on that node's key, so two updates of one node never
 * interleave. A lookup is lock-free and weakly consistent: it never returns a node that lacked a
 * required capability at the moment the node was checked, but it may miss a node being added
 * concurrently.
 */
public final class CapabilityIndex {

    private final ConcurrentHashMap<String, Set<String>> capabilitiesByNode =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> postings = new ConcurrentHashMap<>();
    /** Bumped by every change, so callers can cache a lookup until the index changes. */
    private final AtomicLong version = new AtomicLong();

    /** An empty index. */
    public CapabilityIndex() {
    }

    /**
     * Adds a node, or replaces its capabilities if it is already present.
     *
     * @param nodeId the node's id
     * @param capabilities the capabilities
     * @throws IllegalArgumentException if a capability is blank
     */
    public void put(String nodeId, Collection<String> capabilities) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(capabilities, "capabilities");
        Set<String> copy = new LinkedHashSet<>();
        for (String capability : capabilities) {
            copy.add(checkNotBlank("capability", capability));
        }
        Set<String> next = Set.copyOf(copy);
        capabilitiesByNode.compute(nodeId, (id, previous) -> {
            if (previous != null) {
                for (String capability : previous) {
                    if (!next.contains(capability)) {
                        unpost(capability, id);
                    }
                }
            }
            for (String capability : next) {
                post(capability, id);
            }
            return next;
        });
        version.incrementAndGet();
    }

    /**
     * {@return a number that changes whenever a node is added, changed or removed} It moves after
     * the change is applied, so a lookup made after reading version {@code v} holds for as long as
     * the version is still {@code v} (it may already show part of a change in progress, whose end
     * then moves the version). Read the version first, then look up.
     */
    public long version() {
        return version.get();
    }

    /**
     * Removes a node; false if it was not indexed.
     *
     * @param nodeId the node's id
     * @return whether the node was indexed
     */
    public boolean remove(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        boolean[] removed = new boolean[1];
        capabilitiesByNode.computeIfPresent(nodeId, (id, previous) -> {
            for (String capability : previous) {
                unpost(capability, id);
            }
            removed[0] = true;
            return null;
        });
        if (removed[0]) {
            version.incrementAndGet();
        }
        return removed[0];
    }

    private void post(String capability, String nodeId) {
        postings.compute(capability, (c, nodes) -> {
            Set<String> set = nodes != null ? nodes : ConcurrentHashMap.newKeySet();
            set.add(nodeId);
            return set;
        });
    }

    private void unpost(String capability, String nodeId) {
        // removing an emptied set inside compute cannot race with a concurrent post()
        postings.computeIfPresent(capability, (c, nodes) -> {
            nodes.remove(nodeId);
            return nodes.isEmpty() ? null : nodes;
        });
    }

    /**
     * {@return whether the node is indexed}
     *
     * @param nodeId the node's id
     */
    public boolean contains(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return capabilitiesByNode.containsKey(nodeId);
    }

    /**
     * {@return the node's capabilities (immutable), empty when it is not indexed}
     *
     * @param nodeId the node's id
     */
    public Set<String> capabilitiesOf(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return capabilitiesByNode.getOrDefault(nodeId, Set.of());
    }

    /** {@return number of indexed nodes} */
    public int size() {
        return capabilitiesByNode.size();
    }

    /**
     * {@return number of nodes having the capability, without copying them}
     *
     * @param capability the capability
     */
    public int countWith(String capability) {
        Objects.requireNonNull(capability, "capability");
        Set<String> nodes = postings.get(capability);
        return nodes == null ? 0 : nodes.size();
    }

    /**
     * {@return the capabilities of {@code required} that no indexed node has (in {@code required}'s
     * order): what a task nobody can run is missing} Empty when each is offered by some node, even
     * if no single node offers them all.
     *
     * @param required the required capabilities
     */
    public Set<String> missing(Collection<String> required) {
        Objects.requireNonNull(required, "required");
        Set<String> missing = new LinkedHashSet<>();
        for (String capability : required) {
            if (countWith(capability) == 0) {
                missing.add(capability);
            }
        }
        return missing;
    }

    /** {@return every indexed node (a snapshot, in no particular order)} */
    public List<String> nodes() {
        return new ArrayList<>(capabilitiesByNode.keySet());
    }

    /**
     * {@return nodes having the capability (a snapshot, in no particular order)}
     *
     * @param capability the capability
     */
    public List<String> nodesWith(String capability) {
        Objects.requireNonNull(capability, "capability");
        Set<String> nodes = postings.get(capability);
        return nodes == null ? new ArrayList<>() : new ArrayList<>(nodes);
    }

    /**
     * {@return nodes having every required capability (a snapshot, in no particular order); every
     * node when {@code required} is empty} Walks only the smallest posting set (see class docs).
     *
     * @param required the required capabilities
     */
    public List<String> nodesWithAll(Collection<String> required) {
        Objects.requireNonNull(required, "required");
        if (required.isEmpty()) {
            return nodes();
        }
        Set<String> smallest = null;
        for (String capability : required) {
            Set<String> nodes = postings.get(Objects.requireNonNull(capability,
                    "required contains null"));
            if (nodes == null) {
                return new ArrayList<>();
            }
            if (smallest == null || nodes.size() < smallest.size()) {
                smallest = nodes;
            }
        }
        List<String> matches = new ArrayList<>(smallest.size());
        for (String nodeId : smallest) {
            if (capabilitiesByNode.getOrDefault(nodeId, Set.of()).containsAll(required)) {
                matches.add(nodeId);
            }
        }
        return matches;
    }
}
