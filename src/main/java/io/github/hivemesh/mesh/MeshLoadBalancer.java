package io.github.hivemesh.mesh;

import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import io.github.hivemesh.placement.CapabilityIndex;
import io.github.hivemesh.placement.LoadTable;
import io.github.hivemesh.placement.Placer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The default {@link IMeshLoadBalancer}: a live {@link LoadTable} and a {@link Placer} from the
 * {@code placement} package, plus rebalancing through a {@link TaskMigrator}.
 *
 * <h2>Rebalancing</h2>
 * From a snapshot of the loads, repeatedly pair the most loaded overloaded peer with the least
 * loaded underloaded peer and ask the migrator to move one unstarted task between them, while
 * their loads differ by at least 2 — so every move strictly lowers the sum of squared loads and
 * a run cannot oscillate. A declined move (the task started meanwhile) tries that peer's next
 * task; a peer with none left is skipped. Moves run one after another (the next is asked when
 * the previous one's future completes), and each success adjusts the table by one task on
 * either side; the coordinator's later {@link #updatePeerLoad} reports overwrite it.
 *
 * <p>Thread-safe: the table is, random choices are made under the placer's lock, and one
 * rebalance runs at a time.
 */
public final class MeshLoadBalancer implements IMeshLoadBalancer {

    private final LoadBalancerConfig config;
    private final TaskMigrator migrator;
    private final LoadTable loads;
    private final Placer placer;
    private final long seed;

    private final LongAdder selections = new LongAdder();
    private final LongAdder loadUpdates = new LongAdder();
    private final LongAdder rebalances = new LongAdder();
    private final LongAdder migrationsAttempted = new LongAdder();
    private final LongAdder migrationsSucceeded = new LongAdder();
    private final LongAdder migrationsFailed = new LongAdder();

    private CompletableFuture<RebalanceResult> running;

    /**
     * A balancer with an empty load table.
     *
     * @param config   strategy, thresholds, seed
     * @param migrator moves tasks on rebalance ({@link TaskMigrator#NONE} to never move)
     * @param clock    time for the load table's accumulated load
     */
    public MeshLoadBalancer(LoadBalancerConfig config, TaskMigrator migrator, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.migrator = Objects.requireNonNull(migrator, "migrator");
        this.loads = new LoadTable(Objects.requireNonNull(clock, "clock"));
        this.seed = config.seed().orElseGet(() -> ThreadLocalRandom.current().nextLong());
        this.placer = new Placer(new CapabilityIndex(), loads, config.strategy(),
                new SplittableRandom(seed));
    }

    /** {@return the configuration} */
    public LoadBalancerConfig config() {
        return config;
    }

    /**
     * {@return the seed of the random choices (the configured one, or the one drawn at creation)}
     */
    public long seed() {
        return seed;
    }

    @Override
    public Optional<String> selectLeastLoadedPeer(Collection<String> candidates) {
        Objects.requireNonNull(candidates, "candidates");
        // a copy: the caller's collection may change while the choice reads it
        return selectAmong(new ArrayList<>(candidates));
    }

    /**
     * {@link #selectLeastLoadedPeer} without the copy, for a list that does not change during
     * the call (the router's own lists: a thousand peers need not be copied for every task).
     */
    Optional<String> selectAmong(List<String> candidates) {
        Optional<String> chosen = placer.choose(candidates);
        if (chosen.isPresent()) {
            selections.increment();
        }
        return chosen;
    }

    @Override
    public void updatePeerLoad(String peerId, int load) {
        Objects.requireNonNull(peerId, "peerId");
        loads.set(peerId, load);
        loadUpdates.increment();
    }

    @Override
    public int getPeerLoad(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        return loads.get(peerId);
    }

    @Override
    public int adjustPeerLoad(String peerId, int delta) {
        Objects.requireNonNull(peerId, "peerId");
        int load = loads.add(peerId, delta);
        loadUpdates.increment();
        return load;
    }

    /** {@link #adjustPeerLoad} for a peer in the table only; false if it is not there. */
    boolean adjustPeerLoadIfPresent(String peerId, int delta) {
        if (loads.addIfPresent(peerId, delta) < 0) {
            return false;
        }
        loadUpdates.increment();
        return true;
    }

    @Override
    public boolean removePeer(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        return loads.remove(peerId);
    }

    @Override
    public CompletableFuture<RebalanceResult> rebalance(String swarmId) {
        Objects.requireNonNull(swarmId, "swarmId");
        CompletableFuture<RebalanceResult> result;
        synchronized (this) {
            if (running != null) {
                return running;
            }
            result = new CompletableFuture<>();
            running = result;
        }
        rebalances.increment();
        result.whenComplete((r, failure) -> {
            synchronized (this) {
                running = null;
            }
        });
        new RebalanceRun(this, swarmId, getLoadDistribution(), result).step();
        return result;
    }

    // ---- called by RebalanceRun ---------------------------------------------------------

    TaskMigrator migrator() {
        return migrator;
    }

    void moved(String from, String to) {
        migrationsSucceeded.increment();
        if (migrator.movesLoad()) {
            return;
        }
        try {
            loads.add(from, -1);
        } catch (IllegalArgumentException e) {
            // the coordinator already reported a lower load for the source: keep its figure
        }
        loads.add(to, 1);
    }

    void attempted() {
        migrationsAttempted.increment();
    }

    void declined() {
        migrationsFailed.increment();
    }

    // ---- views --------------------------------------------------------------------------

    @Override
    public boolean isBalanced(double threshold) {
        checkRange("threshold", threshold, 0.0, Double.MAX_VALUE);
        LoadDistribution distribution = getLoadDistribution();
        return distribution.max() - distribution.min() <= 1
                || distribution.max() <= distribution.average() * (1 + threshold);
    }

    @Override
    public LoadDistribution getLoadDistribution() {
        return LoadDistribution.of(loads.snapshot(), config.overloadThreshold(),
                config.underloadThreshold());
    }

    @Override
    public LoadBalancerMetrics getMetrics() {
        LoadDistribution distribution = getLoadDistribution();
        return new LoadBalancerMetrics(selections.sum(), loadUpdates.sum(), rebalances.sum(),
                migrationsAttempted.sum(), migrationsSucceeded.sum(), migrationsFailed.sum(),
                distribution.loadByPeer().size(), distribution.average(),
                distribution.imbalanceRatio());
    }

    @Override
    public String toString() {
        return "MeshLoadBalancer[" + config + ", peers=" + loads.size() + "]";
    }
}
