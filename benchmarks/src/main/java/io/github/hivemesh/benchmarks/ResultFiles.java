package io.github.hivemesh.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where benchmarks write their side results: figures a JMH score cannot carry (a detection
 * interval, a simulation's outcome), as small JSON files beside the JMH JSON. The directory is
 * {@code -Dhivemesh.results} ({@code benchmarks/run.sh} passes the run's directory to the
 * forked JVMs), else {@code benchmarks/results}; the report step reads every file there.
 */
final class ResultFiles {

    private ResultFiles() {
    }

    /** Writes {@code json} to {@code <results directory>/<name>.json}, replacing it. */
    static Path write(String name, String json) {
        try {
            Path dir = Path.of(System.getProperty("hivemesh.results", "benchmarks/results"));
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(name + ".json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
