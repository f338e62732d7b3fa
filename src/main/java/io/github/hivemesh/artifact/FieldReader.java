package io.github.hivemesh.artifact;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Reads the numbered fields of one value for a {@link MessagePackCodec}, checking every kind and
 * every declared length before acting on it: each string, binary value and container is held to
 * the decode's {@link DecodeLimits}, and nothing may claim more bytes than are left in the input
 * — so malformed input fails with {@link ArtifactFormatException} and never causes a large
 * allocation. Skipping unknown values is iterative and bounded by {@link DecodeLimits#maxDepth()}.
 *
 * <pre>{@code
 * while (in.next()) {
 *     switch (in.field()) {
 *         case 1 -> id = in.readString();
 *         case 2 -> load = in.readInt();
 *         default -> in.skip();          // a field from a newer version
 *     }
 * }
 * }</pre>
 *
 * A field the loop does not read is skipped by the next {@link #next()}. Not thread-safe: one
 * reader per decode.
 */
public final class FieldReader {

    /** Longest type name read (unless the codec's own is longer), in UTF-8 bytes. */
    static final int MAX_TYPE_NAME_BYTES = 256;

    private final String typeName;
    private final byte[] input;
    private final DecodeLimits limits;
    private final MessageUnpacker unpacker;
    private int version;
    private int fieldsLeft;
    private int field;
    private int described = -1;
    private String description;
    /** Strict UTF-8, made on the first string and reused for the others of this artifact. */
    private CharsetDecoder utf8;
    private boolean valuePending;

    private FieldReader(String typeName, byte[] input, DecodeLimits limits) {
        this.typeName = typeName;
        this.input = input;
        this.limits = limits;
        this.unpacker = MessagePack.newDefaultUnpacker(input);
    }

    /** Reads the header (type name, version) and the field map's size. */
    static FieldReader open(String typeName, byte[] input, DecodeLimits limits) {
        FieldReader reader = new FieldReader(typeName, input, limits);
        reader.readHeader();
        return reader;
    }

    private void readHeader() {
        String actualType = readTypeName(typeNameLimit());
        if (!actualType.equals(typeName)) {
            throw fail("bytes hold a '" + actualType + "', not a '" + typeName + "'");
        }
        expect(ValueType.INTEGER, "the format version");
        version = call("the format version", unpacker::unpackInt);
        if (version < 1) {
            throw fail("format version must be at least 1, was " + version);
        }
        expect(ValueType.MAP, "the field map");
        fieldsLeft = checkedCount(call("the field map", unpacker::unpackMapHeader), 2,
                "the field map");
    }

    /** Checks the input's size, then reads the type name at its head. */
    private String readTypeName(int limit) {
        if (input.length == 0) {
            throw fail("input is empty");
        }
        if (input.length > limits.maxInputBytes()) {
            throw fail("input is " + input.length + " bytes, more than the limit of "
                    + limits.maxInputBytes() + " (DecodeLimits.maxInputBytes)");
        }
        expect(ValueType.STRING, "the type name");
        return string("the type name", limit, "longest type name");
    }

    /**
     * The type name at the head of {@code input}, read with the checks of a decode (input size,
     * kind, at most {@value #MAX_TYPE_NAME_BYTES} bytes); errors say "malformed {@code what}".
     */
    static String peekTypeName(byte[] input, DecodeLimits limits, String what) {
        return new FieldReader(what, input, limits).readTypeName(MAX_TYPE_NAME_BYTES);
    }

    /** {@return the format version the writer used} */
    public int version() {
        return version;
    }

    /**
     * Moves to the next field, skipping the current one if it was not read. Fields with a
     * non-integer key are unknown by definition and skipped.
     *
     * @return false when there are no more fields
     */
    public boolean next() {
        if (valuePending) {
            skip();
        }
        while (fieldsLeft > 0) {
            fieldsLeft--;
            if (nextType("a field key") == ValueType.INTEGER) {
                field = call("a field key", unpacker::unpackInt);
                valuePending = true;
                return true;
            }
            skipValues(2);
        }
        return false;
    }

    /** {@return the number of the current field} */
    public int field() {
        return field;
    }

    /** Skips the current field's value. */
    public void skip() {
        take();
        skipValues(1);
    }

    /** {@return the current field as a string} */
    public String readString() {
        take();
        expect(ValueType.STRING, describe());
        return string(describe());
    }

    /** {@return the current field as an {@code int}} */
    public int readInt() {
        take();
        expect(ValueType.INTEGER, describe());
        return call(describe(), unpacker::unpackInt);
    }

    /** {@return the current field as a {@code long}} */
    public long readLong() {
        take();
        expect(ValueType.INTEGER, describe());
        return call(describe(), unpacker::unpackLong);
    }

    /** {@return the current field as a boolean} */
    public boolean readBoolean() {
        take();
        expect(ValueType.BOOLEAN, describe());
        return call(describe(), unpacker::unpackBoolean);
    }

    /** {@return the current field as a double} */
    public double readDouble() {
        take();
        expect(ValueType.FLOAT, describe());
        return call(describe(), unpacker::unpackDouble);
    }

    /** {@return the current field as bytes} */
    public byte[] readBinary() {
        take();
        expect(ValueType.BINARY, describe());
        int length = call(describe(), unpacker::unpackBinaryHeader);
        checkLength(length, limits.maxBinaryBytes(), "DecodeLimits.maxBinaryBytes", describe());
        return call(describe(), () -> unpacker.readPayload(length));
    }

    /** {@return the current field as a list of strings (immutable)} */
    public List<String> readStringList() {
        take();
        expect(ValueType.ARRAY, describe());
        int size = checkedCount(call(describe(), unpacker::unpackArrayHeader), 1, describe());
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            expect(ValueType.STRING, describe() + " element " + i);
            values.add(string(describe()));
        }
        return Collections.unmodifiableList(values);
    }

    /** {@return the current field as a set of strings, in written order (immutable)} */
    public Set<String> readStringSet() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(readStringList()));
    }

    /** {@return the current field as a string → string map, in written order (immutable)} */
    public Map<String, String> readStringMap() {
        take();
        expect(ValueType.MAP, describe());
        int size = checkedCount(call(describe(), unpacker::unpackMapHeader), 2, describe());
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            expect(ValueType.STRING, describe() + " key " + i);
            String key = string(describe());
            expect(ValueType.STRING, describe() + " value of '" + key + "'");
            values.put(key, string(describe()));
        }
        return Collections.unmodifiableMap(values);
    }

    /** {@return the current field as a string → long map, in written order (immutable)} */
    public Map<String, Long> readLongMap() {
        take();
        expect(ValueType.MAP, describe());
        int size = checkedCount(call(describe(), unpacker::unpackMapHeader), 2, describe());
        Map<String, Long> values = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            expect(ValueType.STRING, describe() + " key " + i);
            String key = string(describe());
            expect(ValueType.INTEGER, describe() + " value of '" + key + "'");
            values.put(key, call(describe(), unpacker::unpackLong));
        }
        return Collections.unmodifiableMap(values);
    }

    /** {@return the current field as an array of {@code long}s (a new array)} */
    public long[] readLongArray() {
        take();
        expect(ValueType.ARRAY, describe());
        int size = checkedCount(call(describe(), unpacker::unpackArrayHeader), 1, describe());
        long[] values = new long[size];
        for (int i = 0; i < size; i++) {
            expectElement(ValueType.INTEGER, i);
            values[i] = call(describe(), unpacker::unpackLong);
        }
        return values;
    }

    /**
     * {@return the current field as a list of string sets, each in written order (all immutable)}
     * The sets are containers inside the list, one level deeper than a list field: a decode whose
     * {@link DecodeLimits#maxDepth()} is 2 refuses a non-empty one.
     */
    public List<Set<String>> readStringSetList() {
        take();
        expect(ValueType.ARRAY, describe());
        int size = checkedCount(call(describe(), unpacker::unpackArrayHeader), 1, describe());
        if (size > 0 && limits.maxDepth() < 3) {
            throw fail(describe() + " nests lists 3 deep, more than the limit of "
                    + limits.maxDepth() + " (DecodeLimits.maxDepth)");
        }
        List<Set<String>> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            expectElement(ValueType.ARRAY, i);
            String element = describe() + " element " + i;
            int count = checkedCount(call(element, unpacker::unpackArrayHeader), 1, element);
            Set<String> set = new LinkedHashSet<>();
            for (int j = 0; j < count; j++) {
                expect(ValueType.STRING, element);
                set.add(string(element));
            }
            values.add(Collections.unmodifiableSet(set));
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * Decodes a binary value: what {@link #readDecoded} hands the bytes of a field to, with
     * the limits of this decode. A decoder must fail with {@link ArtifactFormatException} on
     * bytes it cannot decode.
     *
     * @param <V> the decoded type
     */
    @FunctionalInterface
    public interface Decoder<V> {

        /**
         * {@return the value encoded in {@code bytes}, decoded under {@code limits}}
         *
         * @param bytes the encoded bytes
         * @param limits the decoding limits
         */
        V decode(byte[] bytes, DecodeLimits limits);
    }

    /**
     * {@return the current field, a binary value, decoded by {@code decoder} under this decode's
     * limits (e.g. a payload in another format)} A failure of the decoder is reported as this
     * reader's {@link ArtifactFormatException} naming the field, its own message following.
     *
     * @param decoder decodes the field's bytes
     * @param <V> the decoded type
     */
    public <V> V readDecoded(Decoder<? extends V> decoder) {
        Objects.requireNonNull(decoder, "decoder");
        byte[] bytes = readBinary();
        return decodeNested(decoder, bytes, describe());
    }

    /**
     * {@return the current field, a value {@code codec} encoded and {@link FieldWriter#embedded}
     * wrote as a binary value: decoded under this decode's limits (its nesting counted afresh — an
     * embedded value's own containers start at level 1)}
     *
     * @param codec the codec
     * @param <V> the decoded type
     */
    public <V> V readEmbedded(MessagePackCodec<V> codec) {
        Objects.requireNonNull(codec, "codec");
        return readDecoded(codec::decode);
    }

    /**
     * {@return the current field as a list of embedded values (see {@link #readEmbedded}),
     * immutable}
     *
     * @param codec the codec
     * @param <V> the decoded type
     */
    public <V> List<V> readEmbeddedList(MessagePackCodec<V> codec) {
        Objects.requireNonNull(codec, "codec");
        take();
        expect(ValueType.ARRAY, describe());
        int size = checkedCount(call(describe(), unpacker::unpackArrayHeader), 1, describe());
        List<V> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            expectElement(ValueType.BINARY, i);
            String element = describe() + " element " + i;
            int length = call(element, unpacker::unpackBinaryHeader);
            checkLength(length, limits.maxBinaryBytes(), "DecodeLimits.maxBinaryBytes", element);
            byte[] bytes = call(element, () -> unpacker.readPayload(length));
            values.add(decodeNested(codec::decode, bytes, element));
        }
        return Collections.unmodifiableList(values);
    }

    private <V> V decodeNested(Decoder<? extends V> decoder, byte[] bytes, String what) {
        try {
            return decoder.decode(bytes, limits);
        } catch (ArtifactFormatException e) {
            throw fail(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@return {@code value} if a required field was present}
     *
     * @param value the value
     * @param fieldNumber the field's number, for the error message
     * @param name the name
     * @param <V> the decoded type
     * @throws ArtifactFormatException naming the field when {@code value} is null
     */
    public <V> V require(V value, int fieldNumber, String name) {
        Objects.requireNonNull(name, "name");
        if (value == null) {
            throw fail("required field " + fieldNumber + " (" + name + ") is missing");
        }
        return value;
    }

    /**
     * {@return the instant of an epoch-second field and a nanosecond field, as a codec read them}
     *
     * @param epochSecond the seconds since the epoch
     * @param nanos the nanoseconds within that second
     * @param name the name
     * @throws ArtifactFormatException if {@code nanos} is outside [0, 999999999] or the instant
     *     outside {@link Instant}'s range
     */
    public Instant instant(long epochSecond, int nanos, String name) {
        Objects.requireNonNull(name, "name");
        if (nanos < 0 || nanos > 999_999_999) {
            throw fail(name + " nanoseconds must be in [0, 999999999], was " + nanos);
        }
        long min = Instant.MIN.getEpochSecond();
        long max = Instant.MAX.getEpochSecond();
        if (epochSecond < min || epochSecond > max) {
            throw fail(name + " epoch second must be in [" + min + ", " + max + "], was "
                    + epochSecond);
        }
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /**
     * {@return an exception for bytes that are well-formed MessagePack but not a valid value (a
     * field out of range, say), in the same format as the reader's own errors} Throw it from
     * {@link MessagePackCodec#readFields}.
     *
     * @param reason what is wrong with the value
     */
    public ArtifactFormatException invalid(String reason) {
        Objects.requireNonNull(reason, "reason");
        return fail(reason);
    }

    /** Skips fields left unread, then fails on anything after the field map. */
    void finish() {
        while (next()) {
            skip();
        }
        if (call("the end of input", unpacker::hasNext)) {
            throw fail((input.length - unpacker.getTotalReadBytes())
                    + " trailing byte(s) after the field map");
        }
    }

    // ---- checked primitives -------------------------------------------------------------

    private void take() {
        if (!valuePending) {
            throw new IllegalStateException("no field to read: call next() first");
        }
        valuePending = false;
    }

    private String describe() {
        // built once per field, not per read: it is only read when a read fails
        if (described != field) {
            described = field;
            description = "field " + field;
        }
        return description;
    }

    /**
     * Skips {@code count} values found directly inside the field map. Iterative: {@code pending}
     * holds, per open container, how many of its values are still to skip, so deep nesting
     * costs no stack — and is refused beyond {@link DecodeLimits#maxDepth()}.
     */
    private void skipValues(int count) {
        long[] pending = new long[8];
        int depth = 1;
        pending[depth] = count;
        while (depth > 0) {
            if (pending[depth] == 0) {
                depth--;
                continue;
            }
            pending[depth]--;
            ValueType type = nextType("a skipped value");
            long opened;
            if (type == ValueType.ARRAY) {
                opened = checkedCount(call("a skipped array", unpacker::unpackArrayHeader), 1,
                        "a skipped array");
            } else if (type == ValueType.MAP) {
                opened = 2L * checkedCount(call("a skipped map", unpacker::unpackMapHeader), 2,
                        "a skipped map");
            } else {
                // a scalar, or a string/binary/extension whose payload is skipped, not read
                call("a skipped value", () -> {
                    unpacker.skipValue();
                    return null;
                });
                continue;
            }
            if (depth == limits.maxDepth()) {
                throw fail("a skipped value nests containers deeper than the limit of "
                        + limits.maxDepth() + " (DecodeLimits.maxDepth)");
            }
            depth++;
            if (depth == pending.length) {
                pending = Arrays.copyOf(pending, Math.min(2 * pending.length,
                        limits.maxDepth() + 1));
            }
            pending[depth] = opened;
        }
    }

    private String string(String what) {
        return string(what, limits.maxStringBytes(), "DecodeLimits.maxStringBytes");
    }

    /**
     * The type name is read before the fields, whatever {@link DecodeLimits#maxStringBytes()}
     * says, but it is short: a longer one cannot be ours.
     */
    private int typeNameLimit() {
        return Math.max(MAX_TYPE_NAME_BYTES, typeName.getBytes(StandardCharsets.UTF_8).length);
    }

    private String string(String what, int limit, String limitName) {
        int length = call(what, unpacker::unpackRawStringHeader);
        checkLength(length, limit, limitName, what);
        // the unpacker reads input from its start, so its count of bytes read is the string's
        // offset in input: the string is decoded there, with no copy of its bytes
        int offset = (int) unpacker.getTotalReadBytes();
        call(what, () -> unpacker.readPayloadAsReference(length));
        return decodeUtf8(input, offset, length, what);
    }

    /**
     * Strict UTF-8: ASCII, the usual case for ids and type names, is every byte below 0x80 and
     * maps byte for byte to chars, so it skips the decoder; anything else goes through the
     * strict decoder exactly as it would without the shortcut.
     */
    private String decodeUtf8(byte[] bytes, int offset, int length, String what) {
        if (isAscii(bytes, offset, length)) {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
        try {
            if (utf8 == null) {
                utf8 = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            return utf8.reset().decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw fail(what + " is not valid UTF-8", e);
        }
    }

    /** Whether {@code bytes[offset, offset + length)} are all below 0x80. */
    static boolean isAscii(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private void checkLength(int length, int limit, String limitName, String what) {
        // msgpack-core already refuses lengths above Integer.MAX_VALUE
        if (length > remaining()) {
            throw fail(what + " declares " + length + " bytes, but only " + remaining()
                    + " are left");
        }
        if (length > limit) {
            throw fail(what + " declares " + length + " bytes, more than the limit of " + limit
                    + " (" + limitName + ")");
        }
    }

    /** Checks a container size: at most MAX_ENTRIES, and each entry needs bytes of its own. */
    private int checkedCount(int count, int valuesPerEntry, String what) {
        if ((long) count * valuesPerEntry > remaining()) {
            throw fail(what + " declares " + count + " entries, more than the " + remaining()
                    + " bytes left can hold");
        }
        if (count > limits.maxEntries()) {
            throw fail(what + " declares " + count + " entries, more than the limit of "
                    + limits.maxEntries() + " (DecodeLimits.maxEntries)");
        }
        return count;
    }

    private long remaining() {
        return input.length - unpacker.getTotalReadBytes();
    }

    private void expect(ValueType expected, String what) {
        ValueType actual = nextType(what);
        if (actual != expected) {
            throw fail(what + " must be " + expected.name().toLowerCase(Locale.ROOT)
                    + ", was " + actual.name().toLowerCase(Locale.ROOT));
        }
    }

    /** {@link #expect} for element {@code index} of the current field, named only on failure. */
    private void expectElement(ValueType expected, int index) {
        if (nextType(describe()) != expected) {
            expect(expected, describe() + " element " + index);
        }
    }

    private ValueType nextType(String what) {
        MessageFormat format = call(what, unpacker::getNextFormat);
        try {
            return format.getValueType();
        } catch (MessagePackException e) {
            throw fail(what + " starts with a byte that is not MessagePack", e);
        }
    }

    private interface Step<R> {
        R run() throws IOException;
    }

    private <R> R call(String what, Step<R> step) {
        try {
            return step.run();
        } catch (IOException | MessagePackException e) {
            throw fail("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    private ArtifactFormatException fail(String reason) {
        return fail(reason, null);
    }

    private ArtifactFormatException fail(String reason, Throwable cause) {
        return new ArtifactFormatException("malformed " + typeName + " (at byte "
                + unpacker.getTotalReadBytes() + " of " + input.length + "): " + reason, cause);
    }
}
