package io.github.hivemesh.testing;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators shared by the property tests of the codecs. */
public final class Generators {

    private Generators() {
    }

    /** Non-blank ids of 1 to 12 arbitrary characters (any Unicode). */
    public static Arbitrary<String> ids() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(12).filter(s -> !s.isBlank());
    }

    /** Instants with nanosecond precision within about ±300 years of the epoch. */
    public static Arbitrary<Instant> instants() {
        return Combinators.combine(
                Arbitraries.longs().between(-10_000_000_000L, 10_000_000_000L),
                Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
    }
}
