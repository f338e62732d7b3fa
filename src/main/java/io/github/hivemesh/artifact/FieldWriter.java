package io.github.hivemesh.artifact;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.buffer.MessageBuffer;

/**
 * Writes the numbered fields of one value for a {@link MessagePackCodec}. A {@code null} value
 * writes nothing (the field is absent, and the reader sees its default). Field numbers must be
 * unique within a value. Not thread-safe: one writer per encode.
 *
 * <p>It refuses to write what a reader with {@link DecodeLimits#DEFAULT} would reject — a string
 * or binary value or a collection beyond those limits — with an {@link ArtifactFormatException}
 * naming the field and the limit, so a value that was stored can always be read back.
 */
public final class FieldWriter {

    /**
     * Packers start small: an artifact is typically well under a kilobyte, and msgpack's default
     * 8 KiB buffer made every encode allocate two of them.
     */
    static final MessagePack.PackerConfig PACKERS = new MessagePack.PackerConfig()
            .withBufferSize(256);

    /** The reader's limits a writer keeps to; see the class docs. */
    static final DecodeLimits LIMITS = DecodeLimits.DEFAULT;

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

    /** {@return how many bytes the fields take} */
    int size() {
        return Math.toIntExact(packer.getTotalWrittenBytes());
    }

    /** Copies the fields' bytes into {@code target} from {@code offset}, with no copy between. */
    void copyTo(byte[] target, int offset) {
        int at = offset;
        for (MessageBuffer buffer : packer.toBufferList()) {
            buffer.getBytes(0, target, at, buffer.size());
            at += buffer.size();
        }
    }

    /**
     * Writes a string field (absent when null).
     *
     * @param field the field's key
     * @param value the value
     * @return this writer
     */
    public FieldWriter string(int field, String value) {
        if (value != null) {
            checkString(field, value);
            key(field);
            run(() -> packer.packString(value));
        }
        return this;
    }

    /**
     * Writes an integer field.
     *
     * @param field the field's key
     * @param value the value
     * @return this writer
     */
    public FieldWriter int32(int field, int value) {
        key(field);
        run(() -> packer.packInt(value));
        return this;
    }

    /**
     * Writes a long integer field.
     *
     * @param field the field's key
     * @param value the value
     * @return this writer
     */
    public FieldWriter int64(int field, long value) {
        key(field);
        run(() -> packer.packLong(value));
        return this;
    }

    /**
     * Writes a boolean field.
     *
     * @param field the field's key
     * @param value the value
     * @return this writer
     */
    public FieldWriter bool(int field, boolean value) {
        key(field);
        run(() -> packer.packBoolean(value));
        return this;
    }

    /**
     * Writes a double field.
     *
     * @param field the field's key
     * @param value the value
     * @return this writer
     */
    public FieldWriter float64(int field, double value) {
        key(field);
        run(() -> packer.packDouble(value));
        return this;
    }

    /**
     * Writes a binary field (absent when null).
     *
     * @param field the field's key
     * @param value the value
     * @return this writer
     */
    public FieldWriter binary(int field, byte[] value) {
        if (value != null) {
            if (value.length > LIMITS.maxBinaryBytes()) {
                throw tooLarge(field, "is " + value.length + " bytes", LIMITS.maxBinaryBytes(),
                        "maxBinaryBytes");
            }
            key(field);
            run(() -> {
                packer.packBinaryHeader(value.length);
                packer.writePayload(value);
            });
        }
        return this;
    }

    /**
     * Writes a list or set of strings, in iteration order (absent when null).
     *
     * @param field the field's key
     * @param values the values
     * @return this writer
     */
    public FieldWriter strings(int field, Collection<String> values) {
        if (values != null) {
            checkEntries(field, values.size());
            for (String value : values) {
                checkString(field, Objects.requireNonNull(value, "values contains null"));
            }
            key(field);
            run(() -> {
                packer.packArrayHeader(values.size());
                for (String value : values) {
                    packer.packString(value);
                }
            });
        }
        return this;
    }

