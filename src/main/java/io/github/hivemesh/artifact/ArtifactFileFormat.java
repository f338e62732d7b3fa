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
     * Checks a file's 16-byte header against the file's size and the store's limit, before the
     * payload is read (so a damaged length never decides an allocation).
     *
     * @param header   the first {@link #HEADER_BYTES} bytes of the file
     * @param fileSize the file's size in bytes, at least {@link #HEADER_BYTES}
     * @return the payload length, in [0, {@code maxPayloadBytes}]
     * @throws ArtifactCorruptedException if any check fails
     */
    static int payloadLength(String key, byte[] header, long fileSize, int maxPayloadBytes) {
        ByteBuffer buffer = ByteBuffer.wrap(header, 0, HEADER_BYTES);
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
        if (declared > maxPayloadBytes) {
            throw new ArtifactCorruptedException(key, "header declares " + declared
                    + " payload bytes, more than the store's limit of " + maxPayloadBytes
                    + " (maxArtifactBytes)");
        }
        long actual = fileSize - HEADER_BYTES;
        if (declared != actual) {
            throw new ArtifactCorruptedException(key, "header declares " + declared
                    + " payload bytes but the file holds " + actual
                    + (actual < declared ? " (truncated)" : ""));
        }
        return (int) declared;
    }

    /**
     * Checks the CRC32C in {@code header} against the key, the header and the payload.
     *
     * @throws ArtifactCorruptedException on a mismatch
     */
    static void verifyChecksum(String key, byte[] header, byte[] payload) {
        int stored = ByteBuffer.wrap(header).getInt(12);
        int computed = checksum(key, header, payload);
        if (stored != computed) {
            throw new ArtifactCorruptedException(key, String.format(
                    "checksum mismatch (stored 0x%08x, computed 0x%08x)", stored, computed));
        }
    }

    private static int checksum(String key, byte[] header, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        crc.update(header, 0, 12);
        crc.update(payload);
        return (int) crc.getValue();
    }
}
