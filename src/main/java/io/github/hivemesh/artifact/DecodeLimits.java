package io.github.hivemesh.artifact;

import static io.github.hivemesh.internal.util.Preconditions.checkRange;

/**
 * How much a {@link MessagePackCodec} accepts while decoding. Every declared length and count is
 * checked against these limits — and against the bytes actually left in the input — before
 * anything is allocated for it, so hostile bytes cannot make a decode allocate much more than
 * the input itself, nor run long: a decode reads each input byte at most once.
 *
 * <table>
 *   <caption>Limits and defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>bounds</th></tr>
 *   <tr><td>{@link #maxInputBytes()}</td><td>64 MiB</td><td>the whole encoded value</td></tr>
 *   <tr><td>{@link #maxStringBytes()}</td><td>1 MiB</td><td>one string field (or string
 *       inside a field), in UTF-8 bytes</td></tr>
 *   <tr><td>{@link #maxBinaryBytes()}</td><td>64 MiB</td><td>one binary field</td></tr>
 *   <tr><td>{@link #maxEntries()}</td><td>2<sup>20</sup></td><td>one array or map</td></tr>
 *   <tr><td>{@link #maxDepth()}</td><td>32</td><td>containers nested in one another, the
 *       field map being level 1</td></tr>
 * </table>
 *
 * A value beyond a limit raises {@link ArtifactFormatException} naming the limit, e.g.
 * {@code "field 4 declares 2000000 entries, more than the limit of 1048576
 * (DecodeLimits.maxEntries)"}. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>Independent of these limits, nothing may declare more bytes than are left in the input
 * (an array or map needs at least one byte per element), and the type name in the header is at
 * most 256 bytes (or the codec's own name, if longer).
 */
public final class DecodeLimits {

    /** Default {@link #maxInputBytes()}: 64 MiB, the default artifact size limit. */
    public static final int DEFAULT_MAX_INPUT_BYTES = ArtifactStorage.DEFAULT_MAX_ARTIFACT_BYTES;
    /** Default {@link #maxStringBytes()}: 1 MiB. */
    public static final int DEFAULT_MAX_STRING_BYTES = 1 << 20;
    /** Default {@link #maxBinaryBytes()}: 64 MiB. */
    public static final int DEFAULT_MAX_BINARY_BYTES = 64 << 20;
    /** Default {@link #maxEntries()}: 2<sup>20</sup>. */
    public static final int DEFAULT_MAX_ENTRIES = 1 << 20;
    /** Default {@link #maxDepth()}: 32. */
    public static final int DEFAULT_MAX_DEPTH = 32;
    /** Smallest allowed {@link #maxDepth()}: the field map and the lists and maps in it. */
    public static final int MIN_DEPTH = 2;
    /** Largest allowed {@link #maxDepth()}. */
    public static final int MAX_DEPTH_LIMIT = 1024;

    /** The defaults, used by {@link MessagePackCodec#decode(byte[])}. */
    public static final DecodeLimits DEFAULT = builder().build();

    private final int maxInputBytes;
    private final int maxStringBytes;
    private final int maxBinaryBytes;
    private final int maxEntries;
    private final int maxDepth;

    private DecodeLimits(Builder builder) {
        this.maxInputBytes = checkRange("maxInputBytes", builder.maxInputBytes, 1,
                Integer.MAX_VALUE);
        this.maxStringBytes = checkRange("maxStringBytes", builder.maxStringBytes, 0,
                Integer.MAX_VALUE);
        this.maxBinaryBytes = checkRange("maxBinaryBytes", builder.maxBinaryBytes, 0,
                Integer.MAX_VALUE);
        this.maxEntries = checkRange("maxEntries", builder.maxEntries, 0, Integer.MAX_VALUE);
        this.maxDepth = checkRange("maxDepth", builder.maxDepth, MIN_DEPTH, MAX_DEPTH_LIMIT);
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return longest accepted input, in bytes} */
    public int maxInputBytes() {
        return maxInputBytes;
    }

    /**
     * {@return longest string in a field, in UTF-8 bytes} (The type name in the header has its own
     * cap: 256 bytes, or the codec's type name if longer.)
     */
    public int maxStringBytes() {
        return maxStringBytes;
    }

    /** {@return longest binary value, in bytes} */
    public int maxBinaryBytes() {
        return maxBinaryBytes;
    }

    /** {@return most entries in one array or map (the field map included)} */
    public int maxEntries() {
        return maxEntries;
    }

    /**
     * {@return deepest nesting of arrays and maps; the field map is level 1, its values level 2}
     */
    public int maxDepth() {
        return maxDepth;
    }

    @Override
    public String toString() {
        return "DecodeLimits[maxInputBytes=" + maxInputBytes + ", maxStringBytes="
                + maxStringBytes + ", maxBinaryBytes=" + maxBinaryBytes + ", maxEntries="
                + maxEntries + ", maxDepth=" + maxDepth + "]";
    }

    /** Builds {@link DecodeLimits}; values are checked at {@link #build()}. Not thread-safe. */
    public static final class Builder {

        private int maxInputBytes = DEFAULT_MAX_INPUT_BYTES;
        private int maxStringBytes = DEFAULT_MAX_STRING_BYTES;
        private int maxBinaryBytes = DEFAULT_MAX_BINARY_BYTES;
        private int maxEntries = DEFAULT_MAX_ENTRIES;
        private int maxDepth = DEFAULT_MAX_DEPTH;

        private Builder() {
        }

        /**
         * Longest accepted input, in [1, {@code Integer.MAX_VALUE}].
         *
         * @param value longest accepted input, in bytes
         * @return this builder
         */
        public Builder maxInputBytes(int value) {
            this.maxInputBytes = value;
            return this;
        }

        /**
         * Longest string in UTF-8 bytes, in [0, {@code Integer.MAX_VALUE}].
         *
         * @param value longest string in a field, in UTF-8 bytes
         * @return this builder
         */
        public Builder maxStringBytes(int value) {
            this.maxStringBytes = value;
            return this;
        }

        /**
         * Longest binary value, in [0, {@code Integer.MAX_VALUE}].
         *
         * @param value longest binary value, in bytes
         * @return this builder
         */
        public Builder maxBinaryBytes(int value) {
            this.maxBinaryBytes = value;
            return this;
        }

        /**
         * Most entries in one array or map, in [0, {@code Integer.MAX_VALUE}].
         *
         * @param value most entries in one array or map (the field map included)
         * @return this builder
         */
        public Builder maxEntries(int value) {
            this.maxEntries = value;
            return this;
        }

        /**
         * Deepest nesting, in [{@value DecodeLimits#MIN_DEPTH},
         * {@value DecodeLimits#MAX_DEPTH_LIMIT}]: the field map is level 1, a list or map field
         * level 2, containers inside values the reader skips count on from there.
         *
         * @param value deepest nesting of arrays and maps; the field map is level 1, its values
         *     level 2
         * @return this builder
         */
        public Builder maxDepth(int value) {
            this.maxDepth = value;
            return this;
        }

        /**
         * {@return the limits}
         *
         * @throws IllegalArgumentException naming the field, its value and the allowed range
         */
        public DecodeLimits build() {
            return new DecodeLimits(this);
        }
    }
}
