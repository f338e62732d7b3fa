package io.github.hivemesh.internal.sim;

import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import io.github.hivemesh.agent.TokenCostModel;
import java.util.Objects;

/**
 * An idle-token workload (immutable), the reference one being docs/design.md §6's: {@code agents}
 * agents for {@code seconds} of virtual time, each alternating work bursts (lognormal, mean
 * {@code burstMeanSeconds}, shape 1) with idle gaps drawn half from short ones (uniform
 * {@code shortMinSeconds}–{@code shortMaxSeconds}) and half from long ones (exponential, mean
 * {@code longMeanSeconds}), priced by {@code costs}.
 *
 * @param agents           agents, in [1, 100000]
 * @param seconds          virtual duration, in (0, 10^7]
 * @param burstMeanSeconds mean work burst
 * @param shortMinSeconds  shortest short gap
 * @param shortMaxSeconds  longest short gap
 * @param longMeanSeconds  mean long gap
 * @param costs            idle burn and resume cost
 * @param seed             seed of the workload
 */
public record TokenWorkload(int agents, double seconds, double burstMeanSeconds,
        double shortMinSeconds, double shortMaxSeconds, double longMeanSeconds,
        TokenCostModel costs, long seed) {

    /** Validates the ranges. */
    public TokenWorkload {
        checkRange("agents", agents, 1, 100_000);
        checkRange("seconds", seconds, Double.MIN_VALUE, 1e7);
        checkRange("burstMeanSeconds", burstMeanSeconds, Double.MIN_VALUE, 1e6);
        checkRange("shortMinSeconds", shortMinSeconds, 0, 1e6);
        checkRange("shortMaxSeconds", shortMaxSeconds, shortMinSeconds, 1e6);
        checkRange("longMeanSeconds", longMeanSeconds, Double.MIN_VALUE, 1e6);
        Objects.requireNonNull(costs, "costs");
    }

    /**
     * docs/design.md §6: 7 agents for 10 minutes, bursts of mean 3 s, gaps half uniform 50 ms–1 s
     * and half exponential of mean 30 s, 20 tokens/s idle, 100 tokens per resume, seed 42.
     */
    public static TokenWorkload reference() {
        return new TokenWorkload(7, 600, 3, 0.05, 1.0, 30, TokenCostModel.REFERENCE, 42);
    }
}
