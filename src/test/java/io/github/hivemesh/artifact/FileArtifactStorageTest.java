package io.github.hivemesh.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileArtifactStorageTest extends ArtifactStorageContract {

    @TempDir
    Path root;

    private final AtomicInteger stores = new AtomicInteger();

    @Override
    ArtifactStorage storage() {
        return new FileArtifactStorage(root.resolve("store-" + stores.incrementAndGet()));
    }

    private Path fileOf(FileArtifactStorage storage, String key) {
        return storage.directory().resolve(key.replace('/', '~') + FileArtifactStorage.SUFFIX);
    }

    /** A fresh store holding {@code payload} under key "k", and that artifact's file. */
    private record Stored(FileArtifactStorage storage, Path file, byte[] original) {

        /** Replaces the file's content, then asserts on what reading it back throws. */
        AbstractThrowableAssert<?, ? extends Throwable> readAfterWriting(byte[] content)
                throws IOException {
            Files.write(file, content);
            return assertThatThrownBy(() -> storage.retrieve("k"));
        }
    }

    private Stored storedUnderK(String directory, String payload) throws IOException {
        FileArtifactStorage storage = new FileArtifactStorage(root.resolve(directory));
        storage.store("k", bytes(payload));
        Path file = fileOf(storage, "k");
        return new Stored(storage, file, Files.readAllBytes(file));
    }

    @Test
    void reopenedStore_seesEverythingStoredBefore() {
        Path dir = root.resolve("durable");
        FileArtifactStorage first = new FileArtifactStorage(dir);
        first.store("peer-state/s/a", bytes("state-a"));
        first.store("checkpoint/b", bytes("cp"));

        FileArtifactStorage reopened = new FileArtifactStorage(dir);

        assertThat(reopened.list("")).containsExactly("checkpoint/b", "peer-state/s/a");
        assertThat(reopened.retrieve("peer-state/s/a"))
                .hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("state-a")));
    }

    @Test
    void retrieve_anyFlippedByte_throwsArtifactCorrupted() throws IOException {
        Stored stored = storedUnderK("flip", "a payload worth protecting");

        for (int position = 0; position < stored.original().length; position++) {
            byte[] damaged = stored.original().clone();
            damaged[position] ^= 0x01;
            stored.readAfterWriting(damaged)
                    .as("flipped byte at %d", position)
                    .isInstanceOf(ArtifactCorruptedException.class)
                    .hasMessageStartingWith("artifact 'k' is corrupted: ");
        }
    }

    @Test
    void retrieve_truncatedAtAnyLength_throwsArtifactCorrupted() throws IOException {
        Stored stored = storedUnderK("truncate", "0123456789");
        byte[] original = stored.original();

        for (int length = 0; length < original.length; length++) {
            stored.readAfterWriting(Arrays.copyOf(original, length))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(ArtifactCorruptedException.class);
        }
        stored.readAfterWriting(Arrays.copyOf(original, original.length - 1)).hasMessage(
                "artifact 'k' is corrupted: header declares 10 payload bytes but the file holds 9"
                        + " (truncated)");
    }

    @Test
    void retrieve_fileWithExtraBytes_throwsArtifactCorrupted() throws IOException {
        Stored stored = storedUnderK("extend", "abc");

        stored.readAfterWriting(Arrays.copyOf(stored.original(), stored.original().length + 1))
                .hasMessage("artifact 'k' is corrupted: header declares 3 payload bytes but the"
                        + " file holds 4");
    }

    @Test
    void retrieve_fileCopiedUnderAnotherKey_throwsArtifactCorrupted() throws IOException {
        FileArtifactStorage storage = new FileArtifactStorage(root.resolve("swap"));
        storage.store("a", bytes("for a"));
        Files.copy(fileOf(storage, "a"), fileOf(storage, "b"));

        assertThatThrownBy(() -> storage.retrieve("b"))
                .isInstanceOf(ArtifactCorruptedException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void retrieve_wrongMagicVersionOrFlags_saysWhich() throws IOException {
        Stored stored = storedUnderK("header", "x");

        byte[] magic = stored.original().clone();
        magic[0] = 'X';
        stored.readAfterWriting(magic).hasMessageContaining("bad magic");
        byte[] version = stored.original().clone();
        version[5] = 9;
        stored.readAfterWriting(version).hasMessageContaining("unsupported file format version 9");
        byte[] flags = stored.original().clone();
        flags[7] = 1;
        stored.readAfterWriting(flags).hasMessageContaining("reserved flags are 1, not 0");
    }

    @Test
    void store_forcesTheTemporaryFileBeforeRenamingIt() {
        List<String> calls = new CopyOnWriteArrayList<>();
        FileOps recording = new FileOps() {
            @Override
            public FileChannel createForWrite(Path path) throws IOException {
                calls.add("create " + kind(path));
                return FileOps.DEFAULT.createForWrite(path);
            }

            @Override
            public void force(FileChannel channel) throws IOException {
                calls.add("force " + channel.size() + " bytes");
                FileOps.DEFAULT.force(channel);
            }

            @Override
            public void moveAtomically(Path source, Path target) throws IOException {
                calls.add("move " + kind(source) + " -> " + kind(target)
                        + (Files.exists(target) ? " (replacing)" : ""));
                FileOps.DEFAULT.moveAtomically(source, target);
            }

            @Override
            public void forceDirectory(Path directory) throws IOException {
                calls.add("force directory");
                FileOps.DEFAULT.forceDirectory(directory);
            }
        };
        FileArtifactStorage storage = new FileArtifactStorage(root.resolve("order"),
                FileArtifactStorage.DEFAULT_MAX_ARTIFACT_BYTES, recording);

        storage.store("k", bytes("12345"));
        storage.store("k", bytes("123"));

        // 16-byte header + payload: the whole file is on the device before the rename
        assertThat(calls).containsExactly(
                "create temp", "force 21 bytes", "move temp -> artifact", "force directory",
                "create temp", "force 19 bytes", "move temp -> artifact (replacing)",
                "force directory");
        assertThat(storage.retrieve("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("123")));
    }

    private static String kind(Path path) {
        String name = path.getFileName().toString();
        return name.startsWith(FileArtifactStorage.TEMP_PREFIX) ? "temp"
                : name.endsWith(FileArtifactStorage.SUFFIX) ? "artifact" : name;
    }

    @Test
    void store_failingForce_keepsTheOldValueAndLeavesNoTemporaryFile() throws IOException {
        FileOps failing = new FileOps() {
            @Override
            public FileChannel createForWrite(Path path) throws IOException {
                return FileOps.DEFAULT.createForWrite(path);
            }

            @Override
            public void force(FileChannel channel) throws IOException {
                throw new IOException("device gone");
            }

            @Override
            public void moveAtomically(Path source, Path target) throws IOException {
                FileOps.DEFAULT.moveAtomically(source, target);
            }

            @Override
            public void forceDirectory(Path directory) {
            }
        };
        Path dir = root.resolve("failing");
        new FileArtifactStorage(dir).store("k", bytes("old"));
        FileArtifactStorage storage = new FileArtifactStorage(dir,
                FileArtifactStorage.DEFAULT_MAX_ARTIFACT_BYTES, failing);

        assertThatThrownBy(() -> storage.store("k", bytes("new")))
                .isInstanceOf(ArtifactStorageException.class)
                .hasMessageContaining("cannot store artifact 'k'")
                .hasMessageContaining("device gone");

        assertThat(storage.retrieve("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("old")));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactly("k" + FileArtifactStorage.SUFFIX);
        }
    }

    @Test
    void open_deletesTemporaryLeftoversAndKeepsForeignFiles() throws IOException {
        Path dir = root.resolve("leftovers");
        new FileArtifactStorage(dir).store("kept", bytes("v"));
        Files.write(dir.resolve(FileArtifactStorage.TEMP_PREFIX + "kept.artifact-1234"), bytes("half"));
        Files.write(dir.resolve("README.txt"), bytes("not ours"));
        Files.write(dir.resolve("Bad Name.artifact"), bytes("not a valid key"));

        FileArtifactStorage reopened = new FileArtifactStorage(dir);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "kept.artifact", "README.txt", "Bad Name.artifact");
        }
        assertThat(reopened.list("")).containsExactly("kept");
    }

    @Test
    void store_beyondTheSizeLimit_isRefused() {
        FileArtifactStorage storage = new FileArtifactStorage(root.resolve("limit"), 4);

        assertThatThrownBy(() -> storage.store("k", new byte[5]))
                .isInstanceOfSatisfying(ArtifactTooLargeException.class, e -> {
                    assertThat(e.key()).isEqualTo("k");
                    assertThat(e.size()).isEqualTo(5);
                    assertThat(e.limit()).isEqualTo(4);
                })
                .hasMessage("artifact 'k' is 5 bytes, more than the store's limit of 4"
                        + " (maxArtifactBytes)");
        assertThat(storage.maxArtifactBytes()).isEqualTo(4);
        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void retrieve_fileBeyondTheSizeLimit_isCorruptedNotRead() throws IOException {
        Path dir = root.resolve("big");
        new FileArtifactStorage(dir).store("k", new byte[100]);
        FileArtifactStorage small = new FileArtifactStorage(dir, 10);

        assertThatThrownBy(() -> small.retrieve("k"))
                .isInstanceOf(ArtifactCorruptedException.class)
                .hasMessage("artifact 'k' is corrupted: header declares 100 payload bytes, more"
                        + " than the store's limit of 10 (maxArtifactBytes)");
    }

    /** 16 bytes that declare a 4 GiB payload: refused from the header, before any allocation. */
    @Test
    void retrieve_headerDeclaringFourGibibytes_isCorruptedWithoutAllocating() throws IOException {
        Stored stored = storedUnderK("huge-length", "");
        byte[] header = stored.original().clone();
        header[8] = header[9] = header[10] = header[11] = (byte) 0xff;

        stored.readAfterWriting(header).isInstanceOf(ArtifactCorruptedException.class)
                .hasMessage("artifact 'k' is corrupted: header declares 4294967295 payload"
                        + " bytes, more than the store's limit of "
                        + ArtifactStorage.DEFAULT_MAX_ARTIFACT_BYTES + " (maxArtifactBytes)");
    }

    @Test
    void constructor_badLimitOrUnusableDirectory_failsClearly() throws IOException {
        assertThatThrownBy(() -> new FileArtifactStorage(root, 0))
                .hasMessage("maxArtifactBytes must be in [1, 2147483631], was 0");
        Path file = Files.write(root.resolve("a-file"), bytes("x"));
        assertThatThrownBy(() -> new FileArtifactStorage(file))
                .isInstanceOf(ArtifactStorageException.class)
                .hasMessageStartingWith("cannot create artifact directory");
        assertThatThrownBy(() -> new FileArtifactStorage(null)).hasMessage("directory");
    }

    @Test
    void fileSystemFailures_areStorageErrorsNamingWhatFailed_notCorruptionOrData()
            throws IOException {
        Path dir = root.resolve("io-failures");
        FileArtifactStorage storage = new FileArtifactStorage(dir);
        // a directory where the key's file should be, with something in it
        Files.createDirectories(fileOf(storage, "k").resolve("inside"));

        assertThatThrownBy(() -> storage.retrieve("k"))
                .isExactlyInstanceOf(ArtifactStorageException.class)
                .hasMessageStartingWith("cannot read artifact 'k' from ");
        assertThatThrownBy(() -> storage.delete("k"))
                .isExactlyInstanceOf(ArtifactStorageException.class)
                .hasMessageStartingWith("cannot delete artifact 'k': ");
        Files.createDirectories(dir.resolve(FileArtifactStorage.TEMP_PREFIX + "x").resolve("y"));
        assertThatThrownBy(() -> new FileArtifactStorage(dir))
                .isExactlyInstanceOf(ArtifactStorageException.class)
                .hasMessageStartingWith("cannot clean temporary files in ");
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThatThrownBy(() -> storage.list(""))
                .isExactlyInstanceOf(ArtifactStorageException.class)
                .hasMessageStartingWith("cannot list artifacts in ");
    }

    @Test
    void concurrentStoresAndReads_neverSeeAMixedOrDamagedValue() throws Exception {
        FileArtifactStorage storage = new FileArtifactStorage(root.resolve("race"));
        byte[] a = new byte[4096];
        byte[] b = new byte[4096];
        Arrays.fill(a, (byte) 'a');
        Arrays.fill(b, (byte) 'b');
        storage.store("k", a);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int writer = 0; writer < 2; writer++) {
                byte[] value = writer == 0 ? a : b;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 30; i++) {
                        storage.store("k", value);
                    }
                }));
            }
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 300; i++) {
                    byte[] read = storage.retrieve("k").orElseThrow();
                    assertThat(Set.of(new String(read).chars().distinct().count())).containsExactly(1L);
                }
            }));
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(storage.list("")).containsExactly("k");
        assertThat(storage.toString()).contains("race");
    }
}
