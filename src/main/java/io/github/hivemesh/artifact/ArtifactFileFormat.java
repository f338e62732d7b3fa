package io.github.hivemesh.artifact;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of one artifact file, all integers big-endian:
 *
 * <pre>
 * offset size field
 *      0    4 magic "HMAF"
 *      4    2 format version (1)
 *      6    2 flags, reserved, 0
 *      8    4 payload length in bytes
 *     12    4 CRC32C of the artifact's key (UTF-8), bytes 0..11 and the payload
 *     16    n payload
 * </pre>
 *
 * The length is checked against the file size (a truncated or extended file fails), and the
 * checksum covers the header and the key, so a flipped byte anywhere, or a file copied under
 * another key's name, fails verification. Stateless.
 */
final class ArtifactFileFormat {

    static final int HEADER_BYTES = 16;
    static final int VERSION = 1;
    private static final int MAGIC = 0x484D4146; // "HMAF"

    private ArtifactFileFormat() {
    }

    /** Header followed by the payload, ready to write. */
    static ByteBuffer encode(String key, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        buffer.putInt(MAGIC).putShort((short) VERSION).putShort((short) 0)
                .putInt(payload.length);
        buffer.putInt(checksum(key, buffer.array(), payload));
        buffer.put(payload);
        return buffer.flip();
    }

    /**
     * The verified payload of a whole file.
     *
     * @throws ArtifactCorruptedException if any check fails
     */
    static byte[] decode(String key, byte[] file) {
        if (file.length < HEADER_BYTES) {
            throw new ArtifactCorruptedException(key, "file is " + file.length
                    + " bytes, shorter than the " + HEADER_BYTES + "-byte header (truncated)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(file);
        int magic = buffer.getInt();
        if (magic != MAGIC) {
            throw new ArtifactCorruptedException(key, String.format(
                    "bad magic 0x%08x, expected 0x%08x", magic, MAGIC));
        }
        int version = buffer.getShort() & 0xffff;
        if (version != VERSION) {
            throw new ArtifactCorruptedException(key, "unsupported file format version "
                    + version + " (this library reads version " + VERSION + ")");
        }
        int flags = buffer.getShort() & 0xffff;
        if (flags != 0) {
            throw new ArtifactCorruptedException(key, "reserved flags are " + flags + ", not 0");
        }
        long declared = buffer.getInt() & 0xffffffffL;
        long actual = file.length - HEADER_BYTES;
        if (declared != actual) {
            throw new ArtifactCorruptedException(key, "header declares " + declared
                    + " payload bytes but the file holds " + actual
                    + (actual < declared ? " (truncated)" : ""));
        }
        int stored = buffer.getInt();
        byte[] payload = new byte[(int) actual];
        buffer.get(payload);
        int computed = checksum(key, file, payload);
        if (stored != computed) {
            throw new ArtifactCorruptedException(key, String.format(
                    "checksum mismatch (stored 0x%08x, computed 0x%08x)", stored, computed));
        }
        return payload;
    }

    private static int checksum(String key, byte[] header, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        crc.update(header, 0, 12);
        crc.update(payload);
        return (int) crc.getValue();
    }
}
