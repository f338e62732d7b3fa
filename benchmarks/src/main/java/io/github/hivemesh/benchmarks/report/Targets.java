package io.github.hivemesh.benchmarks.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/design.md §6, row by row: each seed target and ours, judged against what the run measured.
 * Nothing here is a figure; every measured value is read from the run's files, and a target the
 * run has no figure for is reported as not measured, never as passed.
 */
final class Targets {

    /** The outcome of one check. */
    enum Verdict {
        PASS("pass"), FAIL("**FAIL**"), NOT_MEASURED("not measured"), NONE("—");

        final String text;

        Verdict(String text) {
            this.text = text;
        }

        static Verdict of(boolean pass) {
            return pass ? PASS : FAIL;
        }
    }

    /**
     * One row of the targets table.
     *
     * @param measure    what is measured
     * @param statistic  which statistic is judged (p95, mean...)
     * @param measured   the measured value(s), formatted
     * @param seedTarget the seed's target, or "—"
     * @param seed       verdict against the seed's target
     * @param ourTarget  our target
     * @param ours       verdict against ours
     * @param source     the benchmark or side file it comes from
     */
    record Row(String measure, String statistic, String measured, String seedTarget,
            Verdict seed, String ourTarget, Verdict ours, String source) {
    }

    private static final Pattern COMPLETION = Pattern.compile("(.+)-completion-(\\d+)");

    private final RunData data;
    private final List<Row> rows = new ArrayList<>();

    private Targets(RunData data) {
        this.data = data;
    }

    static List<Row> evaluate(RunData data) {
        Targets targets = new Targets(data);
        targets.broker();
        targets.tasks();
        targets.completion();
        targets.spawn();
        targets.resume();
        targets.artifacts();
        targets.tokens();
        targets.balance();
        return List.copyOf(targets.rows);
    }

    private void missing(String measure, String seedTarget, String ourTarget, String source) {
        rows.add(new Row(measure, "—", "not in this run", seedTarget,
                seedTarget.equals("—") ? Verdict.NONE : Verdict.NOT_MEASURED, ourTarget,
                Verdict.NOT_MEASURED, source));
    }

    private void broker() {
        String bench = "BrokerThroughputBenchmark.pointToPoint";
        String measure = "broker point-to-point throughput";
        String ours = "≥ 10 M msg/s and ≥ ArrayBlockingQueue and JCTools MPSC (same run)";
        Optional<Double> hivemesh = throughput(bench, "hivemesh");
        if (hivemesh.isEmpty()) {
            missing(measure, "> 8,000 msg/s", ours, bench);
            return;
        }
        double h = hivemesh.get();
        Optional<Double> abq = throughput(bench, "ArrayBlockingQueue");
        Optional<Double> jctools = throughput(bench, "JCTools-MPSC");
        String measured = Fmt.rate(h) + " (ABQ " + abq.map(Fmt::rate).orElse("not run")
                + ", JCTools MPSC " + jctools.map(Fmt::rate).orElse("not run") + ")";
        Verdict verdict = abq.isEmpty() || jctools.isEmpty() ? Verdict.NOT_MEASURED
                : Verdict.of(h >= 10e6 && h >= abq.get() && h >= jctools.get());
        rows.add(new Row(measure, "mean", measured, "> 8,000 msg/s", Verdict.of(h > 8_000),
                ours, verdict, bench));
    }

