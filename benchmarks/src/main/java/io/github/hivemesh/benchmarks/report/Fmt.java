package io.github.hivemesh.benchmarks.report;

import java.util.Locale;

/** Number formatting and unit conversion for the report. */
final class Fmt {

    private Fmt() {
    }

    /** Three significant digits (fewer trailing zeros), or "—" for NaN. */
    static String num(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        double abs = Math.abs(value);
        String pattern = abs >= 100 ? "%,.0f" : abs >= 10 ? "%.1f" : abs >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** A rate in operations per second, as "12.3 M/s", "456 k/s", "789 /s". */
    static String rate(double perSecond) {
        if (Double.isNaN(perSecond)) {
            return "—";
        }
        if (perSecond >= 1e6) {
            return num(perSecond / 1e6) + " M/s";
        }
        if (perSecond >= 1e3) {
            return num(perSecond / 1e3) + " k/s";
        }
        return num(perSecond) + " /s";
    }

    /** A duration in microseconds, as "7.12 µs", "1.23 ms" or "2.05 s". */
    static String micros(double us) {
        if (Double.isNaN(us)) {
            return "—";
        }
        if (us >= 1e6) {
            return num(us / 1e6) + " s";
        }
        if (us >= 1e3) {
            return num(us / 1e3) + " ms";
        }
        return num(us) + " µs";
    }

    /** A ratio as "×1.23". */
    static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "—" : "×" + num(value);
    }

    static String percent(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.1f %%", value);
    }

    static String bytes(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%,.0f B", value);
    }

    /** Factor turning a JMH time unit ({@code ns/op}, {@code us/op}...) into microseconds. */
    static double toMicros(String unit) {
        return switch (unit.substring(0, unit.indexOf('/'))) {
            case "ns" -> 1e-3;
            case "us" -> 1;
            case "ms" -> 1e3;
            case "s" -> 1e6;
            case "min" -> 60e6;
            default -> throw new IllegalArgumentException("not a time unit: " + unit);
        };
    }

    /** Factor turning a JMH rate unit ({@code ops/s}, {@code ops/ms}...) into per second. */
    static double toPerSecond(String unit) {
        return switch (unit.substring(unit.indexOf('/') + 1)) {
            case "ns" -> 1e9;
            case "us" -> 1e6;
            case "ms" -> 1e3;
            case "s" -> 1;
            case "min" -> 1.0 / 60;
            default -> throw new IllegalArgumentException("not a rate unit: " + unit);
        };
    }

    /** Whether a JMH unit is a time per operation (else it is a rate). */
    static boolean isTimeUnit(String unit) {
        return unit.endsWith("/op");
    }
}
