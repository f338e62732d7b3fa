package io.github.hivemesh.benchmarks.report;

import java.util.List;
import java.util.Optional;

/**
 * Task throughput of each swarm beside the two baselines of the same run (a bare fixed pool of
 * 2 + {@code CompletableFuture}, and Pekko typed actors): tasks/s, and each swarm's ratio to
 * each baseline with its error.
 */
final class TaskSection {

    static final String BENCH = "TaskThroughputBenchmark.submitAndAwait";
    static final String BARE = "baseline-executor";
    static final String PEKKO = "baseline-pekko-7";

    private TaskSection() {
    }

    /**
     * A ratio a ÷ b with its error, from the two scores' 99.9 % half-intervals: relative errors
     * added in quadrature (first order; NaN when either score has no error estimate).
     */
    record Ratio(double value, double error) {

        static Ratio of(JmhRow a, JmhRow b) {
            double value = a.score() / b.score();
            double relative = Math.hypot(a.error() / a.score(), b.error() / b.score());
            return new Ratio(value, value * relative);
        }

        String text() {
            return Fmt.ratio(value) + (Double.isNaN(error) ? "" : " ± " + Fmt.num(error));
        }
    }

    static Optional<JmhRow> row(RunData data, String swarm) {
        return data.row(BENCH, r -> swarm.equals(r.param("swarm")));
    }

    /** The swarms of the run (no baselines), in run order. */
    static List<JmhRow> swarms(RunData data) {
        return data.rows(BENCH).stream()
                .filter(r -> r.param("swarm") != null && !r.param("swarm").startsWith("baseline-"))
                .toList();
    }

    static Markdown.Table table(RunData data) {
        Markdown.Table table = new Markdown.Table("swarm", ">tasks/s", ">± error", ">B/task",
                ">÷ bare executor", ">÷ Pekko typed");
        Optional<JmhRow> bare = row(data, BARE);
        Optional<JmhRow> pekko = row(data, PEKKO);
        for (JmhRow r : data.rows(BENCH)) {
            double perSecond = Fmt.toPerSecond(r.unit());
            boolean baseline = r.param("swarm").startsWith("baseline-");
            table.row(r.param("swarm"), Fmt.rate(r.score() * perSecond),
                    Fmt.rate(r.error() * perSecond), r.bytesPerOp().map(Fmt::bytes).orElse("—"),
                    baseline ? "—" : bare.map(b -> Ratio.of(r, b).text()).orElse("not run"),
                    baseline ? "—" : pekko.map(p -> Ratio.of(r, p).text()).orElse("not run"));
        }
        return table;
    }

    static void throughput(Markdown md, RunData data) {
        if (data.rows(BENCH).isEmpty()) {
            return;
        }
        md.heading(2, "Task throughput, with baselines in the same run");
        md.paragraph("One operation is one trivial task submitted, run and counted as ended; "
                + "each invocation submits a batch from one thread and waits for completion. "
                + "Baselines: `" + BARE + "` = `Executors.newFixedThreadPool(2)` + "
                + "`CompletableFuture.supplyAsync` + `allOf`; `" + PEKKO + "` = the batch "
                + "routed round-robin to 7 Pekko typed worker actors, each replying to a "
                + "counting actor. Ratios = swarm ÷ baseline (above 1: the swarm is faster), "
                + "± the first-order error from both 99.9 % intervals. B/task is "
                + "`gc.alloc.rate.norm` (every thread).");
        md.table(table(data));
    }
}
