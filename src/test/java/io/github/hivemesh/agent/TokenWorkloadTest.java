package io.github.hivemesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.hivemesh.internal.sim.TokenSimulation;
import io.github.hivemesh.internal.sim.TokenWorkload;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The reference token workload of docs/design.md §6 (virtual time, seed 42) against the real
 * policies: the default must save at least 75 % of the idle cost and at least 90 % of what the
 * offline optimum saves; pausing at once must do worse than it, which is why it is not the
 * default.
 */
class TokenWorkloadTest {

    @Test
    void referenceWorkload_adaptivePolicy_meetsBothTargets() {
        TokenSimulation.Result result = TokenSimulation.run(TokenWorkload.reference(),
                () -> IdlePausePolicy.adaptive(TokenCostModel.REFERENCE));
        System.out.print("reference token workload, seed 42:\n" + result.table());

        assertThat(result.policySavingsPercent()).isGreaterThanOrEqualTo(75);
        assertThat(result.percentOfOptimum()).isGreaterThanOrEqualTo(90);
        assertThat(result.policy()).isLessThan(result.pauseAtOnce());
        assertThat(result.optimal()).isLessThanOrEqualTo(result.policy());
    }

    @Test
    void referenceWorkload_isReproducible_andTheBaselinesOrderAsExpected() {
        TokenSimulation.Result first = TokenSimulation.run(TokenWorkload.reference(),
                IdlePausePolicy::never);
        TokenSimulation.Result second = TokenSimulation.run(TokenWorkload.reference(),
                IdlePausePolicy::never);

        assertThat(second).isEqualTo(first);
        // never pausing costs the no-pausing figure (summed in another order)
        assertThat(first.policy()).isCloseTo(first.noPausing(), within(1e-6));
        assertThat(first.policyResumes()).isZero();
        assertThat(first.pauseAtOnce()).isLessThan(first.noPausing());
        TokenSimulation.Result atOnce = TokenSimulation.run(TokenWorkload.reference(),
                () -> IdlePausePolicy.fixed(Duration.ZERO));
        assertThat(atOnce.policy()).isCloseTo(first.pauseAtOnce(), within(1e-6));
    }

    @Test
    void breakEvenPolicy_isTheClassicTwoCompetitiveBound() {
        TokenSimulation.Result result = TokenSimulation.run(TokenWorkload.reference(),
                () -> IdlePausePolicy.fixed(Duration.ofSeconds(5)));
        // never worse than twice the optimum, on any input
        assertThat(result.policy()).isLessThanOrEqualTo(2 * result.optimal());
    }
}