    /**
     * Writes a string → string map (absent when null).
     *
     * @param field the field's key
     * @param values the values
     * @return this writer
     */
    public FieldWriter stringMap(int field, Map<String, String> values) {
        if (values != null) {
            checkEntries(field, values.size());
            values.forEach((name, value) -> {
                checkString(field, Objects.requireNonNull(name, "values contains a null key"));
                checkString(field, Objects.requireNonNull(value, "values contains a null value"));
            });
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

    /**
     * Writes a string → long map (absent when null).
     *
     * @param field the field's key
     * @param values the values
     * @return this writer
     */
    public FieldWriter longMap(int field, Map<String, Long> values) {
        if (values != null) {
            checkEntries(field, values.size());
            values.keySet().forEach(name -> checkString(field,
                    Objects.requireNonNull(name, "values contains a null key")));
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

    /**
     * Writes an array of {@code long}s (absent when null).
     *
     * @param field the field's key
     * @param values the values
     * @return this writer
     */
    public FieldWriter int64s(int field, long[] values) {
        if (values != null) {
            checkEntries(field, values.length);
            key(field);
            run(() -> {
                packer.packArrayHeader(values.length);
                for (long value : values) {
                    packer.packLong(value);
                }
            });
        }
        return this;
    }

    /**
     * Writes a list of string collections, each an array in its iteration order (absent when
     * null); read back by {@link FieldReader#readStringSetList()}.
     *
     * @param field the field's key
     * @param values the values
     * @return this writer
     */
    public FieldWriter stringSets(int field, Collection<? extends Collection<String>> values) {
        if (values != null) {
            checkEntries(field, values.size());
            for (Collection<String> set : values) {
                Objects.requireNonNull(set, "values contains null");
                checkEntries(field, set.size());
                for (String value : set) {
                    checkString(field, Objects.requireNonNull(value, "values contains null"));
                }
            }
            key(field);
            run(() -> {
                packer.packArrayHeader(values.size());
                for (Collection<String> set : values) {
                    packer.packArrayHeader(set.size());
                    for (String value : set) {
                        packer.packString(value);
                    }
                }
            });
        }
        return this;
    }

    /**
     * Writes {@code value} encoded by {@code codec} — its own header, version and fields — as
     * a binary field (absent when null), read back by {@link FieldReader#readEmbedded}. The
     * embedded value keeps its own format version, so it evolves on its own.
     *
     * @param field the field's key
     * @param codec the codec
     * @param value the value
     * @param <V> the value's type
     * @return this writer
     */
    public <V> FieldWriter embedded(int field, MessagePackCodec<V> codec, V value) {
        Objects.requireNonNull(codec, "codec");
        return value == null ? this : binary(field, codec.encode(value));
    }

    /**
     * Writes each of {@code values} encoded by {@code codec} as an array of binary values
     * (absent when null), read back by {@link FieldReader#readEmbeddedList}.
     *
     * @param field the field's key
     * @param codec the codec
     * @param values the values
     * @param <V> the value's type
     * @return this writer
     */
    public <V> FieldWriter embeddedList(int field, MessagePackCodec<V> codec,
            Collection<? extends V> values) {
        Objects.requireNonNull(codec, "codec");
        if (values != null) {
            checkEntries(field, values.size());
            byte[][] encoded = new byte[values.size()][];
            int i = 0;
            for (V value : values) {
                byte[] bytes = codec.encode(Objects.requireNonNull(value, "values contains null"));
                if (bytes.length > LIMITS.maxBinaryBytes()) {
                    throw tooLarge(field, "has an element of " + bytes.length + " bytes",
                            LIMITS.maxBinaryBytes(), "maxBinaryBytes");
                }
                encoded[i++] = bytes;
            }
            key(field);
            run(() -> {
                packer.packArrayHeader(encoded.length);
                for (byte[] bytes : encoded) {
                    packer.packBinaryHeader(bytes.length);
                    packer.writePayload(bytes);
                }
            });
        }
        return this;
    }

    private static void checkString(int field, String value) {
        // a char is at most 3 UTF-8 bytes (a surrogate pair 4 for 2): only long ones are measured
        if ((long) value.length() * 3 > LIMITS.maxStringBytes()) {
            int bytes = utf8Length(value);
            if (bytes > LIMITS.maxStringBytes()) {
                throw tooLarge(field, "has a string of " + bytes + " UTF-8 bytes",
                        LIMITS.maxStringBytes(), "maxStringBytes");
            }
        }
    }

    private static void checkEntries(int field, int entries) {
        if (entries > LIMITS.maxEntries()) {
            throw tooLarge(field, "has " + entries + " entries", LIMITS.maxEntries(),
                    "maxEntries");
        }
    }

    private static int utf8Length(String value) {
        long bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /** A value no reader with the default limits would accept: refused before it is written. */
    static ArtifactFormatException tooLarge(int field, String what, long limit, String name) {
        return new ArtifactFormatException("cannot encode field " + field + ": it " + what
                + ", more than the limit of " + limit + " (DecodeLimits." + name
                + "); a reader would reject it");
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
