package io.github.hivemesh.artifact;

/**
 * Turns values into bytes for an {@link ArtifactStorage} or a message, and back.
 * Implementations should be stateless, hence thread-safe (the library's are).
 *
 * @param <T> the value type
 */
public interface ArtifactCodec<T> {

    /** The bytes of {@code value}. */
    byte[] encode(T value);

    /**
     * The value encoded in {@code bytes}.
     *
     * @throws ArtifactFormatException if the bytes are not a valid encoding
     */
    T decode(byte[] bytes);
}
