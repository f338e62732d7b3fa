package io.github.hivemesh.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Damages valid encodings for the fuzz tests: random bytes, bit flips, truncations, insertions,
 * deletions, duplicated chunks, overwritten bytes, and — aimed at the length checks — corrupted
 * or huge length fields of MessagePack headers (or any length field the caller names, such as
 * the artifact file header's payload length). Deterministic for a given random. Stateless.
 */
public final class Mutator {

    /** What a mutation did. */
    public enum Kind {
        /** Random bytes, no relation to the valid input. */
        RANDOM_BYTES,
        /** A valid prefix followed by random bytes, to get past the first checks. */
        RANDOM_TAIL,
        /** One to four flipped bits. */
        BIT_FLIPS,
        /** The input cut at a random length. */
        TRUNCATION,
        /** Random bytes inserted at a random position. */
        INSERTION,
        /** A random range removed. */
        DELETION,
        /** A random chunk of the input repeated in place. */
        DUPLICATION,
        /** Random bytes written over random positions. */
        OVERWRITE,
        /** A length field set to a nearby or random value. */
        LENGTH_FIELD,
        /**
         * A length field set to a huge value (up to 2³²−1, or just under the default decode
         * limits), a short header first widened to 32 bits.
         */
        HUGE_LENGTH
    }

    /** What a length field counts, which picks the 32-bit header to widen it to. */
    public enum Family {
        /** A string's bytes. */
        STRING(0xdb, 5),
        /** A binary value's bytes. */
        BINARY(0xc6, 0),
        /** An array's elements. */
        ARRAY(0xdd, 4),
        /** A map's entries. */
        MAP(0xdf, 4),
        /** A plain big-endian length, such as the artifact file header's. */
        RAW(-1, 0);

        private final int marker32;
        private final int fixBits;

        Family(int marker32, int fixBits) {
            this.marker32 = marker32;
            this.fixBits = fixBits;
        }
    }

    /**
     * A length field: for MessagePack, {@code offset} is the header's first byte and
     * {@code width} the length's bytes after it (0 for fix formats, whose count sits in the
     * header byte's low bits); for {@link Family#RAW}, the field itself.
     */
    public record LengthField(int offset, int width, Family family) {
    }

    /** A damaged input and how it was damaged. */
    public record Mutant(Kind kind, byte[] bytes) {
    }

    private static final Kind[] KINDS = Kind.values();

    private Mutator() {
    }

    /**
     * A damaged copy of {@code valid} (which is left as it is).
     *
     * @param lengthFields the fields {@link Kind#LENGTH_FIELD} and {@link Kind#HUGE_LENGTH}
     *                     aim at; when empty, those kinds overwrite bytes instead
     */
    public static Mutant mutate(SplittableRandom random, byte[] valid,
            List<LengthField> lengthFields) {
        Kind kind = KINDS[random.nextInt(KINDS.length)];
        return new Mutant(kind, apply(kind, random, valid, lengthFields));
    }

    private static byte[] apply(Kind kind, SplittableRandom random, byte[] valid,
            List<LengthField> lengthFields) {
        int n = valid.length;
        switch (kind) {
            case RANDOM_BYTES:
                return randomBytes(random, random.nextInt(65));
            case RANDOM_TAIL:
                return concat(Arrays.copyOf(valid, random.nextInt(n + 1)),
                        randomBytes(random, 1 + random.nextInt(32)));
            case BIT_FLIPS: {
                byte[] out = valid.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0 && n > 0; flips--) {
                    out[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
                }
                return out;
            }
            case TRUNCATION:
                return Arrays.copyOf(valid, random.nextInt(n + 1));
            case INSERTION: {
                int at = random.nextInt(n + 1);
                return concat(Arrays.copyOf(valid, at), randomBytes(random, 1 + random.nextInt(8)),
                        Arrays.copyOfRange(valid, at, n));
            }
            case DELETION: {
                int from = random.nextInt(n + 1);
                int to = Math.min(n, from + 1 + random.nextInt(8));
                return concat(Arrays.copyOf(valid, from), Arrays.copyOfRange(valid, to, n));
            }
            case DUPLICATION: {
                int from = random.nextInt(n + 1);
                int to = Math.min(n, from + 1 + random.nextInt(16));
                return concat(Arrays.copyOf(valid, to), Arrays.copyOfRange(valid, from, n));
            }
            case OVERWRITE:
                return overwrite(random, valid);
            case LENGTH_FIELD:
            case HUGE_LENGTH:
                if (lengthFields.isEmpty()) {
                    return overwrite(random, valid);
                }
                LengthField field = lengthFields.get(random.nextInt(lengthFields.size()));
                return kind == Kind.HUGE_LENGTH ? huge(random, valid, field)
                        : nearby(random, valid, field);
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    private static byte[] overwrite(SplittableRandom random, byte[] valid) {
        byte[] out = valid.clone();
        for (int writes = 1 + random.nextInt(3); writes > 0 && out.length > 0; writes--) {
            out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
        return out;
    }

    /** The length set to a value near the real one, or to a random one of the same width. */
    private static byte[] nearby(SplittableRandom random, byte[] valid, LengthField field) {
        byte[] out = valid.clone();
        if (field.width() == 0) {
            int bits = field.family().fixBits;
            int header = out[field.offset()] & 0xff;
            out[field.offset()] = (byte) ((header & ~((1 << bits) - 1))
                    | random.nextInt(1 << bits));
            return out;
        }
        int start = field.family() == Family.RAW ? field.offset() : field.offset() + 1;
        long current = readLength(out, start, field.width());
        long max = (1L << (8 * field.width())) - 1;
        long value = random.nextBoolean()
                ? Math.max(0, Math.min(max, current + random.nextInt(-4, 5)))
                : random.nextLong(max + 1);
        writeLength(out, start, field.width(), value);
        return out;
    }

    /** The length set to a huge value; a short header is first widened to 32 bits. */
    private static byte[] huge(SplittableRandom random, byte[] valid, LengthField field) {
        // beyond any limit, and just within the default ones (1 MiB strings, 2^20 entries),
        // where only the bytes-left check stands between the declaration and an allocation
        long[] huge = {0xffff_ffffL, Integer.MAX_VALUE, 0x8000_0000L, 1L << 30,
                random.nextLong(1L << 32), 1L << 20, (1L << 20) - 1,
                random.nextLong(1L << 16, 1L << 20)};
        long value = huge[random.nextInt(huge.length)];
        if (field.family() == Family.RAW) {
            byte[] out = valid.clone();
            long max = (1L << (8 * field.width())) - 1;
            writeLength(out, field.offset(), field.width(), Math.min(value, max));
            return out;
        }
        byte[] header = new byte[5];
        header[0] = (byte) field.family().marker32;
        writeLength(header, 1, 4, value);
        int end = field.offset() + 1 + field.width();
        return concat(Arrays.copyOf(valid, field.offset()), header,
                Arrays.copyOfRange(valid, end, valid.length));
    }

    /**
     * Every string, binary, array and map header in a valid MessagePack sequence, with the
     * position and width of its length.
     */
    public static List<LengthField> msgpackLengthFields(byte[] valid) {
        List<LengthField> fields = new ArrayList<>();
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(valid)) {
            while (unpacker.hasNext()) {
                int offset = (int) unpacker.getTotalReadBytes();
                ValueType type = unpacker.getNextFormat().getValueType();
                int marker = valid[offset] & 0xff;
                Family family = switch (type) {
                    case STRING -> Family.STRING;
                    case BINARY -> Family.BINARY;
                    case ARRAY -> Family.ARRAY;
                    case MAP -> Family.MAP;
                    default -> null;
                };
                if (family != null) {
                    fields.add(new LengthField(offset, width(marker), family));
                }
                if (type == ValueType.ARRAY) {
                    unpacker.unpackArrayHeader();
                } else if (type == ValueType.MAP) {
                    unpacker.unpackMapHeader();
                } else {
                    unpacker.skipValue();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid MessagePack", e);
        }
        return fields;
    }

    /** The same fields, {@code shift} bytes further on (for an encoding inside a file). */
    public static List<LengthField> shifted(List<LengthField> fields, int shift) {
        return fields.stream()
                .map(f -> new LengthField(f.offset() + shift, f.width(), f.family())).toList();
    }

    private static int width(int marker) {
        return switch (marker) {
            case 0xd9, 0xc4 -> 1;
            case 0xda, 0xc5, 0xdc, 0xde -> 2;
            case 0xdb, 0xc6, 0xdd, 0xdf -> 4;
            default -> 0;
        };
    }

    private static long readLength(byte[] bytes, int start, int width) {
        long value = 0;
        for (int i = 0; i < width; i++) {
            value = (value << 8) | (bytes[start + i] & 0xff);
        }
        return value;
    }

    private static void writeLength(byte[] bytes, int start, int width, long value) {
        for (int i = width - 1; i >= 0; i--) {
            bytes[start + i] = (byte) (value >>> (8 * (width - 1 - i)));
        }
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** Up to {@code max} bytes as hex, for a failure message. */
    public static String hex(byte[] bytes, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, max); i++) {
            out.append(String.format("%02x", bytes[i] & 0xff));
        }
        return bytes.length > max ? out + "... (" + bytes.length + " bytes)" : out.toString();
    }
}
