package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.wire.PayloadCodec;
import io.github.hivemesh.wire.UnsupportedPayloadException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A payload field of a wire codec: the bytes of the {@link PayloadCodec} as a binary value,
 * absent for a null payload (the payload codec never sees null). Stateless and thread-safe.
 */
final class Payloads {

    private final PayloadCodec codec;

    Payloads(PayloadCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    PayloadCodec codec() {
        return codec;
    }

    /**
     * Writes {@code value} as field {@code field}.
     *
     * @param where what the value is, for the error ("payload of task 't-1'"); built only for
     *              an error, not on every write
     * @throws UnsupportedPayloadException if the payload codec refuses it, or its bytes are
     *                                     more than a reader accepts
     */
    void write(FieldWriter out, int field, Object value, Supplier<String> where) {
        if (value == null) {
            return;
        }
        byte[] bytes;
        try {
            bytes = codec.encode(value);
        } catch (UnsupportedPayloadException e) {
            throw new UnsupportedPayloadException(where.get() + ": " + e.getMessage(), e);
        }
        Objects.requireNonNull(bytes, () -> codec + " encoded " + where.get() + " as null");
        int limit = DecodeLimits.DEFAULT.maxBinaryBytes();
        if (bytes.length > limit) {
            throw new UnsupportedPayloadException(where.get() + " encodes to " + bytes.length
                    + " bytes, more than the limit of " + limit
                    + " (DecodeLimits.maxBinaryBytes); a reader would reject it");
        }
        out.binary(field, bytes);
    }

    /**
     * Reads the current field as a payload. Whatever the payload codec throws is reported as
     * the reader's {@link ArtifactFormatException}: it is another implementation's, and bad
     * input must be a counted drop, not a crash of the receiver.
     */
    Object read(FieldReader in) {
        return in.readDecoded(this::decode);
    }

    private Object decode(byte[] bytes, DecodeLimits limits) {
        try {
            return codec.decode(bytes, limits);
        } catch (ArtifactFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ArtifactFormatException("the payload codec failed: " + e, e);
        }
    }
}
