package io.github.hivemesh.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * What pausing saved, for one agent or a whole swarm.
 *
 * <p>Without pausing, an agent would have spent {@code totalTokens}: the tokens its sessions
 * reported ({@code TaskContext.recordTokens}) plus the idle burn of all its idle time. Pausing
 * saved {@code savedTokens}: the idle burn of its paused time, minus what its resumes cost.
 *
 * @param savedTokens          tokens pausing saved (negative if resumes cost more)
 * @param totalTokens          tokens it would have spent without pausing
 * @param percentage           {@code savedTokens / totalTokens}, in percent (0 when nothing
 *                             was spent)
 * @param idleTokensUnpaused   the idle burn it would have had without pausing
 * @param pauseDuration        time spent paused
 * @param activeDuration       time spent not paused (busy or idle)
 * @param resumes              resumes paid for
 * @param workTokens           tokens its sessions reported ({@code TaskContext.recordTokens})
 * @param inputTokens          of those, the ones reported as input (a model's prompt tokens)
 * @param outputTokens         of those, the ones reported as output (a model's generated
 *                             tokens); {@code workTokens - inputTokens - outputTokens} were
 *                             reported without a split
 */
public record TokenSavings(
        double savedTokens,
        double totalTokens,
        double percentage,
        double idleTokensUnpaused,
        Duration pauseDuration,
        Duration activeDuration,
        long resumes,
        long workTokens,
        long inputTokens,
        long outputTokens) {

    /**
     * Checks the durations are present and the token counts add up.
     *
     * @param activeDuration time spent not paused (busy or idle)
     * @param idleTokensUnpaused the idle burn it would have had without pausing
     * @param inputTokens of those, the ones reported as input (a model's prompt tokens)
     * @param outputTokens of those, the ones reported as output (a model's generated tokens);
     *     {@code workTokens - inputTokens - outputTokens} were reported without a split
     * @param pauseDuration time spent paused
     * @param percentage {@code savedTokens / totalTokens}, in percent (0 when nothing was spent)
     * @param resumes resumes paid for
     * @param savedTokens tokens pausing saved (negative if resumes cost more)
     * @param totalTokens tokens it would have spent without pausing
     * @param workTokens tokens its sessions reported ({@code TaskContext.recordTokens})
     */
    public TokenSavings {
        Objects.requireNonNull(pauseDuration, "pauseDuration");
        Objects.requireNonNull(activeDuration, "activeDuration");
        if (inputTokens < 0 || outputTokens < 0 || workTokens < inputTokens + outputTokens) {
            throw new IllegalArgumentException("need 0 <= inputTokens + outputTokens <= "
                    + "workTokens, was input " + inputTokens + ", output " + outputTokens
                    + ", work " + workTokens);
        }
    }

    /** {@return nothing spent, nothing saved} */
    public static TokenSavings none() {
        return new TokenSavings(0, 0, 0, 0, Duration.ZERO, Duration.ZERO, 0, 0, 0, 0);
    }

    /** {@return what pausing saved of the idle cost alone, in percent (0 when nothing was idle)} */
    public double idleSavingsPercentage() {
        return idleTokensUnpaused == 0 ? 0 : 100 * savedTokens / idleTokensUnpaused;
    }

    /**
     * {@return the sum of several agents' savings}
     *
     * @param other another agent's savings
     */
    public TokenSavings plus(TokenSavings other) {
        Objects.requireNonNull(other, "other");
        double saved = savedTokens + other.savedTokens;
        double total = totalTokens + other.totalTokens;
        return new TokenSavings(saved, total, total == 0 ? 0 : 100 * saved / total,
                idleTokensUnpaused + other.idleTokensUnpaused,
                pauseDuration.plus(other.pauseDuration),
                activeDuration.plus(other.activeDuration), resumes + other.resumes,
                workTokens + other.workTokens, inputTokens + other.inputTokens,
                outputTokens + other.outputTokens);
    }
}
