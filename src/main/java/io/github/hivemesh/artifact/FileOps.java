package io.github.hivemesh.artifact;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file-system steps whose order makes {@link FileArtifactStorage} durable. A seam so a test
 * can record the order in which the store calls them (force before rename); production uses
 * {@link #DEFAULT}.
 */
interface FileOps {

    /** Creates {@code path} (which must not exist) for writing. */
    FileChannel createForWrite(Path path) throws IOException;

    /** Flushes the file's content and metadata to the device. */
    void force(FileChannel channel) throws IOException;

    /** Renames {@code source} over {@code target} atomically. */
    void moveAtomically(Path source, Path target) throws IOException;

    /** Makes the directory entry of a rename durable, where the platform allows it. */
    void forceDirectory(Path directory) throws IOException;

    /** The real file system. */
    FileOps DEFAULT = new FileOps() {
        @Override
        public FileChannel createForWrite(Path path) throws IOException {
            return FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        @Override
        public void force(FileChannel channel) throws IOException {
            channel.force(true);
        }

        @Override
        public void moveAtomically(Path source, Path target) throws IOException {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void forceDirectory(Path directory) throws IOException {
            try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
                channel.force(true);
            } catch (IOException e) {
                // Windows cannot open a directory as a channel; its rename is durable on its own
                if (!System.getProperty("os.name", "").startsWith("Windows")) {
                    throw e;
                }
            }
        }
    };
}
