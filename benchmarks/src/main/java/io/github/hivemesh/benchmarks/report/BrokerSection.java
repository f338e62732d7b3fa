package io.github.hivemesh.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The broker's tables: each benchmark method with every transport of the same run, and the
 * broker's ratio to each baseline, saying plainly where the broker loses.
 */
final class BrokerSection {

    static final String HIVEMESH = "hivemesh";
    static final String THROUGHPUT = "BrokerThroughputBenchmark";
    static final String LATENCY = "BrokerLatencyBenchmark.oneWay";

    private BrokerSection() {
    }

    /** Transports in the order the run has them, the broker first. */
    static List<String> transports(RunData data) {
        List<String> names = new ArrayList<>();
        names.add(HIVEMESH);
        for (JmhRow row : data.rows) {
            String transport = row.param("transport");
            if (row.className().startsWith("Broker") && transport != null
                    && !names.contains(transport)) {
                names.add(transport);
            }
        }
        return names;
    }

    /** Throughput methods present in the run, in a fixed order. */
    static List<String> throughputMethods(RunData data) {
        return List.of("pointToPoint", "manyToOne", "broadcast").stream()
                .filter(m -> !data.rows(THROUGHPUT + "." + m).isEmpty()).toList();
    }

    static void throughput(Markdown md, RunData data, boolean chart) {
        List<String> methods = throughputMethods(data);
        if (methods.isEmpty()) {
            return;
        }
        md.heading(2, "Broker throughput, with baselines in the same run");
        md.paragraph("One operation is one message delivered to a recipient's handler (the "
                + "sender waits for its batch of 1,024 to be handled, so this is end-to-end "
                + "handoff, not enqueueing). pointToPoint: 1 sender → 1 recipient; manyToOne: 6 "
                + "senders → 1; broadcast: 1 sender → 6, one operation per delivery. Ratio = "
                + "hivemesh ÷ baseline (above 1: hivemesh faster). A verdict is \"within "
                + "error\" when the two 99.9 % intervals overlap.");
        if (chart) {
            md.paragraph("![broker throughput](broker-throughput.png)");
        }
        for (String method : methods) {
            List<JmhRow> rows = data.rows(THROUGHPUT + "." + method);
            Optional<JmhRow> ours = rows.stream()
                    .filter(r -> HIVEMESH.equals(r.param("transport"))).findFirst();
            Markdown.Table table = new Markdown.Table("transport", ">msg/s", ">± error",
                    ">B/op (-prof gc)", ">hivemesh ÷ this", "hivemesh vs this");
            for (JmhRow row : rows) {
                double perSecond = Fmt.toPerSecond(row.unit());
                String ratio = "—";
                String verdict = "—";
                if (ours.isPresent() && row != ours.get()) {
                    JmhRow h = ours.get();
                    ratio = Fmt.ratio(h.score() / row.score());
                    verdict = compare(h.score(), h.error(), row.score(), row.error(), true);
                }
                table.row(row.param("transport"), Fmt.rate(row.score() * perSecond),
                        Fmt.rate(row.error() * perSecond),
                        row.bytesPerOp().map(Fmt::bytes).orElse("—"), ratio, verdict);
            }
            md.heading(3, method + " (" + rows.get(0).threads() + " sender thread"
                    + (rows.get(0).threads() == 1 ? "" : "s") + ")");
            md.table(table);
        }
    }

