package io.github.hivemesh.cluster.jgroups;

/**
 * The frame of every message this transport sends, inside a JGroups {@code BytesMessage}. Its
 * first byte says which kind it is:
 *
 * <ul>
 * <li>{@value #PLAIN} — a version byte, the sender's current view id (8 bytes, big-endian),
 * then the payload: without identity binding.</li>
 * <li>{@value #SEALED} — the version byte, the view id, the pair's sequence number (8 bytes,
 * from 1), the payload, then a {@value #TAG}-byte authentication tag over everything before it
 * ({@link SealedLink}): with identity bound to certificates.</li>
 * <li>{@value #STATEMENT} — the version byte, the view id, then the member's signed identity
 * statement ({@link MemberIdentity}); the transport's own, never delivered.</li>
 * </ul>
 *
 * The view id lets a receiver hold a message from a joiner whose view it has not installed yet
 * (see {@code MembershipGate}).
 */
final class WireFrame {

    /** An unsealed frame. */
    static final byte PLAIN = 1;
    /** A sealed frame. */
    static final byte SEALED = 2;
    /** An identity statement. */
    static final byte STATEMENT = 3;
    /** Bytes before the payload of a plain frame or a statement. */
    static final int HEADER = 1 + Long.BYTES;
    /** Bytes before the payload of a sealed frame. */
    static final int SEALED_HEADER = HEADER + Long.BYTES;
    /** Bytes of a sealed frame's tag. */
    static final int TAG = 16;

    private WireFrame() {
    }

    static byte[] encode(long viewId, byte[] payload) {
        return framed(PLAIN, viewId, payload);
    }

    static byte[] statement(long viewId, byte[] statement) {
        return framed(STATEMENT, viewId, statement);
    }

    private static byte[] framed(byte kind, long viewId, byte[] payload) {
        byte[] frame = new byte[HEADER + payload.length];
        frame[0] = kind;
        putLong(frame, 1, viewId);
        System.arraycopy(payload, 0, frame, HEADER, payload.length);
        return frame;
    }

    /** A sealed frame with room for its tag, left zero for the caller to fill. */
    static byte[] sealed(long viewId, long sequence, byte[] payload) {
        byte[] frame = new byte[SEALED_HEADER + payload.length + TAG];
        frame[0] = SEALED;
        putLong(frame, 1, viewId);
        putLong(frame, HEADER, sequence);
        System.arraycopy(payload, 0, frame, SEALED_HEADER, payload.length);
        return frame;
    }

    /** The kind of the frame at {@code offset}, or 0 when it is no frame of this transport. */
    static byte kind(byte[] array, int offset, int length) {
        if (array == null || length < HEADER) {
            return 0;
        }
        byte kind = array[offset];
        if (kind == PLAIN || kind == STATEMENT
                || kind == SEALED && length >= SEALED_HEADER + TAG) {
            return kind;
        }
        return 0;
    }

    static long viewId(byte[] array, int offset) {
        return getLong(array, offset + 1);
    }

    static long sequence(byte[] array, int offset) {
        return getLong(array, offset + HEADER);
    }

    private static void putLong(byte[] array, int at, long value) {
        for (int i = 0; i < Long.BYTES; i++) {
            array[at + i] = (byte) (value >>> (56 - 8 * i));
        }
    }

    private static long getLong(byte[] array, int at) {
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = value << 8 | (array[at + i] & 0xFF);
        }
        return value;
    }
}
