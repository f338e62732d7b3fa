package io.github.hivemesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdlePausePolicyTest {

    @Test
    void fixed_pausesAfterItsDuration_fromZeroToTenYears() {
        assertThat(IdlePausePolicy.fixed(Duration.ZERO).pauseAfter("a")).contains(Duration.ZERO);
        assertThat(IdlePausePolicy.fixed(Duration.ofDays(3650)).pauseAfter("a"))
                .contains(Duration.ofDays(3650));
        assertThat(IdlePausePolicy.never().pauseAfter("a")).isEmpty();
    }

    @Test
    void fixed_badDuration_failsNamingItAndTheRange() {
        assertThatThrownBy(() -> IdlePausePolicy.fixed(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("after must be in [PT0S, PT87600H], was PT-0.001S");
        // longer would overflow the idle deadline in milliseconds: use never() instead
        assertThatThrownBy(() -> IdlePausePolicy.fixed(Duration.ofDays(3651)))
                .hasMessage("after must be in [PT0S, PT87600H], was PT87624H");
    }
}