    /**
     * Task throughput of mesh-7 and hierarchy-8: ≥ 500 k tasks/s, ≥ 0.2 × the bare executor
     * and ≥ 3 × Pekko typed, the ratios from the same run.
     */
    private void tasks() {
        String measure = "task throughput, trivial sessions";
        String ours = "≥ 500 k tasks/s, ≥ 0.2 × bare executor, ≥ 3 × Pekko typed (same run)";
        Optional<JmhRow> bare = TaskSection.row(data, TaskSection.BARE);
        Optional<JmhRow> pekko = TaskSection.row(data, TaskSection.PEKKO);
        for (String swarm : new String[] {"mesh-7", "hierarchy-8"}) {
            Optional<JmhRow> row = TaskSection.row(data, swarm);
            if (row.isEmpty()) {
                missing(measure + " (" + swarm + ")", "—", ours, TaskSection.BENCH);
                continue;
            }
            JmhRow r = row.get();
            double perSecond = r.score() * Fmt.toPerSecond(r.unit());
            Optional<TaskSection.Ratio> toBare = bare.map(b -> TaskSection.Ratio.of(r, b));
            Optional<TaskSection.Ratio> toPekko = pekko.map(p -> TaskSection.Ratio.of(r, p));
            String measured = Fmt.rate(perSecond) + " (÷ bare executor "
                    + toBare.map(TaskSection.Ratio::text).orElse("not run") + "; ÷ Pekko "
                    + toPekko.map(TaskSection.Ratio::text).orElse("not run") + ")";
            Verdict verdict = toBare.isEmpty() || toPekko.isEmpty() ? Verdict.NOT_MEASURED
                    : Verdict.of(perSecond >= 500e3 && toBare.get().value() >= 0.2
                            && toPekko.get().value() >= 3);
            rows.add(new Row(measure + " (" + swarm + ")", "mean", measured, "—", Verdict.NONE,
                    ours, verdict, TaskSection.BENCH + " swarm=" + swarm));
        }
    }

    private Optional<Double> throughput(String bench, String transport) {
        return data.row(bench, r -> transport.equals(r.param("transport")))
                .map(r -> r.score() * Fmt.toPerSecond(r.unit()));
    }

    private void completion() {
        Map<Integer, List<String>> byPeers = new TreeMap<>();
        data.sideResults.keySet().forEach(name -> {
            Matcher m = COMPLETION.matcher(name);
            if (m.matches()) {
                byPeers.computeIfAbsent(Integer.parseInt(m.group(2)), k -> new ArrayList<>())
                        .add(name);
            }
        });
        completionRows(10, byPeers.getOrDefault(10, List.of()), "< 2,000 ms",
                "p99 < 200 µs", 200);
        completionRows(1000, byPeers.getOrDefault(1000, List.of()), "—", "p99 < 2 ms", 2_000);
    }

    private void completionRows(int peers, List<String> names, String seedTarget,
            String ourTarget, double ourMicros) {
        String measure = "completion detected after the last execute returns, "
                + String.format("%,d", peers) + " peers";
        if (names.isEmpty()) {
            missing(measure, seedTarget, ourTarget, "*-completion-" + peers + ".json");
            return;
        }
        for (String name : names) {
            JsonObject side = data.sideResults.get(name);
            double p99 = side.get("p99").getAsDouble() * sideUnitMicros(side);
            boolean counted = side.get("count").getAsLong() > 0;
            Verdict seed = seedTarget.equals("—") ? Verdict.NONE
                    : counted ? Verdict.of(p99 < 2_000_000) : Verdict.NOT_MEASURED;
            Verdict ours = counted ? Verdict.of(p99 < ourMicros) : Verdict.NOT_MEASURED;
            rows.add(new Row(measure + " (" + name.substring(0, name.indexOf("-completion"))
                    + ")", "p99", Fmt.micros(p99) + " (p50 " + Fmt.micros(
                            side.get("p50").getAsDouble() * sideUnitMicros(side)) + ", "
                            + side.get("count").getAsLong() + " rounds)", seedTarget, seed,
                    ourTarget, ours, name + ".json"));
        }
    }

    private static double sideUnitMicros(JsonObject side) {
        JsonElement unit = side.get("unit");
        return unit == null ? 1 : Fmt.toMicros(unit.getAsString() + "/op");
    }