    /**
     * One line per transport: msg/s of each throughput method and the broker's ratio to it
     * (hivemesh ÷ this: below 1 means hivemesh is slower), for docs and the README.
     */
    static Markdown.Table summaryTable(RunData data) {
        List<String> methods = throughputMethods(data);
        List<String> columns = new ArrayList<>();
        columns.add("transport");
        methods.forEach(m -> columns.add(">" + m + " msg/s"));
        methods.forEach(m -> columns.add(">hivemesh ÷ this, " + m));
        Markdown.Table table = new Markdown.Table(columns.toArray(String[]::new));
        if (methods.isEmpty()) {
            return table;
        }
        for (String transport : transports(data)) {
            List<Object> cells = new ArrayList<>();
            cells.add(transport);
            List<Object> ratios = new ArrayList<>();
            for (String method : methods) {
                String bench = THROUGHPUT + "." + method;
                Optional<JmhRow> row = data.row(bench, r -> transport.equals(r.param("transport")));
                Optional<JmhRow> ours = data.row(bench, r -> HIVEMESH.equals(r.param("transport")));
                cells.add(row.map(r -> Fmt.rate(r.score() * Fmt.toPerSecond(r.unit())))
                        .orElse("—"));
                if (row.isEmpty() || ours.isEmpty() || transport.equals(HIVEMESH)) {
                    ratios.add("—");
                } else {
                    double ratio = ours.get().score() / row.get().score();
                    ratios.add(ratio < 1 ? "**" + Fmt.ratio(ratio) + " (slower)**"
                            : Fmt.ratio(ratio));
                }
            }
            cells.addAll(ratios);
            table.row(cells.toArray());
        }
        return table;
    }

    static void latency(Markdown md, RunData data, boolean chart) {
        List<JmhRow> rows = data.rows(LATENCY);
        if (rows.isEmpty()) {
            return;
        }
        md.heading(2, "Broker one-way latency, with baselines in the same run");
        md.paragraph("One operation: send one message to an idle recipient and spin until its "
                + "handler has counted it (JMH SampleTime). Ratios = hivemesh ÷ baseline at "
                + "that percentile (above 1: hivemesh slower).");
        if (chart) {
            md.paragraph("![broker latency](broker-latency.png)");
        }
        Optional<JmhRow> ours = rows.stream()
                .filter(r -> HIVEMESH.equals(r.param("transport"))).findFirst();
        Markdown.Table table = new Markdown.Table("transport", ">samples", ">mean", ">p50",
                ">p90", ">p99", ">p99.9", ">B/op", ">hivemesh ÷ this, p50",
                ">hivemesh ÷ this, p99", "hivemesh vs this");
        for (JmhRow row : rows) {
            double us = Fmt.toMicros(row.unit());
            String r50 = "—";
            String r99 = "—";
            String verdict = "—";
            if (ours.isPresent() && row != ours.get()) {
                JmhRow h = ours.get();
                double q50 = h.percentile(50.0) / row.percentile(50.0);
                double q99 = h.percentile(99.0) / row.percentile(99.0);
                r50 = Fmt.ratio(q50);
                r99 = Fmt.ratio(q99);
                List<String> slower = new ArrayList<>();
                if (q50 > 1) {
                    slower.add("p50");
                }
                if (q99 > 1) {
                    slower.add("p99");
                }
                verdict = slower.isEmpty() ? "hivemesh faster"
                        : "**hivemesh slower at " + String.join(" and ", slower) + "**";
            }
            table.row(row.param("transport"), String.format("%,d", row.samples()),
                    Fmt.micros(row.score() * us),
                    Fmt.micros(row.percentile(50.0) * us), Fmt.micros(row.percentile(90.0) * us),
                    Fmt.micros(row.percentile(99.0) * us), Fmt.micros(row.percentile(99.9) * us),
                    row.bytesPerOp().map(Fmt::bytes).orElse("—"), r50, r99, verdict);
        }
        md.table(table);
    }

    /**
     * hivemesh (h ± he) against a baseline (b ± be): "hivemesh faster", "**hivemesh slower**"
     * when the 99.9 % intervals are apart, else "within error" with the direction of the scores.
     */
    static String compare(double h, double he, double b, double be, boolean higherIsBetter) {
        boolean better = higherIsBetter ? h >= b : h <= b;
        boolean noError = Double.isNaN(he) || Double.isNaN(be);
        boolean apart = !noError && (h - he > b + be || h + he < b - be);
        String direction = better ? "hivemesh faster" : "**hivemesh slower**";
        if (noError) {
            return direction + " (no error estimate)";
        }
        return apart ? direction : "within error (" + (better ? "faster" : "slower")
                + " by score)";
    }
}
