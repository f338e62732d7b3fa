package io.github.hivemesh.cluster.jgroups;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One member pair's authenticated stream, once both identities verified ({@link MemberIdentity}):
 * every frame this member sends to the other carries the next sequence number and an
 * HMAC-SHA256 tag, truncated to {@value WireFrame#TAG} bytes (RFC 2104 §5 allows truncation to
 * half the hash and no less than 80 bits), under this direction's key; every frame it receives
 * must carry the next expected number and the right tag under the other direction's key. JGroups
 * delivers a pair's frames in order, without gaps or duplicates (UNICAST3), so a frame out of
 * sequence was replayed, reordered or forged.
 *
 * <p>Thread-safe: sending and receiving each hold their own lock.
 */
final class SealedLink {

    private final Mac sending;
    private final Mac receiving;
    private long sent;
    private long received;

    SealedLink(byte[] sendKey, byte[] receiveKey) {
        try {
            sending = Mac.getInstance("HmacSHA256");
            sending.init(new SecretKeySpec(sendKey, "HmacSHA256"));
            receiving = Mac.getInstance("HmacSHA256");
            receiving.init(new SecretKeySpec(receiveKey, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available: " + e, e);
        } finally {
            Arrays.fill(sendKey, (byte) 0);
            Arrays.fill(receiveKey, (byte) 0);
        }
    }

    /** The sealed frame of {@code payload}, sent in view {@code viewId}. */
    byte[] seal(long viewId, byte[] payload) {
        synchronized (sending) {
            byte[] frame = WireFrame.sealed(viewId, ++sent, payload);
            sending.update(frame, 0, frame.length - WireFrame.TAG);
            byte[] tag = sending.doFinal();
            System.arraycopy(tag, 0, frame, frame.length - WireFrame.TAG, WireFrame.TAG);
            return frame;
        }
    }

    /**
     * Whether the sealed frame at {@code offset} is the next one of this pair with the right
     * tag; if so it counts as received.
     */
    boolean open(byte[] array, int offset, int length) {
        if (length < WireFrame.SEALED_HEADER + WireFrame.TAG) {
            return false;
        }
        synchronized (receiving) {
            receiving.update(array, offset, length - WireFrame.TAG);
            byte[] expected = receiving.doFinal();
            byte[] tag = Arrays.copyOfRange(array, offset + length - WireFrame.TAG,
                    offset + length);
            if (!MessageDigest.isEqual(Arrays.copyOf(expected, WireFrame.TAG), tag)
                    || WireFrame.sequence(array, offset) != received + 1) {
                return false;
            }
            received++;
            return true;
        }
    }
}
