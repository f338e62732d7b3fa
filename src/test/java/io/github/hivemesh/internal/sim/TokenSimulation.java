package io.github.hivemesh.internal.sim;

import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.agent.TokenCostModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The reference token workload of docs/design.md §6, run in virtual time against real
 * {@link IdlePausePolicy} implementations: idle tokens with no pausing, with "pause at once",
 * with the given policy, and with the offline optimum (pause exactly the gaps longer than the
 * break-even, at their start).
 *
 * <p>Every agent's bursts and gaps are drawn from the seed first; then the gap starts and ends
 * of all agents are replayed in time order, so an online policy decides each gap knowing only
 * the gaps that ended before it (its own agent's and the swarm's). A gap cut off by the end of
 * the run counts up to the end and teaches the policy nothing.
 */
public final class TokenSimulation {

    private TokenSimulation() {
    }

    /** One agent's idle gap; {@code cut}: it was still going when the run ended. */
    private record Gap(int agent, double start, double length, boolean cut) {

        /** Its cost when the agent is paused after {@code after} (a cut gap never resumes). */
        double cost(TokenCostModel costs, double after) {
            if (length <= after) {
                return costs.idleTokensPerSecond() * length;
            }
            return costs.idleTokensPerSecond() * after + (cut ? 0 : costs.tokensPerResume());
        }
    }

    /**
     * What the workload cost.
     *
     * @param gaps           idle gaps of all agents
     * @param idleSeconds    total idle time
     * @param noPausing      idle tokens when nobody is ever paused
     * @param pauseAtOnce    idle tokens when every idle agent is paused at once
     * @param policy         idle tokens under the policy tried
     * @param optimal        idle tokens under the offline optimum
     * @param policyResumes  resumes the policy paid for
     */
    public record Result(int gaps, double idleSeconds, double noPausing, double pauseAtOnce,
            double policy, double optimal, long policyResumes) {

        /** Share of the no-pausing idle cost the policy saved, in percent. */
        public double policySavingsPercent() {
            return 100 * (noPausing - policy) / noPausing;
        }

        /** Share of the no-pausing idle cost "pause at once" saved, in percent. */
        public double pauseAtOnceSavingsPercent() {
            return 100 * (noPausing - pauseAtOnce) / noPausing;
        }

        /** Share of the no-pausing idle cost the optimum saved, in percent. */
        public double optimalSavingsPercent() {
            return 100 * (noPausing - optimal) / noPausing;
        }

        /** What the policy saved as a share of what the optimum saved, in percent. */
        public double percentOfOptimum() {
            return 100 * (noPausing - policy) / (noPausing - optimal);
        }

        /** A small table for docs and logs. */
        public String table() {
            return String.format(Locale.ROOT, "%d gaps, %.0f s idle%n"
                    + "policy          idle tokens   saved%n"
                    + "no pausing      %11.0f   %5.1f %%%n"
                    + "pause at once   %11.0f   %5.1f %%%n"
                    + "adaptive        %11.0f   %5.1f %%   (%.1f %% of the optimum's saving, %d resumes)%n"
                    + "offline optimum %11.0f   %5.1f %%%n",
                    gaps, idleSeconds, noPausing, 0.0, pauseAtOnce, pauseAtOnceSavingsPercent(),
                    policy, policySavingsPercent(), percentOfOptimum(), policyResumes, optimal,
                    optimalSavingsPercent());
        }
    }

    /** Runs the workload with the policy the supplier makes (a fresh one, so it learns anew). */
    public static Result run(TokenWorkload workload, Supplier<IdlePausePolicy> policies) {
        List<Gap> gaps = draw(workload);
        TokenCostModel costs = workload.costs();
        double breakEven = costs.breakEvenSeconds();
        double idle = 0;
        double none = 0;
        double atOnce = 0;
        double optimal = 0;
        for (Gap gap : gaps) {
            idle += gap.length();
            none += gap.cost(costs, Double.POSITIVE_INFINITY);
            atOnce += gap.cost(costs, 0);
            // the optimum knows each gap's length: it pauses at once exactly the long ones
            optimal += gap.cost(costs, gap.cut() || gap.length() > breakEven ? 0
                    : Double.POSITIVE_INFINITY);
        }
        double[] policyCost = new double[1];
        long resumes = replay(gaps, workload, policies.get(), policyCost);
        return new Result(gaps.size(), idle, none, atOnce, policyCost[0], optimal, resumes);
    }

    private static List<Gap> draw(TokenWorkload w) {
        SplittableRandom random = new SplittableRandom(w.seed());
        List<Gap> gaps = new ArrayList<>();
        for (int agent = 0; agent < w.agents(); agent++) {
            double time = 0;
            while (true) {
                time += Draws.lognormal(random, w.burstMeanSeconds(), 1.0);
                if (time >= w.seconds()) {
                    break;
                }
                double length = random.nextBoolean()
                        ? w.shortMinSeconds() + random.nextDouble()
                                * (w.shortMaxSeconds() - w.shortMinSeconds())
                        : Draws.exponential(random, w.longMeanSeconds());
                boolean cut = time + length >= w.seconds();
                gaps.add(new Gap(agent, time, cut ? w.seconds() - time : length, cut));
                time += length;
            }
        }
        return gaps;
    }

    /** Replays gap starts (decisions) and ends (lessons) in time order; returns resumes. */
    private static long replay(List<Gap> gaps, TokenWorkload w, IdlePausePolicy policy,
            double[] cost) {
        // events: a gap's start asks the policy, its end (if within the run) teaches it
        PriorityQueue<double[]> events = new PriorityQueue<>((a, b) -> a[0] != b[0]
                ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        for (int i = 0; i < gaps.size(); i++) {
            Gap gap = gaps.get(i);
            events.add(new double[] {gap.start(), 1, i});
            if (!gap.cut()) {
                events.add(new double[] {gap.start() + gap.length(), 0, i});
            }
        }
        long resumes = 0;
        TokenCostModel costs = w.costs();
        while (!events.isEmpty()) {
            double[] event = events.poll();
            Gap gap = gaps.get((int) event[2]);
            String agent = "agent-" + gap.agent();
            if (event[1] == 1) {
                double after = policy.pauseAfter(agent).map(d -> d.toNanos() / 1e9)
                        .orElse(Double.POSITIVE_INFINITY);
                cost[0] += gap.cost(costs, after);
                if (gap.length() > after && !gap.cut()) {
                    resumes++;
                }
            } else {
                policy.onGapEnded(agent, Duration.ofNanos((long) (gap.length() * 1e9)));
            }
        }
        return resumes;
    }
}
