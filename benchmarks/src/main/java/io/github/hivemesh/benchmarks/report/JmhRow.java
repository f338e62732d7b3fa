package io.github.hivemesh.benchmarks.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One result of a JMH JSON file: a benchmark method with one combination of parameters.
 *
 * @param benchmark   {@code Class.method}, package dropped
 * @param mode        JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample},
 *                    {@code ss}
 * @param threads     threads running the method
 * @param params      the {@code @Param} values, in declaration order
 * @param score       the primary score
 * @param error       its 99.9 % half-interval (NaN with a single iteration)
 * @param unit        the score's unit, e.g. {@code ops/s}, {@code us/op}
 * @param percentiles for {@code sample} mode: percentile (0–100) → value in {@code unit}
 * @param samples     for {@code sample} mode the operations sampled, else the measured
 *                    iterations
 * @param secondary   secondary metrics by name, e.g. {@code gc.alloc.rate.norm}
 * @param file        the JSON file it came from
 */
record JmhRow(String benchmark, String mode, int threads, Map<String, String> params,
        double score, double error, String unit, Map<Double, Double> percentiles,
        long samples, Map<String, Metric> secondary, String file) {

    /** A secondary metric (score, error, unit). */
    record Metric(double score, double error, String unit) {
    }

    static JmhRow parse(JsonObject json, String file) {
        String name = json.get("benchmark").getAsString();
        String benchmark = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
        Map<String, String> params = new LinkedHashMap<>();
        if (json.has("params")) {
            json.getAsJsonObject("params").entrySet()
                    .forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
        }
        JsonObject primary = json.getAsJsonObject("primaryMetric");
        Map<Double, Double> percentiles = new TreeMap<>();
        if (primary.has("scorePercentiles")) {
            primary.getAsJsonObject("scorePercentiles").entrySet()
                    .forEach(e -> percentiles.put(Double.parseDouble(e.getKey()),
                            number(e.getValue())));
        }
        Map<String, Metric> secondary = new LinkedHashMap<>();
        if (json.has("secondaryMetrics")) {
            json.getAsJsonObject("secondaryMetrics").entrySet().forEach(e -> {
                JsonObject m = e.getValue().getAsJsonObject();
                secondary.put(e.getKey(), new Metric(number(m.get("score")),
                        number(m.get("scoreError")), m.get("scoreUnit").getAsString()));
            });
        }
        return new JmhRow(benchmark, json.get("mode").getAsString(),
                json.get("threads").getAsInt(), Collections.unmodifiableMap(params),
                number(primary.get("score")), number(primary.get("scoreError")),
                primary.get("scoreUnit").getAsString(), Collections.unmodifiableMap(percentiles),
                samples(primary), Collections.unmodifiableMap(secondary), file);
    }

    /**
     * Sample mode: the counts of rawDataHistogram (forks → iterations → [value, count]);
     * other modes: the values of rawData (forks → iterations).
     */
    private static long samples(JsonObject primary) {
        long count = 0;
        if (primary.has("rawDataHistogram")) {
            for (JsonElement fork : primary.getAsJsonArray("rawDataHistogram")) {
                for (JsonElement iteration : fork.getAsJsonArray()) {
                    for (JsonElement bucket : iteration.getAsJsonArray()) {
                        count += bucket.getAsJsonArray().get(1).getAsLong();
                    }
                }
            }
        } else if (primary.has("rawData")) {
            for (JsonElement fork : primary.getAsJsonArray("rawData")) {
                count += fork.getAsJsonArray().size();
            }
        }
        return count;
    }

    /** JMH writes "NaN" (a string) where it has no value. */
    private static double number(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return Double.NaN;
        }
        return element.getAsJsonPrimitive().isString()
                ? Double.parseDouble(element.getAsString()) : element.getAsDouble();
    }

    String className() {
        return benchmark.substring(0, benchmark.indexOf('.'));
    }

    String method() {
        return benchmark.substring(benchmark.indexOf('.') + 1);
    }

    String param(String name) {
        return params.get(name);
    }

    boolean sampled() {
        return mode.equals("sample");
    }

    /** The value at {@code percentile} (e.g. 99.0), in the row's unit; NaN if not sampled. */
    double percentile(double percentile) {
        Double value = percentiles.get(percentile);
        return sampled() && value != null ? value : Double.NaN;
    }

    /** Bytes allocated per operation by the whole JVM ({@code -prof gc}), if profiled. */
    Optional<Double> bytesPerOp() {
        Metric norm = secondary.get("gc.alloc.rate.norm");
        return norm == null ? Optional.empty() : Optional.of(norm.score());
    }

    /** The params as {@code a=1, b=2} (just the value when there is one), or "". */
    String paramText() {
        if (params.size() == 1) {
            return params.values().iterator().next();
        }
        StringBuilder out = new StringBuilder();
        params.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k)
                .append('=').append(v));
        return out.toString();
    }
}
