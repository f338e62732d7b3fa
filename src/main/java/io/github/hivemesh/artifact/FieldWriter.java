package io.github.hivemesh.artifact;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * Writes the numbered fields of one value for a {@link MessagePackCodec}. A {@code null} value
 * writes nothing (the field is absent, and the reader sees its default). Field numbers must be
 * unique within a value. Not thread-safe: one writer per encode.
 */
public final class FieldWriter {

    /**
     * Packers start small: an artifact is typically well under a kilobyte, and msgpack's default
     * 8 KiB buffer made every encode allocate two of them.
     */
    static final MessagePack.PackerConfig PACKERS = new MessagePack.PackerConfig()
            .withBufferSize(256);

    private final MessageBufferPacker packer = PACKERS.newBufferPacker();
    private int count;

    FieldWriter() {
    }

    int count() {
        return count;
    }

    byte[] bytes() {
        return packer.toByteArray();
    }

    /** Writes a string field (absent when null). */
    public FieldWriter string(int field, String value) {
        if (value != null) {
            key(field);
            run(() -> packer.packString(value));
        }
        return this;
    }

    /** Writes an integer field. */
    public FieldWriter int32(int field, int value) {
        key(field);
        run(() -> packer.packInt(value));
        return this;
    }

    /** Writes a long integer field. */
    public FieldWriter int64(int field, long value) {
        key(field);
        run(() -> packer.packLong(value));
        return this;
    }

    /** Writes a boolean field. */
    public FieldWriter bool(int field, boolean value) {
        key(field);
        run(() -> packer.packBoolean(value));
        return this;
    }

    /** Writes a double field. */
    public FieldWriter float64(int field, double value) {
        key(field);
        run(() -> packer.packDouble(value));
        return this;
    }

    /** Writes a binary field (absent when null). */
    public FieldWriter binary(int field, byte[] value) {
        if (value != null) {
            key(field);
            run(() -> {
                packer.packBinaryHeader(value.length);
                packer.writePayload(value);
            });
        }
        return this;
    }

    /** Writes a list or set of strings, in iteration order (absent when null). */
    public FieldWriter strings(int field, Collection<String> values) {
        if (values != null) {
            key(field);
            run(() -> {
                packer.packArrayHeader(values.size());
                for (String value : values) {
                    packer.packString(Objects.requireNonNull(value, "values contains null"));
                }
            });
        }
        return this;
    }

    /** Writes a string → string map (absent when null). */
    public FieldWriter stringMap(int field, Map<String, String> values) {
        if (values != null) {
            key(field);
            run(() -> {
                packer.packMapHeader(values.size());
                for (Map.Entry<String, String> entry : values.entrySet()) {
                    packer.packString(entry.getKey());
                    packer.packString(Objects.requireNonNull(entry.getValue(),
                            "values contains a null value"));
                }
            });
        }
        return this;
    }

    /** Writes a string → long map (absent when null). */
    public FieldWriter longMap(int field, Map<String, Long> values) {
        if (values != null) {
            key(field);
            run(() -> {
                packer.packMapHeader(values.size());
                for (Map.Entry<String, Long> entry : values.entrySet()) {
                    packer.packString(entry.getKey());
                    packer.packLong(Objects.requireNonNull(entry.getValue(),
                            "values contains a null value"));
                }
            });
        }
        return this;
    }

    private void key(int field) {
        count++;
        run(() -> packer.packInt(field));
    }

    private interface PackStep {
        void run() throws IOException;
    }

    private static void run(PackStep step) {
        try {
            step.run();
        } catch (IOException e) {
            // a buffer packer writes to memory; it has no I/O to fail
            throw new IllegalStateException("in-memory MessagePack packer failed", e);
        }
    }
}
