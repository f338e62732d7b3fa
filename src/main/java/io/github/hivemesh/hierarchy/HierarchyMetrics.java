package io.github.hivemesh.hierarchy;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * How a hierarchy's work spread over its teams and workers, and what waits where now. Counts of
 * executed tasks are cumulative; the other figures are current.
 *
 * @param teams          teams created so far
 * @param queenReady     ready tasks the queen holds, waiting for a team with room
 * @param queenHeld      tasks the queen holds, ready or waiting for dependencies
 * @param teamQueued     tasks queued at teams, not started (see {@link HierarchicalCoordinator})
 * @param tasksStolen    tasks moved from a busy team to an idle one
 * @param tasksRequeued  tasks a team handed back to the queen (its capable workers left)
 * @param tasksPerTeam   tasks each team's workers ran to their end, by team name
 * @param tasksPerWorker tasks each live worker ran to their end, by agent id
 */
public record HierarchyMetrics(
        int teams,
        int queenReady,
        int queenHeld,
        int teamQueued,
        long tasksStolen,
        long tasksRequeued,
        Map<String, Long> tasksPerTeam,
        Map<String, Long> tasksPerWorker) {

    /**
     * Copies the maps.
     *
     * @param teams teams created so far
     * @param queenReady ready tasks the queen holds, waiting for a team with room
     * @param queenHeld tasks the queen holds, ready or waiting for dependencies
     * @param teamQueued tasks queued at teams, not started (see {@link HierarchicalCoordinator})
     * @param tasksStolen tasks moved from a busy team to an idle one
     * @param tasksRequeued tasks a team handed back to the queen (its capable workers left)
     * @param tasksPerTeam tasks each team's workers ran to their end, by team name
     * @param tasksPerWorker tasks each live worker ran to their end, by agent id
     */
    public HierarchyMetrics {
        tasksPerTeam = Map.copyOf(Objects.requireNonNull(tasksPerTeam, "tasksPerTeam"));
        tasksPerWorker = Map.copyOf(Objects.requireNonNull(tasksPerWorker, "tasksPerWorker"));
    }

    /**
     * {@return max ÷ mean of {@link #tasksPerTeam()}; 1.0 is perfect balance, 0 when nothing ran}
     */
    public double teamImbalance() {
        return imbalance(tasksPerTeam.values());
    }

    /**
     * {@return max ÷ mean of {@link #tasksPerWorker()}; 1.0 is perfect balance, 0 when nothing ran}
     */
    public double workerImbalance() {
        return imbalance(tasksPerWorker.values());
    }

    private static double imbalance(Collection<Long> counts) {
        long max = 0;
        long sum = 0;
        for (long count : counts) {
            max = Math.max(max, count);
            sum += count;
        }
        return sum == 0 ? 0 : max * (double) counts.size() / sum;
    }
}
