package io.github.hivemesh.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.hivemesh.memory.PeerState;
import io.github.hivemesh.memory.PeerStateCodec;
import io.github.hivemesh.testing.FuzzRun;
import io.github.hivemesh.testing.Mutator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged artifact files on disk: a valid file is written by the store, its bytes are damaged
 * ({@link Mutator}: bit flips, truncations, insertions, a corrupted or huge payload length in
 * the header, damaged MessagePack inside the payload...), written back, and read — by the open
 * store or by a store reopened on the directory (which must also clean a planted temporary
 * file). A read returns the original payload if the bytes are unchanged and raises
 * {@link ArtifactCorruptedException} otherwise: never other bytes, never another exception.
 *
 * <p>The checksum is a CRC32C, so a damaged file passes for whole with probability 2⁻³² per
 * case; at 10⁵ cases a spurious failure is a 1-in-40,000 event, and its seed replays it.
 *
 * <p>2·10³ cases by default, 10⁵ with {@code -Plong}; the seed is printed and replays with
 * {@code -Dhivemesh.fuzz.seed=N}.
 */
class ArtifactFileFuzzTest {

    private static final long MAX_CASE_ALLOCATION = 2L << 20;
    private static final int MAX_ARTIFACT_BYTES = 1 << 16;

    @TempDir
    Path directory;

    /** A stored artifact: its key, payload, file bytes and their length fields. */
    private record Original(String key, byte[] payload, byte[] file,
            List<Mutator.LengthField> lengthFields) {
    }

    @Test
    void damagedArtifactFiles_areReportedCorrupted_neverReturnedAsData() throws IOException {
        long seed = FuzzRun.seed();
        int cases = FuzzRun.cases(2_000, 100_000);
        SplittableRandom corpusRandom = new SplittableRandom(seed);
        FileArtifactStorage[] storage = {new FileArtifactStorage(directory, MAX_ARTIFACT_BYTES)};
        List<Original> originals = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] payload = i == 0 ? new byte[0] : i == 1 ? randomBytes(corpusRandom, 3000)
                    : PeerStateCodec.INSTANCE.encode(state(corpusRandom, i));
            String key = "peer-state/fuzz/p" + i;
            storage[0].store(key, payload);
            byte[] file = Files.readAllBytes(fileOf(key));
            List<Mutator.LengthField> fields = new ArrayList<>(List.of(
                    new Mutator.LengthField(8, 4, Mutator.Family.RAW)));
            if (i >= 2) {
                fields.addAll(Mutator.shifted(Mutator.msgpackLengthFields(payload),
                        ArtifactFileFormat.HEADER_BYTES));
            }
            originals.add(new Original(key, payload, file, fields));
        }

        FuzzRun.Report report = assertTimeoutPreemptively(Duration.ofMinutes(20),
                () -> FuzzRun.run("artifact file fuzz", seed, cases, MAX_CASE_ALLOCATION,
                        (index, random) -> {
                            if (index % 100 == 99) {
                                storage[0] = reopenAfterPlantingATemporaryFile(index);
                            }
                            return damageAndRead(storage[0],
                                    originals.get(index % originals.size()), random);
                        }));

        assertThat(report.outcomes()).containsKey("corrupted");
        for (Original original : originals) {
            Files.write(fileOf(original.key()), original.file());
            assertThat(storage[0].retrieve(original.key())).hasValueSatisfying(
                    bytes -> assertThat(bytes).isEqualTo(original.payload()));
        }
    }

    private String damageAndRead(FileArtifactStorage storage, Original original,
            SplittableRandom random) throws IOException {
        Mutator.Mutant mutant = Mutator.mutate(random, original.file(), original.lengthFields());
        Files.write(fileOf(original.key()), mutant.bytes());
        boolean unchanged = Arrays.equals(mutant.bytes(), original.file());
        Optional<byte[]> read;
        try {
            read = storage.retrieve(original.key());
        } catch (ArtifactCorruptedException e) {
            assertThat(unchanged).as("an unchanged file reported corrupted: %s", e).isFalse();
            assertThat(e.key()).isEqualTo(original.key());
            return "corrupted";
        } catch (RuntimeException | Error e) {
            throw new AssertionError("reading a " + mutant.kind() + " file threw " + e
                    + "; file " + Mutator.hex(mutant.bytes(), 256), e);
        }
        assertThat(unchanged).as("a %s file was returned as data: %s", mutant.kind(),
                Mutator.hex(mutant.bytes(), 256)).isTrue();
        assertThat(read).hasValueSatisfying(
                bytes -> assertThat(bytes).isEqualTo(original.payload()));
        return "unchanged";
    }

    private FileArtifactStorage reopenAfterPlantingATemporaryFile(int index) throws IOException {
        Files.write(directory.resolve(FileArtifactStorage.TEMP_PREFIX + "p0.artifact-" + index),
                new byte[] {1, 2, 3});
        FileArtifactStorage reopened = new FileArtifactStorage(directory, MAX_ARTIFACT_BYTES);
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .noneMatch(name -> name.startsWith(FileArtifactStorage.TEMP_PREFIX));
        }
        return reopened;
    }

    private Path fileOf(String key) {
        return directory.resolve(key.replace('/', '~') + FileArtifactStorage.SUFFIX);
    }

    private static PeerState state(SplittableRandom random, int peer) {
        List<String> tasks = new ArrayList<>();
        for (int i = random.nextInt(20); i > 0; i--) {
            tasks.add("task-" + random.nextInt(1_000_000));
        }
        return new PeerState("p" + peer, "fuzz", random.nextInt(100), tasks,
                Map.of("completed", random.nextLong(0, Long.MAX_VALUE)),
                Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L),
                        random.nextInt(1_000_000_000)),
                random.nextLong(0, Long.MAX_VALUE));
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
