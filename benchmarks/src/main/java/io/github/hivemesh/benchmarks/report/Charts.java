package io.github.hivemesh.benchmarks.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/** The report's charts, drawn with XChart from the run's rows and saved as PNG. */
final class Charts {

    /** Distinct colours, the broker's first, so seven transports stay apart. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e),
        new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b),
        new Color(0xe377c2), new Color(0x7f7f7f)};

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 520;

    private Charts() {
    }

    /**
     * Broker throughput: one group of bars per benchmark method, one bar per transport, in
     * millions of messages per second with the 99.9 % error as error bars.
     *
     * @return whether there was anything to draw
     */
    static boolean brokerThroughput(RunData data, List<String> methods, List<String> transports,
            Path file) throws IOException {
        if (methods.isEmpty()) {
            return false;
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Broker handoff throughput, same run (higher is better)")
                .xAxisTitle("benchmark").yAxisTitle("M msg/s").build();
        style(chart);
        boolean any = false;
        for (String transport : transports) {
            List<String> x = new ArrayList<>();
            List<Number> y = new ArrayList<>();
            List<Number> errors = new ArrayList<>();
            for (String method : methods) {
                JmhRow row = data.row("BrokerThroughputBenchmark." + method,
                        r -> transport.equals(r.param("transport"))).orElse(null);
                x.add(method);
                double perSecond = row == null ? 0 : row.score() * Fmt.toPerSecond(row.unit());
                y.add(perSecond / 1e6);
                double error = row == null || Double.isNaN(row.error()) ? 0
                        : row.error() * Fmt.toPerSecond(row.unit()) / 1e6;
                errors.add(Math.min(error, perSecond / 1e6));
                any |= row != null;
            }
            chart.addSeries(transport, x, y, errors);
        }
        if (any) {
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
        }
        return any;
    }

    /**
     * One-way latency per transport: p50, p90 and p99 bars on a logarithmic axis.
     *
     * @return whether there was anything to draw
     */
    static boolean brokerLatency(RunData data, List<String> transports, Path file)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("Broker one-way latency, same run (lower is better; log scale)")
                .xAxisTitle("transport").yAxisTitle("µs").build();
        style(chart);
        chart.getStyler().setYAxisLogarithmic(true);
        Map<String, double[]> byTransport = new LinkedHashMap<>();
        for (String transport : transports) {
            data.row("BrokerLatencyBenchmark.oneWay", r -> transport.equals(r.param("transport")))
                    .ifPresent(r -> byTransport.put(transport, new double[] {
                        r.percentile(50.0) * Fmt.toMicros(r.unit()),
                        r.percentile(90.0) * Fmt.toMicros(r.unit()),
                        r.percentile(99.0) * Fmt.toMicros(r.unit())}));
        }
        if (byTransport.isEmpty()) {
            return false;
        }
        // bars start at the axis minimum, which must be positive on a log axis
        double smallest = byTransport.values().stream().mapToDouble(v -> v[0])
                .filter(v -> v > 0).min().orElse(1);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
        String[] names = {"p50", "p90", "p99"};
        for (int i = 0; i < names.length; i++) {
            int column = i;
            chart.addSeries(names[i], new ArrayList<>(byTransport.keySet()),
                    byTransport.values().stream().map(v -> (Number) v[column]).toList());
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
        return true;
    }

    private static void style(CategoryChart chart) {
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.85);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setSeriesColors(PALETTE);
    }
}
