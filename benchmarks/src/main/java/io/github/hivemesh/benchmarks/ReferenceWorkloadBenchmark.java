package io.github.hivemesh.benchmarks;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.internal.sim.BalanceSimulation;
import io.github.hivemesh.internal.sim.BalanceSimulation.BatchResult;
import io.github.hivemesh.internal.sim.BalanceSimulation.OnlineResult;
import io.github.hivemesh.internal.sim.TokenSimulation;
import io.github.hivemesh.internal.sim.TokenWorkload;
import io.github.hivemesh.internal.sim.Workload;
import io.github.hivemesh.mesh.LoadBalancerConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Targets (docs/design.md §6) of the two reference workloads, reported from their deterministic
 * simulations (virtual time, seed 42), which drive the library's production placement
 * strategies, run order and pause policies (the simulations come from the library's
 * test-jar):
 * <ul>
 *   <li><b>Idle token saving</b>: seed 50–75 %; ours ≥ 75 % of the idle cost, and ≥ 90 % of
 *       what the offline-optimal pauser saves — with the policy a default {@link SwarmConfig}
 *       makes ({@link SwarmConfig#newIdlePausePolicy()}).</li>
 *   <li><b>Balance</b>: time-averaged unfinished tasks per peer, max ÷ avg, for every placement
 *       strategy (least-loaded ≤ 1.10), and the batch makespan ÷ lower bound ≤ 1.2; with
 *       cost estimates (issue 19), ≤ 1.05 when exact and ≤ 1.2 when off by lognormal noise
 *       (σ = 0.5).</li>
 * </ul>
 *
 * <p>The JMH score is how long one simulation takes (a single shot per iteration; not a target).
 * The figures are written as side JSON ({@link ResultFiles}: {@code balance-workload.json},
 * {@code token-workload.json}) rather than through {@code @AuxCounters}: they are ratios and
 * percentages per strategy, not per-operation counts, and JMH would average or sum counters
 * across iterations and print them without their names' structure; a deterministic run has one
 * exact value per figure, so the side file holds it exactly. Every iteration reruns the
 * simulation and the teardown fails the trial if two runs disagree, so the benchmark also checks
 * the determinism the figures rely on.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
@State(Scope.Benchmark)
public class ReferenceWorkloadBenchmark {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    private BalanceSimulation.Report balance;
    private TokenSimulation.Result tokens;
    private TokenSimulation.Result breakEven;
    private boolean diverged;

    /** The reference balance workload: 1,000 peers, 100,000 tasks, every strategy. */
    @Benchmark
    public BalanceSimulation.Report balance() {
        BalanceSimulation.Report report = BalanceSimulation.run(Workload.reference());
        diverged |= balance != null && !balance.equals(report);
        balance = report;
        return report;
    }

    /** The reference token workload under the default policy (and the fixed break-even). */
    @Benchmark
    public TokenSimulation.Result tokens() {
        TokenWorkload workload = TokenWorkload.reference();
        SwarmConfig defaults = SwarmConfig.builder().tokenCostModel(workload.costs()).build();
        TokenSimulation.Result result = TokenSimulation.run(workload,
                defaults::newIdlePausePolicy);
        diverged |= tokens != null && !tokens.equals(result);
        tokens = result;
        breakEven = TokenSimulation.run(workload, () -> IdlePausePolicy.fixed(Duration.ofNanos(
                (long) (workload.costs().breakEvenSeconds() * 1e9))));
        return result;
    }

    @TearDown(Level.Trial)
    public void writeFigures() {
        if (diverged) {
            throw new IllegalStateException("a reference simulation gave different figures on "
                    + "two runs: it is not deterministic");
        }
        if (balance != null) {
            System.out.print(balance);
            ResultFiles.write("balance-workload", GSON.toJson(balanceJson(balance)));
        }
        if (tokens != null) {
            System.out.print(tokens.table());
            ResultFiles.write("token-workload", GSON.toJson(tokenJson(tokens, breakEven)));
        }
    }

    static JsonObject balanceJson(BalanceSimulation.Report report) {
        JsonObject json = new JsonObject();
        json.addProperty("benchmark", "balance-workload");
        Workload w = report.workload();
        JsonObject workload = new JsonObject();
        workload.addProperty("peers", w.peers());
        workload.addProperty("tasks", w.tasks());
        workload.addProperty("utilisation", w.utilisation());
        workload.addProperty("sigma", w.sigma());
        workload.addProperty("seed", w.seed());
        workload.addProperty("estimateNoiseSigma", BalanceSimulation.NOISE_SIGMA);
        json.add("workload", workload);
        json.addProperty("defaultStrategy", LoadBalancerConfig.defaults().strategy().name());
        JsonArray online = new JsonArray();
        for (OnlineResult r : report.online()) {
            JsonObject row = new JsonObject();
            row.addProperty("strategy", r.strategy().name());
            row.addProperty("maxOverAverage", r.maxOverAverage());
            row.addProperty("averageUnfinished", r.averageUnfinished());
            row.addProperty("maxUnfinished", r.maxUnfinished());
            row.addProperty("meanResponseTime", r.meanResponseTime());
            online.add(row);
        }
        json.add("online", online);
        JsonArray batch = new JsonArray();
        for (BatchResult r : report.batch()) {
            JsonObject row = new JsonObject();
            row.addProperty("placement", r.placement());
            row.addProperty("estimates", r.estimates().name().toLowerCase(Locale.ROOT));
            row.addProperty("makespan", r.makespan());
            row.addProperty("lowerBound", r.lowerBound());
            row.addProperty("ratio", r.ratio());
            batch.add(row);
        }
        json.add("batch", batch);
        return json;
    }

    static JsonObject tokenJson(TokenSimulation.Result result, TokenSimulation.Result breakEven) {
        JsonObject json = new JsonObject();
        json.addProperty("benchmark", "token-workload");
        TokenWorkload w = TokenWorkload.reference();
        JsonObject workload = new JsonObject();
        workload.addProperty("agents", w.agents());
        workload.addProperty("seconds", w.seconds());
        workload.addProperty("idleTokensPerSecond", w.costs().idleTokensPerSecond());
        workload.addProperty("tokensPerResume", w.costs().tokensPerResume());
        workload.addProperty("seed", w.seed());
        json.add("workload", workload);
        json.addProperty("gaps", result.gaps());
        json.addProperty("idleSeconds", result.idleSeconds());
        json.addProperty("noPausingTokens", result.noPausing());
        json.addProperty("pauseAtOnceTokens", result.pauseAtOnce());
        json.addProperty("pauseAtOnceSavingsPercent", result.pauseAtOnceSavingsPercent());
        json.addProperty("breakEvenTokens", breakEven.policy());
        json.addProperty("breakEvenSavingsPercent", breakEven.policySavingsPercent());
        json.addProperty("policyTokens", result.policy());
        json.addProperty("policyResumes", result.policyResumes());
        json.addProperty("policySavingsPercent", result.policySavingsPercent());
        json.addProperty("optimalTokens", result.optimal());
        json.addProperty("optimalSavingsPercent", result.optimalSavingsPercent());
        json.addProperty("percentOfOptimum", result.percentOfOptimum());
        return json;
    }
}
