package io.github.hivemesh.cluster.jgroups;

/**
 * The frame of every message this transport sends, inside a JGroups {@code BytesMessage}:
 * a version byte, the sender's current view id (8 bytes, big-endian), then the payload. The
 * view id lets a receiver hold a message from a joiner whose view it has not installed yet
 * (see {@code MembershipGate}).
 */
final class WireFrame {

    /** Version of the frame layout. */
    static final byte VERSION = 1;
    /** Bytes before the payload. */
    static final int HEADER = 1 + Long.BYTES;

    private WireFrame() {
    }

    static byte[] encode(long viewId, byte[] payload) {
        byte[] frame = new byte[HEADER + payload.length];
        frame[0] = VERSION;
        for (int i = 0; i < Long.BYTES; i++) {
            frame[1 + i] = (byte) (viewId >>> (56 - 8 * i));
        }
        System.arraycopy(payload, 0, frame, HEADER, payload.length);
        return frame;
    }

    /** Whether {@code length} bytes at {@code offset} start with a frame header we know. */
    static boolean valid(byte[] array, int offset, int length) {
        return array != null && length >= HEADER && array[offset] == VERSION;
    }

    static long viewId(byte[] array, int offset) {
        long id = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            id = id << 8 | (array[offset + 1 + i] & 0xFF);
        }
        return id;
    }
}
