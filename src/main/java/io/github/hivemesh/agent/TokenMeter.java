package io.github.hivemesh.agent;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * One agent's token account: how long it was busy, idle and paused, how often it was resumed,
 * and the tokens its sessions reported. Its owner records each change of phase as it happens;
 * {@link #savings} prices the account with a {@link TokenCostModel} up to now.
 *
 * <p>Thread-safe: phase changes come from the agent's actor, token reports from session
 * threads, and reads from anywhere; all under this object's monitor (rare, short).
 */
public final class TokenMeter {

    /** What the agent is doing, for accounting. */
    public enum Phase {
        /** Running at least one task. */
        BUSY,
        /** Active but running nothing: burning idle tokens. */
        IDLE,
        /** Paused: burning nothing. */
        PAUSED
    }

    private final Clock clock;
    private Phase phase = Phase.IDLE;
    private long phaseStartMillis;
    private long busyMillis;
    private long idleMillis;
    private long pausedMillis;
    private long resumes;
    private long workTokens;
    private long inputTokens;
    private long outputTokens;

    /**
     * A meter that starts idle now.
     *
     * @param clock the clock
     */
    public TokenMeter(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.phaseStartMillis = clock.millis();
    }

    /**
     * Enters a phase (no-op if already in it); leaving {@code PAUSED} counts a resume.
     *
     * @param next the phase entered
     */
    public synchronized void enter(Phase next) {
        Objects.requireNonNull(next, "next");
        if (next == phase) {
            return;
        }
        close(clock.millis());
        if (phase == Phase.PAUSED) {
            resumes++;
        }
        phase = next;
    }

    /** {@return the phase now} */
    public synchronized Phase phase() {
        return phase;
    }

    /** {@return when the current phase began, in the clock's epoch milliseconds} */
    public synchronized long phaseStartMillis() {
        return phaseStartMillis;
    }

    /**
     * Adds tokens a session reported without saying which were input and which output.
     *
     * @param tokens the tokens
     */
    public synchronized void recordTokens(long tokens) {
        check("tokens", tokens);
        workTokens += tokens;
    }

    /**
     * Adds tokens a session reported, input and output apart; both count as work tokens.
     *
     * @param inputTokens of the work tokens, those reported as input
     * @param outputTokens of the work tokens, those reported as output
     */
    public synchronized void recordTokens(long inputTokens, long outputTokens) {
        check("inputTokens", inputTokens);
        check("outputTokens", outputTokens);
        this.inputTokens += inputTokens;
        this.outputTokens += outputTokens;
        workTokens += inputTokens + outputTokens;
    }

    private static void check(String name, long tokens) {
        if (tokens < 0) {
            throw new IllegalArgumentException(name + " must be in [0, " + Long.MAX_VALUE
                    + "], was " + tokens);
        }
    }

    /** {@return the tokens sessions reported, split or not} */
    public synchronized long workTokens() {
        return workTokens;
    }

    /** {@return of the work tokens, those reported as input} */
    public synchronized long inputTokens() {
        return inputTokens;
    }

    /** {@return of the work tokens, those reported as output} */
    public synchronized long outputTokens() {
        return outputTokens;
    }

    /**
     * Prices the account up to now.
     *
     * @param costs the prices
     * @return the tokens saved so far, at {@code costs}
     */
    public synchronized TokenSavings savings(TokenCostModel costs) {
        Objects.requireNonNull(costs, "costs");
        long now = clock.millis();
        long inPhase = Math.max(0, now - phaseStartMillis);
        long idle = idleMillis + (phase == Phase.IDLE ? inPhase : 0);
        long paused = pausedMillis + (phase == Phase.PAUSED ? inPhase : 0);
        long busy = busyMillis + (phase == Phase.BUSY ? inPhase : 0);
        double burn = costs.idleTokensPerSecond();
        double unpaused = burn * (idle + paused) / 1000.0;
        double saved = burn * paused / 1000.0 - costs.tokensPerResume() * resumes;
        double total = workTokens + unpaused;
        return new TokenSavings(saved, total, total == 0 ? 0 : 100 * saved / total, unpaused,
                Duration.ofMillis(paused), Duration.ofMillis(busy + idle), resumes, workTokens,
                inputTokens, outputTokens);
    }

    private void close(long now) {
        long spent = Math.max(0, now - phaseStartMillis);
        switch (phase) {
            case BUSY -> busyMillis += spent;
            case IDLE -> idleMillis += spent;
            case PAUSED -> pausedMillis += spent;
        }
        phaseStartMillis = now;
    }
}
