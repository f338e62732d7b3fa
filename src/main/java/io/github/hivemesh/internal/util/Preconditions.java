package io.github.hivemesh.internal.util;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;

/**
 * Argument checks shared by the validating builders. Every failure message names the field, the
 * value and the allowed range, so a bad configuration is fixed from the message alone.
 *
 * <p>Not part of the API: the package {@code io.github.hivemesh.internal} may change without notice.
 */
public final class Preconditions {

    /**
     * The longest period or timeout the library puts on a timer: ten years, "never" in practice.
     * Longer ones would overflow a count of nanoseconds (about 292 years) once scaled or added
     * to a clock reading.
     */
    public static final Duration MAX_TIMER = Duration.ofDays(3650);

    /**
     * The longest id or name the API accepts: task, agent and swarm ids, dependency ids,
     * capability names and task types, in {@code char}s. Anything derived from one (an artifact
     * key, a wire field) is sized for it, so an accepted id works everywhere.
     */
    public static final int MAX_ID_LENGTH = 256;

    private Preconditions() {
    }

    /**
     * Fails unless {@code value} is a usable id: non-null, not blank, at most
     * {@value #MAX_ID_LENGTH} characters.
     */
    public static String checkId(String field, String value) {
        checkNotBlank(field, value);
        if (value.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_ID_LENGTH
                    + " characters, was " + value.length());
        }
        return value;
    }

    /** Fails unless {@code min <= value <= max}. */
    public static int checkRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    field + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    /** Fails unless {@code min <= value <= max}. */
    public static long checkRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    field + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    /** Fails unless {@code min <= value <= max} and the value is a number. */
    public static double checkRange(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(
                    field + " must be in [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    /** Fails unless the duration is non-null and strictly positive. */
    public static Duration checkPositive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(
                    field + " must be a positive duration, was " + value);
        }
        return value;
    }

    /** Fails unless the duration is non-null, strictly positive and at most {@code max}. */
    public static Duration checkPositive(String field, Duration value, Duration max) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    field + " must be a positive duration up to " + max + ", was " + value);
        }
        return value;
    }

    /** Fails unless the duration is non-null and not negative. */
    public static Duration checkNotNegative(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(
                    field + " must not be negative, was " + value);
        }
        return value;
    }

    /** Fails unless the string is non-null and has a non-whitespace character. */
    public static String checkNotBlank(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    /** Fails unless the collection and every element are non-null. */
    public static <T extends Collection<?>> T checkNoNulls(String field, T values) {
        Objects.requireNonNull(values, field);
        for (Object value : values) {
            if (value == null) {
                throw new NullPointerException(field + " contains null");
            }
        }
        return values;
    }
}
