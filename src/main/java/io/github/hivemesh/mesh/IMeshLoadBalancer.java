package io.github.hivemesh.mesh;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Chooses peers by load and evens load out. Loads are whatever the coordinator reports through
 * {@link #updatePeerLoad} (unfinished tasks per peer); any non-negative {@code int}.
 *
 * <p>Implementations are thread-safe.
 */
public interface IMeshLoadBalancer {

    /**
     * Chooses among {@code candidates} (typically the capable, alive peers) by the configured
     * strategy; peers never reported count as load 0.
     *
     * @param candidates the candidates
     * @return the chosen peer, empty when there are no candidates
     * @throws NullPointerException if {@code candidates} or any of its elements is null
     */
    Optional<String> selectLeastLoadedPeer(Collection<String> candidates);

    /**
     * Sets a peer's load (adding the peer to the table if new).
     *
     * @param peerId the peer's id
     * @param load the load
     */
    void updatePeerLoad(String peerId, int load);

    /**
     * {@return a peer's load; 0 for a peer never reported}
     *
     * @param peerId the peer's id
     */
    int getPeerLoad(String peerId);

    /**
     * Adds {@code delta} to a peer's load (registering it at 0 first if unknown), for owners that
     * count tasks as they are assigned and end rather than report absolute loads.
     *
     * @param peerId the peer's id
     * @param delta the change
     * @return the new load
     * @throws IllegalArgumentException if the load would become negative
     */
    int adjustPeerLoad(String peerId, int delta);

    /**
     * Forgets a peer (it left); false if it was not in the table.
     *
     * @param peerId the peer's id
     * @return whether the peer was in the table
     */
    boolean removePeer(String peerId);

    /**
     * Moves tasks that have not started from overloaded to underloaded peers through the
     * {@link TaskMigrator}, while a move still narrows the gap, up to the configured number of
     * moves. A call while a rebalance runs returns that run's future.
     *
     * @param swarmId the swarm's id
     * @return completes with what was moved; never fails because of the migrator (a failed move is
     *     counted and skipped)
     */
    CompletableFuture<RebalanceResult> rebalance(String swarmId);

    /**
     * {@return whether load is even within {@code threshold} (≥ 0): the greatest load is at most
     * {@code average × (1 + threshold)}, or no move could help (greatest − least ≤ 1)}
     *
     * @param threshold the tolerated excess over the average, as a fraction (≥ 0)
     */
    boolean isBalanced(double threshold);

    /** {@return how load is spread now} */
    LoadDistribution getLoadDistribution();

    /** {@return what the balancer has done} */
    LoadBalancerMetrics getMetrics();
}
