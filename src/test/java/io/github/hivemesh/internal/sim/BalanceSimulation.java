package io.github.hivemesh.internal.sim;

import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import io.github.hivemesh.placement.CandidateLoads;
import io.github.hivemesh.placement.PlacementStrategy;
import io.github.hivemesh.placement.RunOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The reference balance workload (docs/design.md §6) as a deterministic discrete-event simulation
 * on virtual time, driving the production {@link PlacementStrategy} code.
 *
 * <h2>Model</h2>
 * Every peer runs one task at a time, first come first served, and its <em>load</em> is its
 * number of unfinished tasks (queued + running) — what the coordinators report to the load
 * table. Durations are unknown to the placer, except in the runs with cost estimates.
 * <ul>
 *   <li><b>Online</b> ({@link #runOnline}): tasks arrive as a Poisson stream at the workload's
 *       utilisation; each is placed on arrival by the strategy over the current loads. The
 *       figure of merit is, per peer, the time-averaged number of unfinished tasks over the
 *       arrival period [0, last arrival] (the steady state; the drain after the last arrival is
 *       not), reported as max ÷ average across peers.</li>
 *   <li><b>Batch, placed at once</b> ({@link #runBatchPlacedAtOnce}): all tasks exist at time 0
 *       and are placed immediately by the strategy (nothing finishes while placing, so loads are
 *       the counts placed so far).</li>
 *   <li><b>Batch, dispatched on demand</b> ({@link #runBatchOnDemand}): the coordinator keeps
 *       the backlog and tops a peer up whenever it holds fewer than {@code depth} unfinished
 *       tasks (depth 1 is Graham's list scheduling; any least-loaded choice among the free peers
 *       gives the same makespan because peers are identical).</li>
 * </ul>
 * Batch results are makespan ÷ the lower bound max(ΣT / P, max T).
 *
 * <h2>With cost estimates</h2>
 * The batch runs again with an estimate per task ({@link Estimates}): exact (the duration) and
 * noisy (the duration times a lognormal factor of mean 1 and σ = {@value #NOISE_SIGMA}, from a
 * stream of its own, so durations are the same in every run). The backlog is then taken in the
 * production {@link RunOrder} (longest estimate first), on demand at depth 1 and placed at once
 * by the default strategy over estimated work (the production
 * {@link PlacementStrategy#LEAST_LOADED_FAIR}, which reads the estimates of each peer's tasks).
 *
 * <p>All randomness comes from {@link SplittableRandom}s seeded by the workload's seed (one
 * stream for the workload, one for placement), and the transcendental functions are
 * {@link StrictMath}'s, so a run gives bit-identical figures on every JVM.
 *
 * <p>Lives in the test sources, not in the shipped jar; the JMH benchmarks run the same code
 * from the library's test-jar (which holds only this package). Thread-safe: a run keeps
 * all its state local, so concurrent runs are independent.
 */
public final class BalanceSimulation {

    /** Mixed into the seed for the placement stream so it differs from the workload stream. */
    private static final long PLACEMENT_STREAM = 0x9E3779B97F4A7C15L;
    /** Mixed into the seed for the estimate noise stream. */
    private static final long NOISE_STREAM = 0xC2B2AE3D27D4EB4FL;
    /** Shape of the lognormal factor that makes the noisy estimates. */
    public static final double NOISE_SIGMA = 0.5;

    /** What the placer and the queue know of each task's duration in a batch run. */
    public enum Estimates {
        /** Nothing: tasks are counted and taken in submission order. */
        NONE,
        /** The duration itself. */
        EXACT,
        /** The duration times a lognormal factor of mean 1, σ = {@value #NOISE_SIGMA}. */
        NOISY
    }

    private BalanceSimulation() {
    }

    /** The generated tasks of a workload: arrival times and durations, in arrival order. */
    static final class Tasks {
        final double[] arrivals;
        final double[] durations;
        final double totalDuration;
        final double maxDuration;
        final double[] noisyEstimates;

        private Tasks(Workload workload) {
            SplittableRandom random = new SplittableRandom(workload.seed());
            int n = workload.tasks();
            arrivals = new double[n];
            durations = new double[n];
            double rate = workload.utilisation() * workload.peers();
            double time = 0;
            double total = 0;
            double max = 0;
            for (int i = 0; i < n; i++) {
                time += Draws.exponential(random, 1.0 / rate);
                arrivals[i] = time;
                double duration = Draws.lognormal(random, 1.0, workload.sigma());
                durations[i] = duration;
                total += duration;
                max = Math.max(max, duration);
            }
            totalDuration = total;
            maxDuration = max;
            SplittableRandom noise = new SplittableRandom(workload.seed() ^ NOISE_STREAM);
            noisyEstimates = new double[n];
            for (int i = 0; i < n; i++) {
                noisyEstimates[i] = durations[i] * Draws.lognormal(noise, 1.0, NOISE_SIGMA);
            }
        }

        /** The estimates of one kind, or null for {@link Estimates#NONE}. */
        double[] estimates(Estimates kind) {
            return switch (kind) {
                case NONE -> null;
                case EXACT -> durations;
                case NOISY -> noisyEstimates;
            };
        }

        /**
         * Task indices in the order a queue starts them: submission order without estimates,
         * else the production {@link RunOrder} (one priority, so longest estimate first).
         */
        int[] order(Estimates kind) {
            double[] estimates = estimates(kind);
            Integer[] order = new Integer[durations.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            if (estimates != null) {
                Comparator<Integer> lpt = RunOrder.priorityThenLongestFirst(i -> 1,
                        i -> estimates[i], i -> i);
                java.util.Arrays.sort(order, lpt);
            }
            int[] indices = new int[order.length];
            for (int i = 0; i < order.length; i++) {
                indices[i] = order[i];
            }
            return indices;
        }
    }

    /**
     * What one online run measured.
     *
     * @param strategy          the placement strategy
     * @param maxOverAverage    max ÷ average across peers of the time-averaged unfinished tasks
     * @param averageUnfinished time-averaged unfinished tasks of the average peer
     * @param maxUnfinished     time-averaged unfinished tasks of the most loaded peer
     * @param meanResponseTime  mean time from arrival to completion, in mean task durations
     * @param horizon           length of the arrival period, in mean task durations
     */
    public record OnlineResult(PlacementStrategy strategy, double maxOverAverage,
            double averageUnfinished, double maxUnfinished, double meanResponseTime,
            double horizon) {
    }

    /**
     * What one batch run measured.
     *
     * @param placement      how tasks were placed, e.g. {@code "LEAST_LOADED at once"}
     * @param estimates      what the placer and the queue knew of the durations
     * @param makespan       time until the last task finished, in mean task durations
     * @param workPerPeer    ΣT / P
     * @param longestTask    max T
     */
    public record BatchResult(String placement, Estimates estimates, double makespan,
            double workPerPeer, double longestTask) {

        /** The lower bound max(ΣT / P, max T): no schedule finishes earlier. */
        public double lowerBound() {
            return Math.max(workPerPeer, longestTask);
        }

        /** Makespan ÷ lower bound (≥ 1). */
        public double ratio() {
            return makespan / lowerBound();
        }
    }

    /**
     * Every figure of the reference workload: online for each strategy, batch placed at once for
     * each strategy, batch on demand at depths 1 and 2; then, with exact and with noisy
     * estimates, the batch on demand (depth 1) and placed at once, both longest first.
     *
     * @param workload the workload
     * @param online   one result per strategy, in {@link PlacementStrategy} order
     * @param batch    the batch results
     */
    public record Report(Workload workload, List<OnlineResult> online, List<BatchResult> batch) {

        /** Copies the lists. */
        public Report {
            Objects.requireNonNull(workload, "workload");
            online = List.copyOf(online);
            batch = List.copyOf(batch);
        }

        /** The result of one strategy in the online run. */
        public OnlineResult online(PlacementStrategy strategy) {
            return online.get(strategy.ordinal());
        }

        /** A plain-text table of the figures. */
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            out.append(String.format("Balance workload: %d peers, %d tasks, utilisation %.2f, "
                    + "lognormal sigma %.1f, seed %d%n", workload.peers(), workload.tasks(),
                    workload.utilisation(), workload.sigma(), workload.seed()));
            out.append(String.format("%-22s %10s %10s %10s %10s%n", "online placement",
                    "max/avg", "avg", "max", "response"));
            for (OnlineResult r : online) {
                out.append(String.format("%-22s %10.3f %10.3f %10.3f %10.3f%n", r.strategy(),
                        r.maxOverAverage(), r.averageUnfinished(), r.maxUnfinished(),
                        r.meanResponseTime()));
            }
            out.append(String.format("batch: sum(T)/P = %.2f, max T = %.2f%n",
                    batch.get(0).workPerPeer(), batch.get(0).longestTask()));
            out.append(String.format("%-46s %-9s %10s %10s %8s%n", "batch placement",
                    "estimates", "makespan", "bound", "ratio"));
            for (BatchResult r : batch) {
                out.append(String.format("%-46s %-9s %10.2f %10.2f %8.3f%n", r.placement(),
                        r.estimates().name().toLowerCase(java.util.Locale.ROOT), r.makespan(),
                        r.lowerBound(), r.ratio()));
            }
            return out.toString();
        }
    }

    /** Runs every figure of the report for {@code workload}. */
    public static Report run(Workload workload) {
        Objects.requireNonNull(workload, "workload");
        Tasks tasks = new Tasks(workload);
        List<OnlineResult> online = new ArrayList<>();
        List<BatchResult> batch = new ArrayList<>();
        for (PlacementStrategy strategy : PlacementStrategy.values()) {
            online.add(runOnline(workload, tasks, strategy));
        }
        for (PlacementStrategy strategy : PlacementStrategy.values()) {
            batch.add(runBatchPlacedAtOnce(workload, tasks, strategy, Estimates.NONE));
        }
        batch.add(runBatchOnDemand(workload, tasks, 1, Estimates.NONE));
        batch.add(runBatchOnDemand(workload, tasks, 2, Estimates.NONE));
        for (Estimates kind : List.of(Estimates.EXACT, Estimates.NOISY)) {
            batch.add(runBatchOnDemand(workload, tasks, 1, kind));
            batch.add(runBatchPlacedAtOnce(workload, tasks, PlacementStrategy.LEAST_LOADED_FAIR,
                    kind));
        }
        return new Report(workload, online, batch);
    }

    /** The online run of one strategy (see class docs). */
    public static OnlineResult runOnline(Workload workload, PlacementStrategy strategy) {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(strategy, "strategy");
        return runOnline(workload, new Tasks(workload), strategy);
    }

    /** The batch run placing every task at time 0 with one strategy (see class docs). */
    public static BatchResult runBatchPlacedAtOnce(Workload workload, PlacementStrategy strategy) {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(strategy, "strategy");
        return runBatchPlacedAtOnce(workload, new Tasks(workload), strategy, Estimates.NONE);
    }

    /**
     * The batch run placing every task at time 0 with one strategy, taking the tasks longest
     * estimate first and placing by estimated work when {@code estimates} is not
     * {@link Estimates#NONE}.
     */
    public static BatchResult runBatchPlacedAtOnce(Workload workload, PlacementStrategy strategy,
            Estimates estimates) {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(estimates, "estimates");
        return runBatchPlacedAtOnce(workload, new Tasks(workload), strategy, estimates);
    }

    /** The batch run dispatching on demand, each peer holding at most {@code depth} tasks. */
    public static BatchResult runBatchOnDemand(Workload workload, int depth) {
        Objects.requireNonNull(workload, "workload");
        checkRange("depth", depth, 1, 1_000_000);
        return runBatchOnDemand(workload, new Tasks(workload), depth, Estimates.NONE);
    }

    /**
     * The batch run dispatching on demand, each peer holding at most {@code depth} tasks, the
     * backlog taken longest estimate first when {@code estimates} is not {@link Estimates#NONE}.
     */
    public static BatchResult runBatchOnDemand(Workload workload, int depth,
            Estimates estimates) {
        Objects.requireNonNull(workload, "workload");
        checkRange("depth", depth, 1, 1_000_000);
        Objects.requireNonNull(estimates, "estimates");
        return runBatchOnDemand(workload, new Tasks(workload), depth, estimates);
    }

    private static OnlineResult runOnline(Workload workload, Tasks tasks,
            PlacementStrategy strategy) {
        int peers = workload.peers();
        PeerLoads loads = new PeerLoads(peers);
        double[] freeAt = new double[peers];
        EventHeap completions = new EventHeap();
        SplittableRandom random = new SplittableRandom(workload.seed() ^ PLACEMENT_STREAM);
        double responseSum = 0;
        for (int i = 0; i < tasks.arrivals.length; i++) {
            double now = tasks.arrivals[i];
            while (!completions.isEmpty() && completions.peekTime() <= now) {
                loads.change(completions.peekPeer(), completions.peekTime(), -1);
                completions.pop();
            }
            loads.now = now;
            int peer = strategy.select(loads, random);
            loads.change(peer, now, +1);
            double finish = Math.max(now, freeAt[peer]) + tasks.durations[i];
            freeAt[peer] = finish;
            completions.push(finish, peer);
            responseSum += finish - now;
        }
        double horizon = tasks.arrivals[tasks.arrivals.length - 1];
        double sum = 0;
        double max = 0;
        for (int p = 0; p < peers; p++) {
            double average = loads.accumulatedAt(p, horizon) / horizon;
            sum += average;
            max = Math.max(max, average);
        }
        double average = sum / peers;
        return new OnlineResult(strategy, max / average, average, max,
                responseSum / tasks.arrivals.length, horizon);
    }

    private static BatchResult runBatchPlacedAtOnce(Workload workload, Tasks tasks,
            PlacementStrategy strategy, Estimates kind) {
        int peers = workload.peers();
        PeerLoads loads = new PeerLoads(peers);
        double[] busy = new double[peers];
        SplittableRandom random = new SplittableRandom(workload.seed() ^ PLACEMENT_STREAM);
        double[] estimates = tasks.estimates(kind);
        for (int task : tasks.order(kind)) {
            int peer = strategy.select(loads, random);
            loads.load[peer]++;
            if (estimates != null) {
                loads.estimatedTasks[peer]++;
                loads.estimatedWork[peer] += estimates[task];
                loads.anyEstimates = true;
            }
            busy[peer] += tasks.durations[task];
        }
        double makespan = 0;
        for (double b : busy) {
            makespan = Math.max(makespan, b);
        }
        return new BatchResult(strategy + " at once" + (estimates == null ? ""
                : ", longest first"), kind, makespan,
                tasks.totalDuration / peers, tasks.maxDuration);
    }

    private static BatchResult runBatchOnDemand(Workload workload, Tasks tasks, int depth,
            Estimates kind) {
        int peers = workload.peers();
        int[] order = tasks.order(kind);
        List<ArrayDeque<Double>> queues = new ArrayList<>(peers);
        EventHeap completions = new EventHeap();
        int next = 0;
        for (int round = 0; round < depth; round++) {
            for (int p = 0; p < peers && next < order.length; p++) {
                if (round == 0) {
                    queues.add(new ArrayDeque<>());
                    completions.push(tasks.durations[order[next++]], p);
                } else {
                    queues.get(p).add(tasks.durations[order[next++]]);
                }
            }
        }
        double makespan = 0;
        while (!completions.isEmpty()) {
            double now = completions.peekTime();
            int peer = completions.peekPeer();
            completions.pop();
            makespan = now;
            ArrayDeque<Double> queue = queues.get(peer);
            if (next < order.length) {
                queue.add(tasks.durations[order[next++]]);
            }
            Double following = queue.poll();
            if (following != null) {
                completions.push(now + following, peer);
            }
        }
        return new BatchResult("on demand, depth " + depth
                + (kind == Estimates.NONE ? "" : ", longest first"), kind, makespan,
                tasks.totalDuration / peers, tasks.maxDuration);
    }

    /** Per-peer loads and their time integrals, as the strategies read them. */
    private static final class PeerLoads implements CandidateLoads {
        final int[] load;
        final double[] area;
        final double[] since;
        final int[] estimatedTasks;
        final double[] estimatedWork;
        boolean anyEstimates;
        double now;

        PeerLoads(int peers) {
            load = new int[peers];
            area = new double[peers];
            since = new double[peers];
            estimatedTasks = new int[peers];
            estimatedWork = new double[peers];
        }

        void change(int peer, double time, int delta) {
            area[peer] = accumulatedAt(peer, time);
            since[peer] = time;
            load[peer] += delta;
        }

        double accumulatedAt(int peer, double time) {
            return area[peer] + load[peer] * (time - since[peer]);
        }

        @Override
        public int size() {
            return load.length;
        }

        @Override
        public int load(int index) {
            return load[index];
        }

        @Override
        public double accumulatedLoad(int index) {
            return accumulatedAt(index, now);
        }

        @Override
        public int estimatedTasks(int index) {
            return estimatedTasks[index];
        }

        @Override
        public double estimatedWork(int index) {
            return estimatedWork[index];
        }

        @Override
        public boolean hasEstimates() {
            return anyEstimates;
        }
    }
}
