package io.github.hivemesh.artifact;

import static io.github.hivemesh.internal.util.Preconditions.checkNotBlank;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import java.io.IOException;
import java.util.Objects;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * A versioned MessagePack codec. Subclasses say how fields are written and read; this class
 * owns the framing, which makes every codec forward- and backward-compatible the same way.
 *
 * <h2>Format</h2>
 * Three MessagePack values in a row, nothing after them:
 * <ol>
 *   <li>a string naming the type (e.g. {@code "hivemesh.PeerState"}), so bytes of one type are
 *       never read as another;</li>
 *   <li>a positive integer, the format version the writer used;</li>
 *   <li>a map from field number (integer) to value.</li>
 * </ol>
 * Fields are keyed by number, not position: a reader skips the fields it does not know (written
 * by a newer version), and gives fields missing from an older version their default. A field
 * number is never reused for a different meaning.
 *
 * <p>A field may hold a value of another codec, encoded whole (header included) as a binary
 * value ({@link FieldWriter#embedded}, {@link FieldReader#readEmbedded}): it keeps its own type
 * name and version, and is decoded under the same limits, its containers counted from level 1
 * again. A codec never embeds itself, directly or through others, so embedding adds a nesting
 * fixed by the codecs, never one the bytes choose.
 *
 * <h2>Failure</h2>
 * {@link #decode} raises {@link ArtifactFormatException} for anything that is not such an
 * encoding: wrong type name, version below 1, malformed MessagePack, a field of the wrong kind,
 * a missing required field, trailing bytes, or a declared length beyond the input or the
 * {@link DecodeLimits} (so hostile bytes cannot make it allocate much, nor run long).
 * Nothing else escapes a decode of the library's codecs, whatever the bytes: not msgpack-core's
 * own exceptions, nor an {@code ArithmeticException} or {@code IndexOutOfBoundsException}.
 * {@link #encode} refuses, with the same exception, a value that a decode with
 * {@link DecodeLimits#DEFAULT} would reject, so what was written can be read back.
 *
 * <p>Subclasses must be stateless; a codec is then thread-safe.
 *
 * @param <T> the value type
 */
public abstract class MessagePackCodec<T> implements ArtifactCodec<T> {

    private final String typeName;
    private final int version;
    /** The type name and the version, packed: the head of every encoding. */
    private final byte[] header;

    /**
     * A codec for {@code typeName} writing format {@code version} (in [1, 65535]).
     *
     * @param typeName the type name in the header
     * @param version the format version this codec writes
     */
    protected MessagePackCodec(String typeName, int version) {
        this.typeName = checkNotBlank("typeName", typeName);
        this.version = checkRange("version", version, 1, 65_535);
        this.header = header(this.typeName, this.version);
    }

    /** {@return the type name in the header} */
    public final String typeName() {
        return typeName;
    }

    /** {@return the format version this codec writes} */
    public final int version() {
        return version;
    }

    /**
     * Writes the fields of {@code value}.
     *
     * @param value the value
     * @param out where the fields are written
     */
    protected abstract void writeFields(T value, FieldWriter out);

    /**
     * Reads a value from its fields. Loop with {@link FieldReader#next()}, read the fields you
     * know, {@link FieldReader#skip()} the others, and check required ones with
     * {@link FieldReader#require}.
     *
     * @param in the fields; {@link FieldReader#version()} is the writer's version
     * @return the value
     */
    protected abstract T readFields(FieldReader in);

    /**
     * The encoded bytes are the header, then the field map's header (its size known only once
     * the fields are written), then the fields: the header is packed once here, and an encode
     * writes the three into one array of the exact size, copying the fields' bytes once.
     */
    @Override
    public final byte[] encode(T value) {
        Objects.requireNonNull(value, "value");
        FieldWriter fields = new FieldWriter();
        writeFields(value, fields);
        int count = fields.count();
        int mapHeader = count < 16 ? 1 : count < 65_536 ? 3 : 5;
        long length = (long) header.length + mapHeader + fields.size();
        if (length > FieldWriter.LIMITS.maxInputBytes()) {
            throw new ArtifactFormatException("cannot encode a " + typeName + " of "
                    + length + " bytes, more than the limit of "
                    + FieldWriter.LIMITS.maxInputBytes()
                    + " (DecodeLimits.maxInputBytes); a reader would reject it");
        }
        byte[] encoded = new byte[(int) length];
        System.arraycopy(header, 0, encoded, 0, header.length);
        int at = header.length;
        // MessagePack's map header, in its shortest form as msgpack-core's packMapHeader writes it
        if (mapHeader == 1) {
            encoded[at] = (byte) (0x80 | count);
        } else if (mapHeader == 3) {
            encoded[at] = (byte) 0xde;
            encoded[at + 1] = (byte) (count >>> 8);
            encoded[at + 2] = (byte) count;
        } else {
            encoded[at] = (byte) 0xdf;
            encoded[at + 1] = (byte) (count >>> 24);
            encoded[at + 2] = (byte) (count >>> 16);
            encoded[at + 3] = (byte) (count >>> 8);
            encoded[at + 4] = (byte) count;
        }
        fields.copyTo(encoded, at + mapHeader);
        return encoded;
    }

    private static byte[] header(String typeName, int version) {
        try (MessageBufferPacker packer = FieldWriter.PACKERS.newBufferPacker()) {
            packer.packString(typeName);
            packer.packInt(version);
            return packer.toByteArray();
        } catch (IOException e) {
            // a buffer packer writes to memory; it has no I/O to fail
            throw new IllegalStateException("in-memory MessagePack packer failed", e);
        }
    }

    /** Decodes with {@link DecodeLimits#DEFAULT}. */
    @Override
    public final T decode(byte[] bytes) {
        return decode(bytes, DecodeLimits.DEFAULT);
    }

    /**
     * Decodes under {@code limits}: every declared length is held to them (and to the bytes
     * left) before anything is allocated for it.
     *
     * @param bytes the encoded bytes
     * @param limits the decoding limits
     * @return the decoded value
     * @throws ArtifactFormatException if the bytes are not a valid encoding, or exceed a limit (the
     *     message names it)
     */
    public final T decode(byte[] bytes, DecodeLimits limits) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(limits, "limits");
        FieldReader in = FieldReader.open(typeName, bytes, limits);
        T value = readFields(in);
        in.finish();
        return value;
    }

    /**
     * {@return the type name in the header of {@code bytes}, read with a decode's checks (input
     * size under {@code limits}, at most 256 bytes of UTF-8), for a reader that picks the codec by
     * it} Nothing after the name is read.
     *
     * @param bytes the encoded bytes
     * @param limits the decoding limits
     * @param what names what the bytes should be, for the error ("malformed {@code what}...")
     * @throws ArtifactFormatException if the bytes do not start with a type name
     */
    public static String peekTypeName(byte[] bytes, DecodeLimits limits, String what) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(what, "what");
        return FieldReader.peekTypeName(bytes, limits, what);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + typeName + " v" + version + "]";
    }
}
