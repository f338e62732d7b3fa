package io.github.hivemesh.benchmarks;

import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.artifact.FileArtifactStorage;
import io.github.hivemesh.artifact.InMemoryArtifactStorage;
import io.github.hivemesh.memory.PeerState;
import io.github.hivemesh.memory.PeerStateCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Target (docs/design.md §6): artifact share of a 1 KB peer state — encode + store + load + decode
 * — p95: seed &lt; 15 ms; ours &lt; 20 µs in memory, and the file store reported beside the raw
 * cost of {@code FileChannel.force} measured in the same run.
 *
 * <p>{@link #share}: one operation encodes a {@link PeerState} of about 1 KB with
 * {@link PeerStateCodec}, stores it under a peer-state key, retrieves it and decodes it, through
 * the public {@link ArtifactStorage} API of {@link InMemoryArtifactStorage} or
 * {@link FileArtifactStorage} (which writes a temp file, forces it, renames it over the old one
 * and forces the directory: two forces per store).
 *
 * <p>The raw figures, on a file in the same directory: {@link #rawForce} writes 1 KB at offset
 * 0 of an open file and forces it; {@link #rawDurableReplace} does the operating-system calls a
 * durable replace needs (create, write, force, rename, force the directory) — the floor under
 * any crash-safe file store. The directory is a fresh one under {@code java.io.tmpdir} (or
 * {@code -Dhivemesh.benchdir}), so its file system decides these figures: name it in reports.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ArtifactShareBenchmark {

    static final String KEY = "peer-state/bench-swarm/peer-7";
    static final int TARGET_BYTES = 1024;

    /** A fresh directory for the file store and the raw files; deleted after the trial. */
    @State(Scope.Thread)
    public static class Directory {
        Path path;

        @Setup(Level.Trial)
        public void create() throws IOException {
            Path parent = Path.of(System.getProperty("hivemesh.benchdir",
                    System.getProperty("java.io.tmpdir")));
            path = Files.createTempDirectory(parent, "hivemesh-artifact-bench-");
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            try (Stream<Path> files = Files.walk(path)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The store under test and the state to share. */
    @State(Scope.Thread)
    public static class Share {
        @Param({"memory", "file"})
        public String store;

        ArtifactStorage storage;
        PeerState state;

        @Setup(Level.Trial)
        public void setUp(Directory directory) {
            storage = switch (store) {
                case "memory" -> new InMemoryArtifactStorage();
                case "file" -> new FileArtifactStorage(directory.path);
                default -> throw new IllegalArgumentException("unknown store " + store);
            };
            state = peerStateOfAbout(TARGET_BYTES);
            int size = PeerStateCodec.INSTANCE.encode(state).length;
            if (size > TARGET_BYTES + 64) {
                throw new IllegalStateException("the shared peer state encodes to " + size
                        + " bytes, not about " + TARGET_BYTES);
            }
        }
    }

    /** An open 1 KB file for the raw force. */
    @State(Scope.Thread)
    public static class RawFile {
        final ByteBuffer kilobyte = ByteBuffer.allocateDirect(TARGET_BYTES);
        FileChannel channel;
        Path directory;
        long replaced;

        @Setup(Level.Trial)
        public void open(Directory dir) throws IOException {
            directory = dir.path;
            channel = FileChannel.open(directory.resolve("raw.bin"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Encode, store, retrieve and decode one ~1 KB peer state. */
    @Benchmark
    public PeerState share(Share share) {
        byte[] bytes = PeerStateCodec.INSTANCE.encode(share.state);
        share.storage.store(KEY, bytes);
        return PeerStateCodec.INSTANCE.decode(share.storage.retrieve(KEY).orElseThrow());
    }

    /** Write 1 KB at offset 0 of an open file and force it (content and metadata). */
    @Benchmark
    public int rawForce(RawFile raw) throws IOException {
        raw.kilobyte.clear();
        int written = raw.channel.write(raw.kilobyte, 0);
        raw.channel.force(true);
        return written;
    }

    /** Create a temp file, write 1 KB, force it, rename it over the target, force the directory. */
    @Benchmark
    public long rawDurableReplace(RawFile raw) throws IOException {
        Path temp = raw.directory.resolve("raw-" + raw.replaced++ + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            raw.kilobyte.clear();
            channel.write(raw.kilobyte);
            channel.force(true);
        }
        Files.move(temp, raw.directory.resolve("raw-target.bin"),
                StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(raw.directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
        return raw.replaced;
    }

    /**
     * A realistic peer state (a busy peer: a dozen task ids, a dozen counters) padded with
     * counters until its encoding reaches {@code bytes}.
     */
    static PeerState peerStateOfAbout(int bytes) {
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            tasks.add("task-7f3c9a2e-" + (1000 + i));
        }
        Map<String, Long> metrics = new LinkedHashMap<>();
        String[] names = {"tasks.completed", "tasks.failed", "tasks.delegated", "tokens.used",
            "tokens.saved", "messages.sent", "messages.received", "signals.sent", "pauses",
            "resumes", "queue.max", "latency.p99.us"};
        for (int i = 0; i < names.length; i++) {
            metrics.put(names[i], 1_000_003L * (i + 1));
        }
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        PeerState state = new PeerState("peer-7", "bench-swarm", 12, tasks, metrics, now, 42);
        for (int extra = 0; PeerStateCodec.INSTANCE.encode(state).length < bytes; extra++) {
            metrics.put("custom.counter." + extra, 7_000_000_000L + extra);
            state = new PeerState("peer-7", "bench-swarm", 12, tasks, metrics, now, 42);
        }
        return state;
    }
}
