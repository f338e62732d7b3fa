package io.github.hivemesh.mesh;

import io.github.hivemesh.mesh.RebalanceResult.Migration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rebalance, as a sequence of moves (see {@link MeshLoadBalancer}). Its state is touched by
 * one step at a time: each step starts after the previous move's future completed, which orders
 * them (happens-before through the future), whatever thread completes it.
 */
final class RebalanceRun {

    private static final Logger LOG = LoggerFactory.getLogger(RebalanceRun.class);

    private final MeshLoadBalancer balancer;
    private final String swarmId;
    private final LoadDistribution before;
    private final CompletableFuture<RebalanceResult> result;
    private final TreeMap<String, Integer> working;
    private final double overloadedAbove;
    private final double underloadedBelow;
    private final int maxAttempts;
    private final Map<String, Deque<String>> candidates = new HashMap<>();
    private final Set<String> exhausted = new HashSet<>();
    private final List<Migration> migrations = new ArrayList<>();
    private int attempts;
    private int failed;

    RebalanceRun(MeshLoadBalancer balancer, String swarmId, LoadDistribution before,
            CompletableFuture<RebalanceResult> result) {
        this.balancer = balancer;
        this.swarmId = swarmId;
        this.before = before;
        this.result = result;
        this.working = new TreeMap<>(before.loadByPeer());
        LoadBalancerConfig config = balancer.config();
        this.overloadedAbove = before.average() * config.overloadThreshold();
        this.underloadedBelow = before.average() * config.underloadThreshold();
        this.maxAttempts = config.maxMigrationsPerRebalance();
    }

    /** Makes moves until one is pending (then resumes when it completes) or the run ends. */
    void step() {
        try {
            while (attempts < maxAttempts) {
                String from = mostLoadedSource();
                String to = leastLoadedTarget();
                if (from == null || to == null || working.get(from) - working.get(to) < 2) {
                    break;
                }
                String task = nextTask(from);
                if (task == null) {
                    exhausted.add(from);
                    continue;
                }
                attempts++;
                balancer.attempted();
                CompletableFuture<Boolean> move = move(task, from, to);
                if (!move.isDone()) {
                    move.whenComplete((moved, failure) -> {
                        record(task, from, to, moved, failure);
                        step();
                    });
                    return;
                }
                // already complete: whenComplete runs at once, without growing the stack
                move.whenComplete((moved, failure) -> record(task, from, to, moved, failure));
            }
            result.complete(new RebalanceResult(swarmId, migrations, failed, before,
                    balancer.getLoadDistribution()));
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private CompletableFuture<Boolean> move(String task, String from, String to) {
        try {
            CompletableFuture<Boolean> move = balancer.migrator().moveTask(task, from, to);
            return move != null ? move : CompletableFuture.completedFuture(false);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void record(String task, String from, String to, Boolean moved, Throwable failure) {
        if (failure == null && Boolean.TRUE.equals(moved)) {
            migrations.add(new Migration(task, from, to));
            working.merge(from, -1, Integer::sum);
            working.merge(to, 1, Integer::sum);
            balancer.moved(from, to);
        } else {
            failed++;
            balancer.declined();
            if (failure != null) {
                LOG.warn("moving task '{}' from '{}' to '{}' failed; it stays where it was", task,
                        from, to, failure);
            }
        }
    }

    private String nextTask(String from) {
        Deque<String> tasks = candidates.computeIfAbsent(from, peer -> {
            List<String> movable = balancer.migrator().movableTasks(peer);
            // the tasks that would run last have waited least: move them first
            Deque<String> reversed = new ArrayDeque<>();
            if (movable != null) {
                movable.forEach(reversed::push);
            }
            return reversed;
        });
        return tasks.poll();
    }

    private String mostLoadedSource() {
        String best = null;
        for (Map.Entry<String, Integer> entry : working.entrySet()) {
            if (entry.getValue() > overloadedAbove && !exhausted.contains(entry.getKey())
                    && (best == null || entry.getValue() > working.get(best))) {
                best = entry.getKey();
            }
        }
        return best;
    }

    private String leastLoadedTarget() {
        String best = null;
        for (Map.Entry<String, Integer> entry : working.entrySet()) {
            if (entry.getValue() < underloadedBelow
                    && (best == null || entry.getValue() < working.get(best))) {
                best = entry.getKey();
            }
        }
        return best;
    }
}
