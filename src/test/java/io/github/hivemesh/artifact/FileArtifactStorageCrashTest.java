package io.github.hivemesh.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.hivemesh.testing.FuzzRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability under a real crash: a separate JVM ({@link CrashingArtifactWriter}) stores
 * self-checking artifacts in a loop and is killed with SIGKILL ({@link Process#destroyForcibly()}
 * on Linux and macOS) several times over the same directory, each time after a random number
 * of completed stores — mostly just as the next store begins, sometimes between stores. After
 * each kill the store is reopened, and:
 *
 * <ul>
 *   <li>no temporary file is left (opening the store deletes them);</li>
 *   <li>every key reads as a whole payload whose own SHA-256 checks, of that key;</li>
 *   <li>every key holds the last version the child reported as stored — or, for the one key
 *       the child was storing when it died, possibly the next one (its {@code store} may have
 *       returned just before the kill, before the report); never anything older, never a torn
 *       value.</li>
 * </ul>
 *
 * The next round's child reopens the directory itself and must find the same versions. The
 * test waits for the child's progress lines, not for time, so a loaded machine only makes it
 * slower. The seed (kill points, payload sizes) is printed; {@code -Dhivemesh.fuzz.seed=N}
 * replays the same plan.
 */
class FileArtifactStorageCrashTest {

    private static final int KEYS = 4;
    private static final int KILLS = 4;
    /** Generous: a child that prints nothing for this long has hung (or failed to start). */
    private static final long PROGRESS_TIMEOUT_SECONDS = 120;

    @TempDir
    Path root;

    @Test
    void sigkilledWriter_leavesOnlyWholeArtifacts_eachTheLastOneCompletelyWritten()
            throws Exception {
        long seed = FuzzRun.seed();
        SplittableRandom plan = new SplittableRandom(seed);
        System.out.println("artifact crash test: seed " + seed + " (replay: -Dhivemesh.fuzz.seed="
                + seed + ")");
        long started = System.nanoTime();
        Path directory = root.resolve("store");
        long[] versions = new long[KEYS];
        int stores = 0;
        int tempFilesCleaned = 0;
        int inFlightCompleted = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            int storesBeforeKill = 1 + plan.nextInt(3 * KEYS);
            boolean midStore = plan.nextInt(4) != 0;
            Child child = Child.start(directory, plan.nextLong(),
                    root.resolve("child-" + kill + ".stderr"));
            try {
                assertThat(child.awaitReady()).as("versions the child found after kill %d",
                        kill - 1).containsExactly(versions);
                for (int i = 0; i < storesBeforeKill; i++) {
                    child.await("STORED ");
                }
                if (midStore) {
                    // the child has built the payload and is entering store(): kill it there
                    child.await("STORING ");
                }
            } finally {
                child.kill();
            }
            List<long[]> reported = child.storedUntilDeath();
            stores += reported.size();

            long[] lastReported = versions.clone();
            int next = CrashingArtifactWriter.firstToStore(versions);
            for (long[] store : reported) {
                lastReported[(int) store[0]] = store[1];
                next = (int) (store[0] + 1) % KEYS;
            }
            tempFilesCleaned += temporaryFiles(directory).size();

            FileArtifactStorage reopened = new FileArtifactStorage(directory);

            assertThat(temporaryFiles(directory)).as("temporary files after reopening").isEmpty();
            List<String> present = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                long found = versionIn(reopened, k);
                long expected = lastReported[k];
                if (k == next && found == expected + 1) {
                    inFlightCompleted++;
                } else {
                    assertThat(found).as("key %d after kill %d (seed %d): last reported %d, next"
                            + " store was key %d", k, kill, seed, expected, next)
                            .isEqualTo(expected);
                }
                versions[k] = found;
                if (found > 0) {
                    present.add(CrashingArtifactWriter.key(k));
                }
            }
            assertThat(reopened.list("")).containsExactlyElementsOf(present);
        }
        System.out.printf("artifact crash test: %d SIGKILLs, %d stores reported, %d in-flight"
                + " stores found complete, %d temporary files cleaned on reopen, %,d ms%n",
                KILLS, stores, inFlightCompleted, tempFilesCleaned,
                (System.nanoTime() - started) / 1_000_000);
        assertThat(Arrays.stream(versions).min().orElseThrow()).as("progress over all kills")
                .isPositive();
    }

    /** The version stored under key {@code k}, 0 when absent; fails on a torn payload. */
    private static long versionIn(FileArtifactStorage storage, int k) {
        String key = CrashingArtifactWriter.key(k);
        return storage.retrieve(key).map(bytes -> CrashingArtifactWriter.versionOf(key, bytes))
                .orElse(0L);
    }

    private static List<Path> temporaryFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString()
                    .startsWith(FileArtifactStorage.TEMP_PREFIX)).toList();
        }
    }

    /** A running {@link CrashingArtifactWriter} and the lines it printed. */
    private static final class Child {

        private static final String EOF = "\u0000EOF";

        private final Process process;
        private final Path stderr;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();

        private Child(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            Thread reader = new Thread(this::pump, "crash-child-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path directory, long seed, Path stderr) throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Process process = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    CrashingArtifactWriter.class.getName(), directory.toString(),
                    String.valueOf(KEYS), String.valueOf(seed))
                    .redirectError(stderr.toFile())
                    .start();
            return new Child(process, stderr);
        }

        private void pump() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    process.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("pump failed: " + e);
            } finally {
                lines.add(EOF);
            }
        }

        /** The versions the child found on start. */
        long[] awaitReady() throws Exception {
            String line = next();
            if (!line.startsWith("READY")) {
                fail("child did not start: '" + line + "'" + stderrText());
            }
            return Arrays.stream(line.substring("READY ".length()).split(" "))
                    .mapToLong(Long::parseLong).toArray();
        }

        /** Waits for the child's next line starting with {@code prefix}. */
        void await(String prefix) throws Exception {
            for (String line = next(); ; line = next()) {
                seen.add(line);
                if (line.startsWith(prefix)) {
                    return;
                }
            }
        }

        private String next() throws Exception {
            String line = lines.poll(PROGRESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (line == null) {
                fail("no progress from the child in " + PROGRESS_TIMEOUT_SECONDS + " s"
                        + stderrText());
            }
            if (line.equals(EOF)) {
                fail("child exited with " + process.waitFor() + stderrText());
            }
            return line;
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(PROGRESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("child survived SIGKILL");
            }
        }

        /**
         * Every whole {@code STORED} line the child printed before it died, in order, as
         * {key index, version}: the lines already awaited, then the rest of its output.
         */
        List<long[]> storedUntilDeath() throws Exception {
            List<String> all = new ArrayList<>(seen);
            for (String line = lines.poll(PROGRESS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    !EOF.equals(line);
                    line = lines.poll(PROGRESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                if (line == null) {
                    fail("the dead child's output did not end" + stderrText());
                }
                all.add(line);
            }
            List<long[]> stored = new ArrayList<>();
            for (String line : all) {
                String[] words = line.split(" ");
                if (words.length == 4 && words[0].equals("STORED") && words[3].equals(".")) {
                    stored.add(new long[] {Long.parseLong(words[1]), Long.parseLong(words[2])});
                }
            }
            return stored;
        }

        private String stderrText() throws IOException {
            return "; child stderr:\n" + Files.readString(stderr);
        }
    }
}
