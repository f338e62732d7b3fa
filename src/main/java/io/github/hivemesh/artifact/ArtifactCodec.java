package io.github.hivemesh.artifact;

/**
 * Turns values into bytes for an {@link ArtifactStorage} or a message, and back.
 * Implementations should be stateless, hence thread-safe (the library's are).
 *
 * @param <T> the value type
 */
public interface ArtifactCodec<T> {

    /**
     * {@return the bytes of {@code value}}
     *
     * @param value the value
     */
    byte[] encode(T value);

    /**
     * {@return the value encoded in {@code bytes}}
     *
     * @param bytes the encoded bytes
     * @throws ArtifactFormatException if the bytes are not a valid encoding
     */
    T decode(byte[] bytes);
}
