package io.github.hivemesh.agent;

import io.github.hivemesh.internal.util.Preconditions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides when an idle agent is paused. When an agent becomes idle the coordinator asks
 * {@link #pauseAfter}; if the agent is still idle that long after, it is paused. When work
 * ends an idle period, the coordinator reports its length with {@link #onGapEnded}, so a
 * policy can learn.
 *
 * <p>Pausing at once is not free: a resume reloads the agent's context, so pausing short gaps
 * costs more than it saves. See {@link #adaptive(TokenCostModel)} for the default.
 *
 * <p>Implementations must be thread-safe: agents become idle concurrently.
 */
public interface IdlePausePolicy {

    /**
     * {@return how long an agent that has just become idle stays active before it is paused; empty
     * to leave it active}
     *
     * @param agentId the agent's id
     */
    Optional<Duration> pauseAfter(String agentId);

    /**
     * An idle period of {@code agentId} ended after {@code gap} (paused or not).
     *
     * @param agentId the agent's id
     * @param gap how long the idle period lasted
     */
    void onGapEnded(String agentId, Duration gap);

    /** {@return never pauses} */
    static IdlePausePolicy never() {
        return new IdlePausePolicy() {
            @Override
            public Optional<Duration> pauseAfter(String agentId) {
                Objects.requireNonNull(agentId, "agentId");
                return Optional.empty();
            }

            @Override
            public void onGapEnded(String agentId, Duration gap) {
                Objects.requireNonNull(agentId, "agentId");
                Objects.requireNonNull(gap, "gap");
            }
        };
    }

    /**
     * Pauses after a fixed idle time ({@link Duration#ZERO}: at once), at most 10 years.
     *
     * @param after how long an agent is idle before it is paused
     * @return a policy that pauses every agent once it has been idle for {@code after}
     */
    static IdlePausePolicy fixed(Duration after) {
        Objects.requireNonNull(after, "after");
        if (after.isNegative() || after.compareTo(Preconditions.MAX_TIMER) > 0) {
            throw new IllegalArgumentException("after must be in [" + Duration.ZERO + ", "
                    + Preconditions.MAX_TIMER + "], was " + after);
        }
        Optional<Duration> answer = Optional.of(after);
        return new IdlePausePolicy() {
            @Override
            public Optional<Duration> pauseAfter(String agentId) {
                Objects.requireNonNull(agentId, "agentId");
                return answer;
            }

            @Override
            public void onGapEnded(String agentId, Duration gap) {
                Objects.requireNonNull(agentId, "agentId");
                Objects.requireNonNull(gap, "gap");
            }
        };
    }

    /**
     * {@return the default: learns, per agent and across the swarm, the idle threshold that would
     * have cost the fewest tokens on the recent gaps (see {@link AdaptiveIdlePausePolicy})}
     *
     * @param costs what idle time and a resume cost, in tokens
     */
    static IdlePausePolicy adaptive(TokenCostModel costs) {
        return new AdaptiveIdlePausePolicy(costs);
    }
}
