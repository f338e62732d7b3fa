package io.github.hivemesh.wire;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.DecodeLimits;

/**
 * Turns a task's payload, a session's output or a user message's payload into bytes and back,
 * for whatever crosses a process (and for the switch that forces every wire message through
 * encoding in one JVM). In-process swarms pass these objects as they are and never call it.
 *
 * <p>The wire codecs call it only for non-null values: a null payload is an absent field. Every
 * member of a swarm must use the same codec. Implementations must be thread-safe (the library
 * calls them from any thread) and must never use Java serialization, whose decoding runs code
 * the bytes choose.
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>{@link #encode} throws {@link UnsupportedPayloadException} for a value it cannot carry,
 *       naming its Java type and where it sits; the sender fails the task with it.</li>
 *   <li>{@link #decode(byte[], DecodeLimits)} throws {@link ArtifactFormatException} for bytes
 *       that are not an encoding, and holds every declared length to the limits before
 *       allocating for it. (The wire codecs report any other exception of a decoder as an
 *       {@code ArtifactFormatException} too, so bad input is always a counted drop.)</li>
 * </ul>
 */
public interface PayloadCodec {

    /**
     * {@return the bytes of {@code value} (which may be null)}
     *
     * @param value the value
     * @throws UnsupportedPayloadException if the value, or something inside it, cannot be encoded
     *     (the message names its type and where it is)
     */
    byte[] encode(Object value);

    /**
     * {@return the value encoded in {@code bytes}, decoded under {@code limits}}
     *
     * @param bytes the encoded bytes
     * @param limits the decoding limits
     * @throws ArtifactFormatException if the bytes are not a valid encoding or exceed a limit
     */
    Object decode(byte[] bytes, DecodeLimits limits);

    /**
     * {@return {@link #decode(byte[], DecodeLimits)} under {@link DecodeLimits#DEFAULT}}
     *
     * @param bytes the encoded bytes
     * @throws ArtifactFormatException if the bytes are not a valid encoding or exceed a limit
     */
    default Object decode(byte[] bytes) {
        return decode(bytes, DecodeLimits.DEFAULT);
    }

    /**
     * {@return the default codec: MessagePack for exactly {@code null}, {@link Boolean},
     * {@link Integer}, {@link Long}, {@link Float}, {@link Double}, {@link String}, {@code byte[]},
     * and {@link java.util.List}s and {@link java.util.Map}s of these, nested, keeping each value's
     * Java type ({@code Integer} comes back an {@code Integer}, {@code Float} a {@code Float}) and
     * each map's order} Lists decode as unmodifiable lists, maps as unmodifiable insertion-ordered
     * maps. Its format is in {@code docs/wire.md}. Stateless and thread-safe.
     */
    static PayloadCodec defaults() {
        return DefaultPayloadCodec.INSTANCE;
    }
}
