package io.github.hivemesh.wire;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.DecodeLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.msgpack.core.ExtensionTypeHeader;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageIntegerOverflowException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The default {@link PayloadCodec}: MessagePack for {@code null}, {@link Boolean},
 * {@link Integer}, {@link Long}, {@link Float}, {@link Double}, {@link String}, {@code byte[]},
 * and {@link List}s and {@link Map}s of these, nested — exactly these, and a round trip keeps
 * each value's Java type.
 *
 * <h2>Format</h2>
 * Two MessagePack values in a row, nothing after them: a positive integer, the format version
 * (1), then the value, written by its Java type:
 * <table>
 *   <caption>Java types and their MessagePack form</caption>
 *   <tr><th>Java</th><th>MessagePack</th><th>decoded as</th></tr>
 *   <tr><td>{@code null}</td><td>nil</td><td>{@code null}</td></tr>
 *   <tr><td>{@code Boolean}</td><td>bool</td><td>{@code Boolean}</td></tr>
 *   <tr><td>{@code Long}</td><td>int, any width</td><td>{@code Long} (an unsigned 64-bit value
 *       above {@code Long.MAX_VALUE} is refused)</td></tr>
 *   <tr><td>{@code Integer}</td><td>ext type 1, 4 bytes (fixext 4): the value big-endian, two's
 *       complement</td><td>{@code Integer}</td></tr>
 *   <tr><td>{@code Float}</td><td>float 32</td><td>{@code Float}</td></tr>
 *   <tr><td>{@code Double}</td><td>float 64</td><td>{@code Double}</td></tr>
 *   <tr><td>{@code String}</td><td>str, UTF-8</td><td>{@code String}</td></tr>
 *   <tr><td>{@code byte[]}</td><td>bin</td><td>{@code byte[]}</td></tr>
 *   <tr><td>{@code List}</td><td>array</td><td>an unmodifiable {@code List} (nulls allowed)</td></tr>
 *   <tr><td>{@code Map}</td><td>map, in iteration order; keys of any of these types</td>
 *       <td>an unmodifiable map in written order (a {@code LinkedHashMap} underneath)</td></tr>
 * </table>
 * MessagePack's integer family is 64 bits wide, so its natural Java type is {@code Long};
 * {@code Integer}, the narrower one, is the one tagged. Floats keep their type through the two
 * float formats. Bits are kept exactly ({@code NaN}, {@code -0.0}).
 *
 * <h2>Refused</h2>
 * Encoding throws {@link UnsupportedPayloadException} naming the Java type and the path to it
 * ({@code map value for key "k" → list element 3: java.time.Instant is not supported...}) for
 * any other type ({@code Short}, {@code Set}, {@code int[]}, records...), for a string with an
 * unpaired surrogate (UTF-8 cannot carry it; msgpack-core would write {@code '?'}), and for
 * what a reader with {@link DecodeLimits#DEFAULT} would reject: more than 32 nested lists and
 * maps (a list that contains itself ends here), a container of more than 2<sup>20</sup>
 * entries, a string of more than 1 MiB, more than 64 MiB in all. Decoding throws
 * {@link ArtifactFormatException} for anything that is not such an encoding — another version,
 * an unknown extension type, a duplicate map key, trailing bytes, invalid UTF-8 — and holds
 * every declared length to the limits and to the bytes left before allocating for it; the
 * outermost list or map is level 1 of {@link DecodeLimits#maxDepth()}.
 *
 * <p>Stateless and thread-safe.
 */
final class DefaultPayloadCodec implements PayloadCodec {

    static final DefaultPayloadCodec INSTANCE = new DefaultPayloadCodec();

    /** The format version written, and the only one read. */
    static final int VERSION = 1;

    /** The extension type of an {@code Integer}. */
    static final byte INTEGER_EXT = 1;

    static final String SUPPORTED = "(null, Boolean, Integer, Long, Float, Double, String, "
            + "byte[], List and Map of these)";

    private static final DecodeLimits WRITE_LIMITS = DecodeLimits.DEFAULT;

    private static final MessagePack.PackerConfig PACKERS = new MessagePack.PackerConfig()
            .withBufferSize(256);

    private DefaultPayloadCodec() {
    }

    @Override
    public byte[] encode(Object value) {
        try (MessageBufferPacker packer = PACKERS.newBufferPacker()) {
            packer.packInt(VERSION);
            new Writer(packer).write(value, 0);
            return packer.toByteArray();
        } catch (IOException e) {
            // a buffer packer writes to memory; it has no I/O to fail
            throw new IllegalStateException("in-memory MessagePack packer failed", e);
        }
    }

    @Override
    public Object decode(byte[] bytes, DecodeLimits limits) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(limits, "limits");
        return new Reader(bytes, limits).read();
    }

    @Override
    public String toString() {
        return "PayloadCodec.defaults() v" + VERSION;
    }

    // ---- encoding --------------------------------------------------------------------------

    /** Writes one value; keeps the path to the value being written, for an error message. */
    private static final class Writer {

        private static final byte LIST_ELEMENT = 0;
        private static final byte MAP_KEY = 1;
        private static final byte MAP_VALUE = 2;

        private final MessageBufferPacker packer;
        private final byte[] scratch = new byte[4];
        /** Per enclosing container: what the current value is in it, its index, its key. */
        private byte[] roles = new byte[8];
        private int[] indices = new int[8];
        private Object[] keys = new Object[8];

        Writer(MessageBufferPacker packer) {
            this.packer = packer;
        }

        /** Writes {@code value}, which sits inside {@code depth} containers. */
        void write(Object value, int depth) throws IOException {
            if (value == null) {
                packer.packNil();
            } else if (value instanceof String s) {
                checkString(s, depth);
                packer.packString(s);
            } else if (value instanceof Integer i) {
                int v = i;
                scratch[0] = (byte) (v >>> 24);
                scratch[1] = (byte) (v >>> 16);
                scratch[2] = (byte) (v >>> 8);
                scratch[3] = (byte) v;
                packer.packExtensionTypeHeader(INTEGER_EXT, 4);
                packer.writePayload(scratch);
            } else if (value instanceof Long l) {
                packer.packLong(l);
            } else if (value instanceof Boolean b) {
                packer.packBoolean(b);
            } else if (value instanceof Double d) {
                packer.packDouble(d);
            } else if (value instanceof Float f) {
                packer.packFloat(f);
            } else if (value instanceof byte[] b) {
                if (b.length > WRITE_LIMITS.maxBinaryBytes()) {
                    throw refused(depth, "a byte[] of " + b.length + " bytes", "is more than the"
                            + " limit of " + WRITE_LIMITS.maxBinaryBytes()
                            + " (DecodeLimits.maxBinaryBytes); a reader would reject it");
                }
                packer.packBinaryHeader(b.length);
                packer.writePayload(b);
            } else if (value instanceof List<?> list) {
                writeList(list, depth);
            } else if (value instanceof Map<?, ?> map) {
                writeMap(map, depth);
            } else {
                throw refused(depth, value.getClass().getName(),
                        "is not supported by the default payload codec " + SUPPORTED);
            }
            if (packer.getTotalWrittenBytes() > WRITE_LIMITS.maxInputBytes()) {
                throw refused(depth, value.getClass().getName(), "takes the encoding past "
                        + WRITE_LIMITS.maxInputBytes() + " bytes, the limit"
                        + " (DecodeLimits.maxInputBytes); a reader would reject it");
            }
        }

        private void writeList(List<?> list, int depth) throws IOException {
            int size = open(list, list.size(), depth);
            packer.packArrayHeader(size);
            int index = 0;
            for (Object element : list) {
                if (index == size) {
                    throw changed(list, size, depth);
                }
                at(depth, LIST_ELEMENT, index++, null);
                write(element, depth + 1);
            }
            if (index != size) {
                throw changed(list, size, depth);
            }
        }

        private void writeMap(Map<?, ?> map, int depth) throws IOException {
            int size = open(map, map.size(), depth);
            packer.packMapHeader(size);
            int index = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (index == size) {
                    throw changed(map, size, depth);
                }
                at(depth, MAP_KEY, index, null);
                write(entry.getKey(), depth + 1);
                at(depth, MAP_VALUE, index++, entry.getKey());
                write(entry.getValue(), depth + 1);
            }
            if (index != size) {
                throw changed(map, size, depth);
            }
        }

        /** Checks a container opening at {@code depth} and makes room to trace its contents. */
        private int open(Object container, int size, int depth) {
            if (depth + 1 > WRITE_LIMITS.maxDepth()) {
                throw refused(depth, container.getClass().getName(), "nests lists and maps"
                        + " deeper than the limit of " + WRITE_LIMITS.maxDepth()
                        + " (DecodeLimits.maxDepth; does a list or map contain itself?)");
            }
            if (size > WRITE_LIMITS.maxEntries()) {
                throw refused(depth, container.getClass().getName() + " of " + size
                        + " entries", "is more than the limit of " + WRITE_LIMITS.maxEntries()
                        + " (DecodeLimits.maxEntries); a reader would reject it");
            }
            if (depth == roles.length) {
                roles = Arrays.copyOf(roles, 2 * depth);
                indices = Arrays.copyOf(indices, 2 * depth);
                keys = Arrays.copyOf(keys, 2 * depth);
            }
            return size;
        }

        private void at(int depth, byte role, int index, Object key) {
            roles[depth] = role;
            indices[depth] = index;
            keys[depth] = key;
        }

        private void checkString(String s, int depth) {
            // one pass finds both what UTF-8 cannot carry and the encoded length
            long bytes = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    bytes += 1;
                } else if (c < 0x800) {
                    bytes += 2;
                } else if (!Character.isSurrogate(c)) {
                    bytes += 3;
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 4;
                    i++;
                } else {
                    throw refused(depth, "java.lang.String", "has an unpaired surrogate at"
                            + " index " + i + ", which UTF-8 cannot carry");
                }
            }
            if (bytes > WRITE_LIMITS.maxStringBytes()) {
                throw refused(depth, "java.lang.String of " + bytes + " UTF-8 bytes",
                        "is more than the limit of " + WRITE_LIMITS.maxStringBytes()
                                + " (DecodeLimits.maxStringBytes); a reader would reject it");
            }
        }

        private UnsupportedPayloadException changed(Object container, int size, int depth) {
            return refused(depth, container.getClass().getName(), "iterated other than its"
                    + " size of " + size + " (was it modified while it was encoded?)");
        }

        /** "path: what reason", the path leading to the value inside {@code depth} containers. */
        private UnsupportedPayloadException refused(int depth, String what, String reason) {
            StringBuilder message = new StringBuilder();
            for (int level = 0; level < depth; level++) {
                if (level > 0) {
                    message.append(" → ");
                }
                switch (roles[level]) {
                    case LIST_ELEMENT -> message.append("list element ").append(indices[level]);
                    case MAP_KEY -> message.append("map key ").append(indices[level]);
                    default -> message.append("map value for key ").append(render(keys[level]));
                }
            }
            if (depth > 0) {
                message.append(": ");
            }
            return new UnsupportedPayloadException(message.append(what).append(' ')
                    .append(reason).toString());
        }

        private static String render(Object key) {
            String text;
            if (key instanceof String s) {
                text = '"' + s + '"';
            } else if (key instanceof byte[] b) {
                text = "byte[" + b.length + "]";
            } else if (key instanceof List<?> || key instanceof Map<?, ?>) {
                text = "(a " + key.getClass().getSimpleName() + ")";
            } else {
                text = String.valueOf(key);
            }
            return text.length() > 60 ? text.substring(0, 57) + "..." : text;
        }
    }

    // ---- decoding --------------------------------------------------------------------------

    /** Reads one encoding, checking every declared length before acting on it. */
    private static final class Reader {

        private final byte[] input;
        private final DecodeLimits limits;
        private final MessageUnpacker unpacker;
        private CharsetDecoder utf8;

        Reader(byte[] input, DecodeLimits limits) {
            this.input = input;
            this.limits = limits;
            this.unpacker = MessagePack.newDefaultUnpacker(input);
        }

        Object read() {
            if (input.length == 0) {
                throw fail("input is empty");
            }
            if (input.length > limits.maxInputBytes()) {
                throw fail("input is " + input.length + " bytes, more than the limit of "
                        + limits.maxInputBytes() + " (DecodeLimits.maxInputBytes)");
            }
            MessageFormat format = format("the format version");
            if (format.getValueType() != ValueType.INTEGER) {
                throw fail("the format version must be integer, was " + name(format));
            }
            int version = call("the format version", unpacker::unpackInt);
            if (version != VERSION) {
                throw fail("format version " + version + " is not supported (this reader knows "
                        + VERSION + ")");
            }
            Object value = value(0);
            if (call("the end of input", unpacker::hasNext)) {
                throw fail(remaining() + " trailing byte(s) after the value");
            }
            return value;
        }

        /** Reads a value inside {@code depth} containers. */
        private Object value(int depth) {
            MessageFormat format = format("a value");
            switch (format.getValueType()) {
                case NIL:
                    call("nil", () -> {
                        unpacker.unpackNil();
                        return null;
                    });
                    return null;
                case BOOLEAN:
                    return call("a boolean", unpacker::unpackBoolean);
                case INTEGER:
                    try {
                        return unpacker.unpackLong();
                    } catch (MessageIntegerOverflowException e) {
                        throw fail("an integer above Long.MAX_VALUE is not a payload value", e);
                    } catch (IOException | MessagePackException e) {
                        throw fail("cannot read an integer: " + e.getMessage(), e);
                    }
                case FLOAT:
                    return format == MessageFormat.FLOAT32
                            ? (Object) call("a float", unpacker::unpackFloat)
                            : (Object) call("a double", unpacker::unpackDouble);
                case STRING:
                    return string();
                case BINARY: {
                    int length = call("a byte[]", unpacker::unpackBinaryHeader);
                    checkLength(length, limits.maxBinaryBytes(), "DecodeLimits.maxBinaryBytes",
                            "a byte[]");
                    return call("a byte[]", () -> unpacker.readPayload(length));
                }
                case ARRAY:
                    return list(depth);
                case MAP:
                    return map(depth);
                case EXTENSION:
                    return integer();
                default:
                    throw new IllegalStateException("unknown MessagePack type " + format);
            }
        }

        private List<Object> list(int depth) {
            int size = count(call("a list", unpacker::unpackArrayHeader), 1, "a list", depth);
            List<Object> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(value(depth + 1));
            }
            return Collections.unmodifiableList(list);
        }

        private Map<Object, Object> map(int depth) {
            int size = count(call("a map", unpacker::unpackMapHeader), 2, "a map", depth);
            Map<Object, Object> map = new LinkedHashMap<>(Math.max(16, size + size / 3 + 1));
            for (int i = 0; i < size; i++) {
                Object key = value(depth + 1);
                map.put(key, value(depth + 1));
                if (map.size() == i) {
                    throw fail("map entry " + i + " repeats an earlier key");
                }
            }
            return Collections.unmodifiableMap(map);
        }

        private Integer integer() {
            ExtensionTypeHeader header = call("an extension", unpacker::unpackExtensionTypeHeader);
            if (header.getType() != INTEGER_EXT || header.getLength() != 4) {
                throw fail("extension type " + header.getType() + " of " + header.getLength()
                        + " bytes is not a payload value (an Integer is type " + INTEGER_EXT
                        + " of 4 bytes)");
            }
            byte[] b = call("an Integer", () -> unpacker.readPayload(4));
            return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8)
                    | (b[3] & 0xff);
        }

        private String string() {
            int length = call("a string", unpacker::unpackRawStringHeader);
            checkLength(length, limits.maxStringBytes(), "DecodeLimits.maxStringBytes",
                    "a string");
            byte[] bytes = call("a string", () -> unpacker.readPayload(length));
            try {
                if (utf8 == null) {
                    utf8 = StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT);
                }
                return utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw fail("a string is not valid UTF-8", e);
            }
        }

        /** Checks a container opening inside {@code depth} others. */
        private int count(int count, int valuesPerEntry, String what, int depth) {
            if (depth + 1 > limits.maxDepth()) {
                throw fail(what + " nests lists and maps deeper than the limit of "
                        + limits.maxDepth() + " (DecodeLimits.maxDepth)");
            }
            if ((long) count * valuesPerEntry > remaining()) {
                throw fail(what + " declares " + count + " entries, more than the "
                        + remaining() + " bytes left can hold");
            }
            if (count > limits.maxEntries()) {
                throw fail(what + " declares " + count + " entries, more than the limit of "
                        + limits.maxEntries() + " (DecodeLimits.maxEntries)");
            }
            return count;
        }

        private void checkLength(int length, int limit, String limitName, String what) {
            // msgpack-core already refuses lengths above Integer.MAX_VALUE
            if (length > remaining()) {
                throw fail(what + " declares " + length + " bytes, but only " + remaining()
                        + " are left");
            }
            if (length > limit) {
                throw fail(what + " declares " + length + " bytes, more than the limit of "
                        + limit + " (" + limitName + ")");
            }
        }

        private long remaining() {
            return input.length - unpacker.getTotalReadBytes();
        }

        private MessageFormat format(String what) {
            MessageFormat format = call(what, unpacker::getNextFormat);
            try {
                format.getValueType();
            } catch (MessagePackException e) {
                throw fail(what + " starts with a byte that is not MessagePack", e);
            }
            return format;
        }

        private static String name(MessageFormat format) {
            return format.getValueType().name().toLowerCase(Locale.ROOT);
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
            return new ArtifactFormatException("malformed payload (at byte "
                    + unpacker.getTotalReadBytes() + " of " + input.length + "): " + reason,
                    cause);
        }
    }
}