    private void spawn() {
        String bench = "SpawnBenchmark.spawn";
        spawnRows(bench, 10, "< 2 s", "< 5 ms", 5_000);
        spawnRows(bench, 1000, "—", "< 250 ms", 250_000);
    }

    private void spawnRows(String bench, int peers, String seedTarget, String ourTarget,
            double ourMicros) {
        String measure = "spawn " + String.format("%,d", peers)
                + " peers (routable, discovered by all)";
        List<JmhRow> found = data.rows(bench).stream()
                .filter(r -> r.param("swarm") != null
                        && r.param("swarm").endsWith(":" + peers)).toList();
        if (found.isEmpty()) {
            missing(measure, seedTarget, ourTarget, bench + " swarm=*:" + peers);
            return;
        }
        for (JmhRow r : found) {
            double mean = r.score() * Fmt.toMicros(r.unit());
            double p99 = r.percentile(99.0) * Fmt.toMicros(r.unit());
            Verdict seed = seedTarget.equals("—") ? Verdict.NONE : Verdict.of(mean < 2_000_000);
            rows.add(new Row(measure + " (" + r.param("swarm") + ")", "mean",
                    Fmt.micros(mean) + " (p99 " + Fmt.micros(p99) + ")", seedTarget, seed,
                    ourTarget, Verdict.of(mean < ourMicros), bench));
        }
    }

    private void resume() {
        String bench = "ResumeBenchmark.resume";
        String measure = "resume a paused peer (empty hooks)";
        List<JmhRow> found = data.rows(bench);
        if (found.isEmpty()) {
            missing(measure, "p95 < 50 ms", "p95 < 100 µs", bench);
            return;
        }
        for (JmhRow r : found) {
            double p95 = r.percentile(95.0) * Fmt.toMicros(r.unit());
            rows.add(new Row(measure + " (" + r.paramText() + ")", "p95",
                    Fmt.micros(p95) + " (p50 " + Fmt.micros(r.percentile(50.0)
                            * Fmt.toMicros(r.unit())) + ")",
                    "p95 < 50 ms", Verdict.of(p95 < 50_000), "p95 < 100 µs",
                    Verdict.of(p95 < 100), bench));
        }
    }

    private void artifacts() {
        String bench = "ArtifactShareBenchmark.share";
        String measure = "artifact share, 1 KB peer state (encode + store + load + decode)";
        Optional<Double> memory = p95(bench, r -> "memory".equals(r.param("store")));
        if (memory.isEmpty()) {
            missing(measure + ", in memory", "p95 < 15 ms", "p95 < 20 µs", bench);
        } else {
            rows.add(new Row(measure + ", in memory", "p95", Fmt.micros(memory.get()),
                    "p95 < 15 ms", Verdict.of(memory.get() < 15_000), "p95 < 20 µs",
                    Verdict.of(memory.get() < 20), bench + " store=memory"));
        }
        Optional<Double> file = p95(bench, r -> "file".equals(r.param("store")));
        String beside = "reported beside raw force";
        if (file.isEmpty()) {
            missing(measure + ", file store", "p95 < 15 ms", beside, bench);
            return;
        }
        Optional<Double> force = p95("ArtifactShareBenchmark.rawForce", r -> true);
        Optional<Double> replace = p95("ArtifactShareBenchmark.rawDurableReplace", r -> true);
        rows.add(new Row(measure + ", file store", "p95", Fmt.micros(file.get())
                + " (raw write+force " + force.map(Fmt::micros).orElse("not run")
                + "; raw durable replace " + replace.map(Fmt::micros).orElse("not run") + ")",
                "p95 < 15 ms", Verdict.of(file.get() < 15_000), beside, Verdict.NONE,
                bench + " store=file"));
    }

    private Optional<Double> p95(String bench, Predicate<JmhRow> filter) {
        return data.row(bench, filter).map(r -> r.percentile(95.0) * Fmt.toMicros(r.unit()));
    }

