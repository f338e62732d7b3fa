package io.github.hivemesh.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link ArtifactStorage}: one file per key in a directory.
 *
 * <h2>Durability</h2>
 * {@link #store} writes a new temporary file, {@code force}s it to the device, closes it,
 * renames it over the key's file with {@code ATOMIC_MOVE}, then forces the directory so the
 * rename itself survives a crash. A reader or a crash therefore sees the old file or the new
 * one, complete. Each file carries a header with a format version, the payload length and a
 * CRC32C (see {@link ArtifactFileFormat}); {@link #retrieve} verifies all three and raises
 * {@link ArtifactCorruptedException} rather than return damaged bytes. It reads the header
 * first and checks the declared payload length against {@link #maxArtifactBytes()} and the
 * file's size before allocating anything for the payload, so a damaged length costs nothing.
 *
 * <h2>Layout</h2>
 * A key's file is the key with {@code /} replaced by {@code ~}, plus {@value #SUFFIX}; key rules
 * ({@link ArtifactKeys}) keep it inside the directory. Temporary files start with
 * {@value #TEMP_PREFIX}; ones left by a crash are deleted when the store is opened. Other files
 * in the directory are ignored. One store (one process) per directory: opening a second store
 * on a directory deletes the temporary files of a store still writing there.
 *
 * <p>Thread-safe: concurrent stores of one key leave one of the values (the last rename wins).
 * All methods block on disk I/O.
 */
public final class FileArtifactStorage implements ArtifactStorage {

    /** Suffix of artifact files. */
    public static final String SUFFIX = ".artifact";
    /** Prefix of temporary files. */
    public static final String TEMP_PREFIX = ".tmp-";

    private static final Logger LOG = LoggerFactory.getLogger(FileArtifactStorage.class);

    private final Path directory;
    private final int maxArtifactBytes;
    private final FileOps ops;

    /**
     * Opens (creating if needed) a store in {@code directory}, deleting temporary files a crash
     * left there, with the default size limit
     * ({@value ArtifactStorage#DEFAULT_MAX_ARTIFACT_BYTES} bytes).
     *
     * @param directory the directory holding the artifacts
     * @throws ArtifactStorageException if the directory cannot be created or read
     */
    public FileArtifactStorage(Path directory) {
        this(directory, DEFAULT_MAX_ARTIFACT_BYTES);
    }

    /**
     * Opens a store whose payloads are at most {@code maxArtifactBytes}, in
     * [1, {@code Integer.MAX_VALUE - 16}]. A larger {@link #store} is refused with
     * {@link ArtifactTooLargeException}; a larger file is reported as corrupted instead of being
     * read into memory.
     *
     * @param directory the directory holding the artifacts
     * @param maxArtifactBytes the largest payload this store accepts
     * @throws IllegalArgumentException if {@code maxArtifactBytes} is out of range
     * @throws ArtifactStorageException if the directory cannot be created or read
     */
    public FileArtifactStorage(Path directory, int maxArtifactBytes) {
        this(directory, maxArtifactBytes, FileOps.DEFAULT);
    }

    FileArtifactStorage(Path directory, int maxArtifactBytes, FileOps ops) {
        Objects.requireNonNull(directory, "directory");
        this.maxArtifactBytes = ArtifactSizeLimit.validate(maxArtifactBytes);
        this.ops = Objects.requireNonNull(ops, "ops");
        this.directory = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.directory);
        } catch (IOException e) {
            throw new ArtifactStorageException("cannot create artifact directory "
                    + this.directory, e);
        }
        deleteTemporaryFiles();
    }

    /** {@return the directory holding the artifacts} */
    public Path directory() {
        return directory;
    }

    /** {@return the largest payload this store accepts} */
    public int maxArtifactBytes() {
        return maxArtifactBytes;
    }

    private void deleteTemporaryFiles() {
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory,
                TEMP_PREFIX + "*")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
                LOG.info("deleted temporary artifact file {} left by an interrupted store",
                        leftover);
            }
        } catch (IOException e) {
            throw new ArtifactStorageException("cannot clean temporary files in " + directory, e);
        }
    }

    @Override
    public void store(String key, byte[] bytes) {
        ArtifactKeys.validate(key);
        Objects.requireNonNull(bytes, "bytes");
        ArtifactSizeLimit.check(key, bytes, maxArtifactBytes);
        Path target = fileOf(key);
        Path temp = directory.resolve(TEMP_PREFIX + target.getFileName() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel channel = ops.createForWrite(temp)) {
                ByteBuffer buffer = ArtifactFileFormat.encode(key, bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                ops.force(channel);
            }
            ops.moveAtomically(temp, target);
            ops.forceDirectory(directory);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp, e);
            throw new ArtifactStorageException("cannot store artifact '" + key + "' in "
                    + directory + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path temp, Exception cause) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public Optional<byte[]> retrieve(String key) {
        ArtifactKeys.validate(key);
        Path file = fileOf(key);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < ArtifactFileFormat.HEADER_BYTES) {
                throw new ArtifactCorruptedException(key, "file is " + size + " bytes, shorter than"
                        + " the " + ArtifactFileFormat.HEADER_BYTES + "-byte header (truncated)");
            }
            byte[] header = new byte[ArtifactFileFormat.HEADER_BYTES];
            readFully(key, channel, header);
            byte[] payload = new byte[ArtifactFileFormat.payloadLength(key, header, size,
                    maxArtifactBytes)];
            readFully(key, channel, payload);
            ArtifactFileFormat.verifyChecksum(key, header, payload);
            return Optional.of(payload);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ArtifactStorageException("cannot read artifact '" + key + "' from "
                    + file + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(String key, FileChannel channel, byte[] target)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(target);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                // the size said otherwise: the file shrank under us, which a store never does
                throw new ArtifactCorruptedException(key, "file ended after "
                        + channel.position() + " bytes while reading it (truncated)");
            }
        }
    }

    @Override
    public boolean delete(String key) {
        ArtifactKeys.validate(key);
        try {
            return Files.deleteIfExists(fileOf(key));
        } catch (IOException e) {
            throw new ArtifactStorageException("cannot delete artifact '" + key + "': "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        ArtifactKeys.validatePrefix(prefix);
        List<String> keys = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String key = name.substring(0, name.length() - SUFFIX.length()).replace('~', '/');
                if (!name.startsWith(".") && key.startsWith(prefix) && isValidKey(key)) {
                    keys.add(key);
                }
            }
        } catch (IOException e) {
            throw new ArtifactStorageException("cannot list artifacts in " + directory + ": "
                    + e.getMessage(), e);
        }
        keys.sort(null);
        return keys;
    }

    private static boolean isValidKey(String key) {
        try {
            ArtifactKeys.validate(key);
            return true;
        } catch (InvalidArtifactKeyException e) {
            return false;
        }
    }

    private Path fileOf(String key) {
        return directory.resolve(key.replace('/', '~') + SUFFIX);
    }

    @Override
    public String toString() {
        return "FileArtifactStorage[" + directory + "]";
    }
}
