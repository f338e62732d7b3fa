package io.github.hivemesh.artifact;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The rules for artifact keys, and helpers to build keys from arbitrary ids.
 *
 * <h2>Rules</h2>
 * A key is 1 to {@value #MAX_LENGTH} characters: segments joined by {@code /}; each segment is
 * non-empty, uses only {@code a-z 0-9 . _ -}, and does not start with {@code .}. So a key has no
 * {@code ..}, no absolute path, no back-slash, no drive letter and no upper case: it names the
 * same single file on every file system (including case-insensitive ones) and can never reach
 * outside the store's directory.
 *
 * <h2>Encoding ids</h2>
 * {@link #segment(String)} turns any string into a valid segment: {@code a-z 0-9 -} are kept,
 * every other UTF-8 byte becomes {@code _} and two lower-case hex digits (so
 * {@code "Agent.1"} becomes {@code "_41gent_2e1"}). An encoding longer than
 * {@value #MAX_SEGMENT_LENGTH} characters is shortened to its first characters, {@code _h},
 * and 32 hex digits of the SHA-256 of the id: a plain encoding never contains {@code _h}, so
 * the two forms never meet, and distinct ids share a segment only if their digests' first
 * 128 bits collide. So every id the API accepts (up to 256 characters of any script) fits in a
 * key with room for two more such segments. Plain encodings are reversible
 * ({@link #decodeSegment}); shortened ones are not.
 *
 * <p>Stateless and thread-safe.
 */
public final class ArtifactKeys {

    /** Longest key, in characters. */
    public static final int MAX_LENGTH = 200;
    /** Longest segment {@link #segment} returns, in characters. */
    public static final int MAX_SEGMENT_LENGTH = 72;
    /** Marks a shortened segment; never produced by the plain encoding ({@code h} is not hex). */
    private static final String DIGEST_MARK = "_h";
    private static final int DIGEST_HEX_DIGITS = 32;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private ArtifactKeys() {
    }

    /**
     * {@return {@code key} if it follows the rules}
     *
     * @param key the key
     * @throws InvalidArtifactKeyException naming the rule it breaks
     */
    public static String validate(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new InvalidArtifactKeyException(key, "must not be empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw new InvalidArtifactKeyException(key, "must be at most " + MAX_LENGTH
                    + " characters, was " + key.length());
        }
        checkCharacters(key);
        int start = 0;
        while (start <= key.length()) {
            int end = key.indexOf('/', start);
            if (end < 0) {
                end = key.length();
            }
            if (end == start) {
                throw new InvalidArtifactKeyException(key,
                        "segments between '/' must not be empty (no leading, trailing or double '/')");
            }
            if (key.charAt(start) == '.') {
                throw new InvalidArtifactKeyException(key,
                        "a segment must not start with '.' (no '.', '..' or hidden names)");
            }
            start = end + 1;
        }
        return key;
    }

    /**
     * {@return {@code prefix} if it could begin a key ({@code ""} included)}
     *
     * @param prefix the prefix to check
     * @throws InvalidArtifactKeyException if it has characters no key can have
     */
    public static String validatePrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.length() > MAX_LENGTH) {
            throw new InvalidArtifactKeyException(prefix, "must be at most " + MAX_LENGTH
                    + " characters, was " + prefix.length());
        }
        checkCharacters(prefix);
        return prefix;
    }

    private static void checkCharacters(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(isSegmentChar(c) || c == '.' || c == '_' || c == '/')) {
                throw new InvalidArtifactKeyException(key, "character '" + c + "' at index " + i
                        + " is not allowed (only a-z 0-9 . _ - and '/' between segments)");
            }
        }
    }

    /** Characters {@link #segment} keeps as they are. */
    private static boolean isSegmentChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }

    /**
     * Encodes any non-empty string as one key segment of at most {@value #MAX_SEGMENT_LENGTH}
     * characters (see class docs).
     *
     * @param raw any non-empty string
     * @return the segment
     * @throws IllegalArgumentException if {@code raw} is empty
     */
    public static String segment(String raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("a key segment cannot encode the empty string");
        }
        byte[] utf8 = raw.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(raw.length());
        for (byte b : utf8) {
            char c = (char) (b & 0xff);
            if (isSegmentChar(c)) {
                out.append(c);
            } else {
                out.append('_').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        if (out.length() <= MAX_SEGMENT_LENGTH) {
            return out.toString();
        }
        int keep = MAX_SEGMENT_LENGTH - DIGEST_MARK.length() - DIGEST_HEX_DIGITS;
        // never cut an escape in two: back up to the start of a "_xx" that would be split
        int lastEscape = out.lastIndexOf("_", keep - 1);
        if (lastEscape >= 0 && lastEscape > keep - 3) {
            keep = lastEscape;
        }
        out.setLength(keep);
        out.append(DIGEST_MARK);
        byte[] digest = sha256(utf8);
        for (int i = 0; i < DIGEST_HEX_DIGITS / 2; i++) {
            out.append(HEX[(digest[i] >> 4) & 0xf]).append(HEX[digest[i] & 0xf]);
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256 (MessageDigest's Javadoc)
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Decodes a plain (not shortened) segment made by {@link #segment}.
     *
     * @param segment a segment {@link #segment} made from a string it did not shorten
     * @return the string the segment was made from
     * @throws IllegalArgumentException if it is not such a segment (a shortened one included)
     */
    public static String decodeSegment(String segment) {
        Objects.requireNonNull(segment, "segment");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (isSegmentChar(c)) {
                bytes.write(c);
            } else if (c == '_' && i + 2 < segment.length() && hex(segment.charAt(i + 1)) >= 0
                    && hex(segment.charAt(i + 2)) >= 0) {
                bytes.write(hex(segment.charAt(i + 1)) << 4 | hex(segment.charAt(i + 2)));
                i += 2;
            } else {
                throw new IllegalArgumentException("'" + segment
                        + "' is not an encoded key segment (bad character at index " + i + ")");
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    /**
     * Joins already valid segments with {@code /} and validates the result.
     *
     * @param segments valid key segments, in order
     * @return the key
     * @throws InvalidArtifactKeyException if the result breaks a rule
     */
    public static String key(String... segments) {
        Objects.requireNonNull(segments, "segments");
        return validate(String.join("/", segments));
    }
}