    private void tokens() {
        JsonObject side = data.sideResults.get("token-workload");
        String measure = "idle token saving, reference workload (seed 42)";
        String ours = "≥ 75 % of idle cost, and ≥ 90 % of the offline optimum's saving";
        if (side == null) {
            missing(measure, "50–75 %", ours, "token-workload.json");
            return;
        }
        double saved = side.get("policySavingsPercent").getAsDouble();
        double ofOptimum = side.get("percentOfOptimum").getAsDouble();
        rows.add(new Row(measure, "default policy", Fmt.percent(saved) + " saved, "
                + Fmt.percent(ofOptimum) + " of the optimum's saving", "50–75 %",
                Verdict.of(saved >= 50), ours, Verdict.of(saved >= 75 && ofOptimum >= 90),
                "token-workload.json"));
    }

    private void balance() {
        JsonObject side = data.sideResults.get("balance-workload");
        String measure = "balance workload (seed 42): max/avg unfinished tasks per peer";
        String makespan = "balance workload (seed 42): batch makespan ÷ lower bound";
        if (side == null) {
            missing(measure, "—", "least-loaded ≤ 1.10", "balance-workload.json");
            missing(makespan, "—", "≤ 1.2", "balance-workload.json");
            missing(makespan + ", exact cost estimates", "—", "≤ 1.05", "balance-workload.json");
            missing(makespan + ", estimates with lognormal noise (σ = 0.5)", "—", "≤ 1.2",
                    "balance-workload.json");
            return;
        }
        String strategy = side.get("defaultStrategy").getAsString();
        StringBuilder measured = new StringBuilder();
        double defaultRatio = Double.NaN;
        for (JsonElement e : side.getAsJsonArray("online")) {
            JsonObject row = e.getAsJsonObject();
            String name = row.get("strategy").getAsString();
            double ratio = row.get("maxOverAverage").getAsDouble();
            if (name.equals(strategy)) {
                defaultRatio = ratio;
            }
            if (name.startsWith("LEAST_LOADED")) {
                measured.append(measured.length() == 0 ? "" : "; ").append(name).append(' ')
                        .append(Fmt.num(ratio));
            }
        }
        rows.add(new Row(measure, "default strategy " + strategy, measured.toString(), "—",
                Verdict.NONE, "least-loaded ≤ 1.10", Double.isNaN(defaultRatio)
                        ? Verdict.NOT_MEASURED : Verdict.of(defaultRatio <= 1.10),
                "balance-workload.json"));
        makespanRow(side, makespan, "none", "≤ 1.2", 1.2);
        makespanRow(side, makespan + ", exact cost estimates", "exact", "≤ 1.05", 1.05);
        makespanRow(side, makespan + ", estimates with lognormal noise (σ = 0.5)", "noisy",
                "≤ 1.2", 1.2);
    }

    /**
     * The best batch ratio among the rows with the given estimates (a side file written before
     * estimates existed has no "estimates" field: its rows count as "none", and the two
     * estimate rows are reported as not measured).
     */
    private void makespanRow(JsonObject side, String measure, String estimates, String target,
            double bound) {
        String best = null;
        double bestRatio = Double.POSITIVE_INFINITY;
        for (JsonElement e : side.getAsJsonArray("batch")) {
            JsonObject row = e.getAsJsonObject();
            String kind = row.has("estimates") ? row.get("estimates").getAsString() : "none";
            if (kind.equals(estimates) && row.get("ratio").getAsDouble() < bestRatio) {
                bestRatio = row.get("ratio").getAsDouble();
                best = row.get("placement").getAsString();
            }
        }
        if (best == null) {
            missing(measure, "—", target, "balance-workload.json");
            return;
        }
        rows.add(new Row(measure, "best placement", Fmt.num(bestRatio) + " (" + best + ")",
                "—", Verdict.NONE, target, Verdict.of(bestRatio <= bound),
                "balance-workload.json"));
    }
}
