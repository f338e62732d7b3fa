package io.github.hivemesh.agent;

import static io.github.hivemesh.internal.util.Preconditions.checkRange;

/**
 * What an idle agent costs, for token accounting and for the pausing policy: an agent that is
 * active but idle burns {@code idleTokensPerSecond} (keep-alive turns, polling, context
 * refresh); a paused one burns nothing; resuming a paused one costs {@code tokensPerResume}
 * (reloading its context). Pausing a gap pays off when it lasts longer than the break-even,
 * {@code tokensPerResume / idleTokensPerSecond}.
 *
 * @param idleTokensPerSecond tokens an active, idle agent burns per second, in [0, 10^9]
 * @param tokensPerResume     tokens one resume costs, in [0, 10^12]
 */
public record TokenCostModel(double idleTokensPerSecond, double tokensPerResume) {

    /** The reference model of docs/design.md §6: 20 tokens/s idle, 100 tokens per resume. */
    public static final TokenCostModel REFERENCE = new TokenCostModel(20, 100);

    /**
     * Checks the ranges.
     *
     * @param idleTokensPerSecond tokens an active, idle agent burns per second, in [0, 10^9]
     * @param tokensPerResume tokens one resume costs, in [0, 10^12]
     */
    public TokenCostModel {
        checkRange("idleTokensPerSecond", idleTokensPerSecond, 0, 1e9);
        checkRange("tokensPerResume", tokensPerResume, 0, 1e12);
    }

    /**
     * {@return the idle time after which a pause pays for its resume, in seconds (infinite if
     * free)}
     */
    public double breakEvenSeconds() {
        return idleTokensPerSecond == 0 ? Double.POSITIVE_INFINITY
                : tokensPerResume / idleTokensPerSecond;
    }

    /**
     * {@return tokens an idle gap of {@code seconds} costs when the agent is paused after
     * {@code after}}
     *
     * @param seconds the gap's length, in seconds
     * @param after the idle time after which it is paused, in seconds
     */
    public double gapCost(double seconds, double after) {
        return seconds <= after ? idleTokensPerSecond * seconds
                : idleTokensPerSecond * after + tokensPerResume;
    }
}
