package io.github.hivemesh.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A file under review: its path, its language ("java" or "markdown") and its lines. */
record SourceFile(String path, String language, List<String> lines) {

    /**
     * Up to {@code limit} Java and Markdown files under {@code root}, about one in five of them
     * documentation; the demo reviews this very repository when run from its checkout.
     */
    static List<SourceFile> scan(Path root, int limit) {
        List<SourceFile> code = collect(root, "src/main/java");
        List<SourceFile> docs = collect(root, "docs");
        List<SourceFile> files = new ArrayList<>();
        int docCount = Math.min(docs.size(), limit / 5);
        files.addAll(docs.subList(0, docCount));
        files.addAll(code.subList(0, Math.min(code.size(), limit - docCount)));
        return files;
    }

    private static List<SourceFile> collect(Path root, String... dirs) {
        List<SourceFile> files = new ArrayList<>();
        for (String dir : dirs) {
            Path base = root.resolve(dir);
            if (!Files.isDirectory(base)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(base)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".md"))
                        .sorted(Comparator.comparing(Path::toString))
                        .forEach(p -> files.add(read(root, p)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /**
     * A small built-in change set (--sample), held in memory: its paths start with
     * {@code sample/} so no finding is mistaken for one about a file on disk.
     */
    static List<SourceFile> sample() {
        return List.of(
                new SourceFile("sample/Counter.java", "java", List.of(
                        "public class Counter {",
                        "    private volatile int count;",
                        "    public synchronized void increment() { count++; }",
                        "    // TODO handle overflow",
                        "}")),
                new SourceFile("sample/Greeter.java", "java", List.of(
                        "/** Says hello. */",
                        "public final class Greeter {",
                        "    public String greet(String name) { return \"hello \" + name; }",
                        "}")),
                new SourceFile("sample/README.md", "markdown", List.of(
                        "# Sample", "See [the guide](missing-guide.md).")));
    }

    private static SourceFile read(Path root, Path file) {
        try {
            String language = file.toString().endsWith(".java") ? "java" : "markdown";
            return new SourceFile(root.relativize(file).toString(), language,
                    Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
