package io.github.hivemesh.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Objects;

/**
 * Who a cluster member is: a stable {@link #name()} that the application chooses (the same
 * after a restart) and an {@link #incarnation()} that the transport draws anew every time a
 * process joins. Two ids are equal only if both parts are, so a restarted member, or one that
 * rejoined after being excluded, is a different member from the one that was there before; a
 * zombie (a process excluded while it hung, then resumed) keeps its old, excluded identity and
 * can be told apart from anything that joined since.
 *
 * <p>Incarnations are random 64-bit values, compared for equality only: they carry no order
 * (two processes cannot agree on a clock), and a name may have several live incarnations for a
 * moment (a restarted member may join before its predecessor is detected as gone).
 *
 * @param name        the stable member name: not blank, at most {@value #MAX_NAME_BYTES} bytes
 *                    of UTF-8
 * @param incarnation the join this id belongs to
 */
public record MemberId(String name, long incarnation) implements Comparable<MemberId> {

    /** Longest member name, in bytes of UTF-8. */
    public static final int MAX_NAME_BYTES = 255;

    private static final Comparator<MemberId> ORDER = Comparator.comparing(MemberId::name)
            .thenComparingLong(MemberId::incarnation);

    /**
     * Validates the name.
     *
     * @param name the stable member name: not blank, at most {@value #MAX_NAME_BYTES} bytes of
     *     UTF-8
     * @param incarnation the join this id belongs to
     */
    public MemberId {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("name must be at most " + MAX_NAME_BYTES
                    + " bytes of UTF-8, was " + bytes + " bytes");
        }
    }

    /** By name, then incarnation: a total order, e.g. for stable output; not an age order. */
    @Override
    public int compareTo(MemberId other) {
        Objects.requireNonNull(other, "other");
        return ORDER.compare(this, other);
    }

    /** {@code name#incarnation}, the incarnation in hexadecimal. */
    @Override
    public String toString() {
        return name + "#" + Long.toHexString(incarnation);
    }
}
