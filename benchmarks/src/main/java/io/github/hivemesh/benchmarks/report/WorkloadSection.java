package io.github.hivemesh.benchmarks.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;

/** Side results: completion detection intervals and the two reference workloads. */
final class WorkloadSection {

    private WorkloadSection() {
    }

    /** Every side file shaped like a latency record (count, p50, p95, p99, max). */
    static void detectionIntervals(Markdown md, RunData data) {
        Markdown.Table table = new Markdown.Table("swarm (side file)", ">rounds", ">p50", ">p95",
                ">p99", ">max");
        for (Map.Entry<String, JsonObject> e : data.sideResults.entrySet()) {
            JsonObject side = e.getValue();
            if (!side.has("p99") || !side.has("count")) {
                continue;
            }
            double us = side.has("unit") ? Fmt.toMicros(side.get("unit").getAsString() + "/op")
                    : 1;
            table.row(e.getKey(), String.format("%,d", side.get("count").getAsLong()),
                    Fmt.micros(side.get("p50").getAsDouble() * us),
                    Fmt.micros(side.get("p95").getAsDouble() * us),
                    Fmt.micros(side.get("p99").getAsDouble() * us),
                    Fmt.micros(side.get("max").getAsDouble() * us));
        }
        if (table.isEmpty()) {
            return;
        }
        md.heading(2, "Completion detection: last execute return → waitForCompletion");
        md.paragraph("Recorded by the completion benchmarks beside their JMH score (which is the "
                + "whole round): from the moment the last session's execute returns to the "
                + "moment the completion future completes, one sample per round of the "
                + "measurement iterations (warm-up rounds are not recorded).");
        md.table(table);
    }

    static void balance(Markdown md, RunData data) {
        JsonObject side = data.sideResults.get("balance-workload");
        if (side == null) {
            return;
        }
        JsonObject w = side.getAsJsonObject("workload");
        md.heading(2, "Reference balance workload (deterministic simulation)");
        md.paragraph(String.format("%,d peers, %,d tasks, Poisson arrivals at %.0f %% "
                + "utilisation, lognormal durations (σ = %s), seed %d; the library's default "
                + "placement is %s. Online: time-averaged unfinished tasks per peer over the "
                + "arrival period; batch: makespan ÷ max(ΣT/P, max T), without cost "
                + "estimates, with exact ones and with ones off by a lognormal factor "
                + "(σ = 0.5); with estimates the backlog is taken longest first.",
                w.get("peers").getAsInt(), w.get("tasks").getAsInt(),
                100 * w.get("utilisation").getAsDouble(), w.get("sigma").getAsString(),
                w.get("seed").getAsLong(), side.get("defaultStrategy").getAsString()));
        Markdown.Table online = new Markdown.Table("online placement", ">max/avg", ">avg",
                ">max", ">mean response (task durations)");
        for (JsonElement e : side.getAsJsonArray("online")) {
            JsonObject r = e.getAsJsonObject();
            online.row(r.get("strategy").getAsString(),
                    Fmt.num(r.get("maxOverAverage").getAsDouble()),
                    Fmt.num(r.get("averageUnfinished").getAsDouble()),
                    Fmt.num(r.get("maxUnfinished").getAsDouble()),
                    Fmt.num(r.get("meanResponseTime").getAsDouble()));
        }
        md.table(online);
        Markdown.Table batch = new Markdown.Table("batch placement", "cost estimates",
                ">makespan", ">lower bound", ">ratio");
        for (JsonElement e : side.getAsJsonArray("batch")) {
            JsonObject r = e.getAsJsonObject();
            batch.row(r.get("placement").getAsString(),
                    r.has("estimates") ? r.get("estimates").getAsString() : "none",
                    Fmt.num(r.get("makespan").getAsDouble()),
                    Fmt.num(r.get("lowerBound").getAsDouble()),
                    Fmt.num(r.get("ratio").getAsDouble()));
        }
        md.table(batch);
    }

    static void tokens(Markdown md, RunData data) {
        JsonObject side = data.sideResults.get("token-workload");
        if (side == null) {
            return;
        }
        JsonObject w = side.getAsJsonObject("workload");
        md.heading(2, "Reference token workload (deterministic simulation)");
        md.paragraph(String.format("%d agents for %.0f s of virtual time, %s tokens/s idle, %s "
                + "tokens per resume, seed %d: %d idle gaps, %.0f s idle in all. \"default "
                + "policy\" is what a default SwarmConfig pauses with.",
                w.get("agents").getAsInt(), w.get("seconds").getAsDouble(),
                Fmt.num(w.get("idleTokensPerSecond").getAsDouble()),
                Fmt.num(w.get("tokensPerResume").getAsDouble()), w.get("seed").getAsLong(),
                side.get("gaps").getAsInt(), side.get("idleSeconds").getAsDouble()));
        double none = side.get("noPausingTokens").getAsDouble();
        Markdown.Table table = new Markdown.Table("policy", ">idle tokens", ">saved");
        table.row("no pausing", Fmt.num(none), Fmt.percent(0));
        table.row("pause at once", Fmt.num(side.get("pauseAtOnceTokens").getAsDouble()),
                Fmt.percent(side.get("pauseAtOnceSavingsPercent").getAsDouble()));
        table.row("fixed break-even threshold",
                Fmt.num(side.get("breakEvenTokens").getAsDouble()),
                Fmt.percent(side.get("breakEvenSavingsPercent").getAsDouble()));
        table.row("default policy (" + side.get("policyResumes").getAsLong() + " resumes; "
                + Fmt.percent(side.get("percentOfOptimum").getAsDouble())
                + " of the optimum's saving)", Fmt.num(side.get("policyTokens").getAsDouble()),
                Fmt.percent(side.get("policySavingsPercent").getAsDouble()));
        table.row("offline optimum", Fmt.num(side.get("optimalTokens").getAsDouble()),
                Fmt.percent(side.get("optimalSavingsPercent").getAsDouble()));
        md.table(table);
    }
}
