package io.github.hivemesh.benchmarks.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Everything one run left in its directory: the JMH rows of every JMH JSON file (an array), the
 * side results (any other JSON object, by file name without {@code .json}), {@code run.json}
 * and {@code machine.txt} as {@code benchmarks/run.sh} writes them.
 */
final class RunData {

    final Path directory;
    final List<JmhRow> rows;
    final Map<String, JsonObject> sideResults;
    final Optional<JsonObject> run;
    final List<String> machine;

    private RunData(Path directory, List<JmhRow> rows, Map<String, JsonObject> sideResults,
            Optional<JsonObject> run, List<String> machine) {
        this.directory = directory;
        this.rows = rows;
        this.sideResults = sideResults;
        this.run = run;
        this.machine = machine;
    }

    static RunData load(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("no results directory " + directory);
        }
        List<JmhRow> rows = new ArrayList<>();
        Map<String, JsonObject> side = new TreeMap<>();
        JsonObject run = null;
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString().replaceFirst("\\.json$", "");
            JsonElement json = JsonParser.parseString(Files.readString(file));
            if (json.isJsonArray()) {
                for (JsonElement row : json.getAsJsonArray()) {
                    rows.add(JmhRow.parse(row.getAsJsonObject(), file.getFileName().toString()));
                }
            } else if (name.equals("run")) {
                run = json.getAsJsonObject();
            } else {
                side.put(name, json.getAsJsonObject());
            }
        }
        Path machine = directory.resolve("machine.txt");
        List<String> machineLines = Files.exists(machine) ? Files.readAllLines(machine)
                : List.of();
        return new RunData(directory, Collections.unmodifiableList(rows),
                Collections.unmodifiableMap(side), Optional.ofNullable(run), machineLines);
    }

    /** Rows of one benchmark method ({@code Class.method}), in file order. */
    List<JmhRow> rows(String benchmark) {
        return rows.stream().filter(r -> r.benchmark().equals(benchmark)).toList();
    }

    /** The first row of {@code benchmark} whose params pass {@code filter}. */
    Optional<JmhRow> row(String benchmark, Predicate<JmhRow> filter) {
        return rows(benchmark).stream().filter(filter).findFirst();
    }

    /** The value of a {@code name: value} line of lscpu in machine.txt, if any. */
    Optional<String> lscpu(String name) {
        return machine.stream().filter(l -> l.startsWith(name + ":"))
                .map(l -> l.substring(name.length() + 1).trim()).findFirst();
    }

    /** The lines under the header {@code # title} in machine.txt, up to a blank line. */
    List<String> machineLines(String title) {
        int at = machine.indexOf("# " + title);
        if (at < 0) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (int i = at + 1; i < machine.size() && !machine.get(i).isBlank()
                && !machine.get(i).startsWith("# "); i++) {
            lines.add(machine.get(i));
        }
        return lines;
    }

    /** The line after the header {@code # title} in machine.txt, if any. */
    Optional<String> machineSection(String title) {
        int at = machine.indexOf("# " + title);
        return at < 0 || at + 1 >= machine.size() ? Optional.empty()
                : Optional.of(machine.get(at + 1).trim());
    }
}
