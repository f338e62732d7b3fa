package io.github.hivemesh.mesh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A snapshot of how load is spread over the peers; immutable. Variance and standard deviation are of the
 * population (all peers). A peer is <em>overloaded</em> above {@code average × overloadThreshold}
 * and <em>underloaded</em> below {@code average × underloadThreshold}; with an average of 0
 * nobody is either.
 *
 * @param average           mean load
 * @param min               least load (0 without peers)
 * @param max               greatest load (0 without peers)
 * @param standardDeviation population standard deviation
 * @param variance          population variance
 * @param loadByPeer        every peer's load, sorted by peer id
 * @param overloadedPeers   overloaded peers, most loaded first
 * @param underloadedPeers  underloaded peers, least loaded first
 */
public record LoadDistribution(double average, int min, int max, double standardDeviation,
        double variance, Map<String, Integer> loadByPeer, List<String> overloadedPeers,
        List<String> underloadedPeers) {

    /**
     * Copies the collections.
     *
     * @param average mean load
     * @param min least load (0 without peers)
     * @param max greatest load (0 without peers)
     * @param standardDeviation population standard deviation
     * @param variance population variance
     * @param loadByPeer every peer's load, sorted by peer id
     * @param overloadedPeers overloaded peers, most loaded first
     * @param underloadedPeers underloaded peers, least loaded first
     */
    public LoadDistribution {
        Objects.requireNonNull(loadByPeer, "loadByPeer");
        Objects.requireNonNull(overloadedPeers, "overloadedPeers");
        Objects.requireNonNull(underloadedPeers, "underloadedPeers");
        loadByPeer = Collections.unmodifiableMap(new TreeMap<>(loadByPeer));
        overloadedPeers = List.copyOf(overloadedPeers);
        underloadedPeers = List.copyOf(underloadedPeers);
    }

    /** Computes the distribution of {@code loads} with the given thresholds. */
    static LoadDistribution of(Map<String, Integer> loads, double overloadThreshold,
            double underloadThreshold) {
        int n = loads.size();
        long sum = 0;
        int min = n == 0 ? 0 : Integer.MAX_VALUE;
        int max = 0;
        for (int load : loads.values()) {
            sum += load;
            min = Math.min(min, load);
            max = Math.max(max, load);
        }
        double average = n == 0 ? 0 : (double) sum / n;
        double squares = 0;
        for (int load : loads.values()) {
            squares += (load - average) * (load - average);
        }
        double variance = n == 0 ? 0 : squares / n;
        List<Map.Entry<String, Integer>> byLoad = new ArrayList<>(new TreeMap<>(loads).entrySet());
        byLoad.sort(Map.Entry.comparingByValue());
        List<String> under = new ArrayList<>();
        List<String> over = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : byLoad) {
            if (average > 0 && entry.getValue() < average * underloadThreshold) {
                under.add(entry.getKey());
            }
        }
        for (int i = byLoad.size() - 1; i >= 0; i--) {
            Map.Entry<String, Integer> entry = byLoad.get(i);
            if (average > 0 && entry.getValue() > average * overloadThreshold) {
                over.add(entry.getKey());
            }
        }
        return new LoadDistribution(average, min, max, Math.sqrt(variance), variance, loads,
                over, under);
    }

    /** This distribution with every peer renamed by {@code name} (e.g. endpoint to agent id). */
    LoadDistribution renamed(java.util.function.UnaryOperator<String> name) {
        Map<String, Integer> loads = new java.util.LinkedHashMap<>();
        loadByPeer.forEach((peer, load) -> loads.put(name.apply(peer), load));
        return new LoadDistribution(average, min, max, standardDeviation, variance, loads,
                overloadedPeers.stream().map(name).toList(),
                underloadedPeers.stream().map(name).toList());
    }

    /** {@return greatest load ÷ average (1 when the average is 0): 1 is perfectly even} */
    public double imbalanceRatio() {
        return average == 0 ? 1.0 : max / average;
    }
}
