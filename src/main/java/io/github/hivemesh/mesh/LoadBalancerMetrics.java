package io.github.hivemesh.mesh;

/**
 * What a load balancer has done; an immutable snapshot. Counts are cumulative; the last three describe the load table
 * now.
 *
 * @param selections          peers chosen by {@code selectLeastLoadedPeer}
 * @param loadUpdates         calls to {@code updatePeerLoad}
 * @param rebalances          rebalance runs
 * @param migrationsAttempted task moves asked of the migrator
 * @param migrationsSucceeded moves the migrator made
 * @param migrationsFailed    moves it could not make (task started or gone, or it failed)
 * @param peers               peers in the load table
 * @param averageLoad         mean load now
 * @param imbalanceRatio      greatest load ÷ average now (1 is even)
 */
public record LoadBalancerMetrics(
        long selections,
        long loadUpdates,
        long rebalances,
        long migrationsAttempted,
        long migrationsSucceeded,
        long migrationsFailed,
        int peers,
        double averageLoad,
        double imbalanceRatio) {
}
