package io.github.hivemesh.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes generated fragments into hand-written Markdown (docs/benchmarks.md, the README's
 * Benchmarks section), between {@code <!-- benchmarks:NAME -->} and
 * {@code <!-- /benchmarks:NAME -->}, so the figures quoted there are always the report's.
 */
final class Embed {

    private static final Pattern REGION = Pattern.compile(
            "(<!-- benchmarks:([a-z-]+) -->\\n)(.*?)(<!-- /benchmarks:\\2 -->)", Pattern.DOTALL);

    private Embed() {
    }

    /** Replaces every marked region of {@code file}; an unknown region name is an error. */
    static void into(Path file, Map<String, String> fragments) throws IOException {
        String text = Files.readString(file);
        Matcher m = REGION.matcher(text);
        StringBuilder out = new StringBuilder();
        int regions = 0;
        while (m.find()) {
            String fragment = fragments.get(m.group(2));
            if (fragment == null) {
                throw new IllegalArgumentException(file + ": no fragment named '" + m.group(2)
                        + "'; known: " + fragments.keySet());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + fragment.strip()
                    + "\n" + m.group(4)));
            regions++;
        }
        m.appendTail(out);
        if (!out.toString().equals(text)) {
            Files.writeString(file, out.toString());
        }
        System.out.println("report: " + regions + " region(s) of " + file + " refreshed");
    }
}
