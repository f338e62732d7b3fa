package io.github.hivemesh.agent;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default idle pausing policy: ski rental with a learned threshold.
 *
 * <h2>Why</h2>
 * An idle agent burns tokens until it is paused; a paused one costs a resume when work comes.
 * Without knowing how long a gap will last, the classic online answer is to wait out the
 * break-even time ({@code tokensPerResume / idleTokensPerSecond}) and then pause, which never
 * costs more than twice the offline optimum. Real agents' gaps are far from adversarial,
 * though: they are typically a mix of short pauses between steps and long waits for work. So
 * this policy remembers the recent gaps and picks the threshold that would have cost the fewest
 * tokens on them — on a bimodal mix, a threshold just above the short gaps, which pauses the
 * long ones almost at once and never pays a resume for a short one.
 *
 * <h2>How</h2>
 * It keeps the last {@value #WINDOW} gaps of each agent and of the whole swarm. With at least
 * {@value #MIN_SAMPLES} gaps of the agent it uses the agent's; otherwise the swarm's; otherwise
 * the break-even. Among the thresholds "never", "at once" and "just after each remembered gap",
 * it takes the one with the lowest total cost (sorted gaps and a prefix sum: O(w log w) per
 * decision, made once per idle period).
 *
 * <p>Thread-safe: each history is updated and read under its own lock.
 */
public final class AdaptiveIdlePausePolicy implements IdlePausePolicy {

    /** Gaps remembered per agent and for the swarm. */
    public static final int WINDOW = 64;
    /** Gaps of an agent needed before its own history is used. */
    public static final int MIN_SAMPLES = 8;

    private final TokenCostModel costs;
    private final History swarm = new History();
    private final ConcurrentHashMap<String, History> agents = new ConcurrentHashMap<>();

    /**
     * A policy for the given costs.
     *
     * @param costs what idle time and a resume cost, in tokens
     */
    public AdaptiveIdlePausePolicy(TokenCostModel costs) {
        this.costs = Objects.requireNonNull(costs, "costs");
    }

    @Override
    public Optional<Duration> pauseAfter(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        History own = agents.get(agentId);
        double[] gaps = own != null && own.size() >= MIN_SAMPLES ? own.snapshot()
                : swarm.size() >= MIN_SAMPLES ? swarm.snapshot() : null;
        double seconds = gaps == null ? costs.breakEvenSeconds() : bestThreshold(gaps);
        if (Double.isInfinite(seconds)) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) (seconds * 1e9)));
    }

    @Override
    public void onGapEnded(String agentId, Duration gap) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(gap, "gap");
        double seconds = gap.toNanos() / 1e9;
        agents.computeIfAbsent(agentId, id -> new History()).add(seconds);
        swarm.add(seconds);
    }

    /**
     * Forgets an agent's history (it left the swarm).
     *
     * @param agentId the agent's id
     */
    public void forget(String agentId) {
        agents.remove(Objects.requireNonNull(agentId, "agentId"));
    }

    /** The threshold, in seconds, that would have cost least on {@code gaps}. */
    double bestThreshold(double[] gaps) {
        double[] sorted = gaps.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double burn = costs.idleTokensPerSecond();
        double resume = costs.tokensPerResume();
        // never pause: every gap burns
        double total = 0;
        for (double gap : sorted) {
            total += gap;
        }
        double best = burn * total;
        double bestThreshold = Double.POSITIVE_INFINITY;
        // pause at once: every gap costs a resume
        if (n * resume < best) {
            best = n * resume;
            bestThreshold = 0;
        }
        // pause just after sorted[k]: gaps 0..k burn fully, the others burn sorted[k] + resume
        double burnt = 0;
        for (int k = 0; k < n - 1; k++) {
            burnt += sorted[k];
            double cost = burn * burnt + (n - 1 - k) * (burn * sorted[k] + resume);
            if (cost < best) {
                best = cost;
                bestThreshold = sorted[k];
            }
        }
        return bestThreshold;
    }

    /** A ring buffer of the last {@value #WINDOW} gaps. */
    private static final class History {
        private final double[] gaps = new double[WINDOW];
        private int next;
        private int size;

        synchronized void add(double gap) {
            gaps[next] = gap;
            next = (next + 1) % WINDOW;
            size = Math.min(size + 1, WINDOW);
        }

        synchronized int size() {
            return size;
        }

        synchronized double[] snapshot() {
            return Arrays.copyOf(gaps, size);
        }
    }
}
