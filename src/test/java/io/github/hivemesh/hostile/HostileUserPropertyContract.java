package io.github.hivemesh.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.Topology;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.github.hivemesh.testing.HandlerFailureWatch;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A hostile user, seeded and replayable, through the public API only (issue 13's "Must show").
 * Each run builds a swarm from its seed — retention as small as 0, a small submission bound in
 * {@code BLOCK} or {@code REJECT} mode, a small delegation bound, sometimes a default task
 * timeout, automatic pausing with a hair trigger, a small mailbox, a long and odd swarm id —
 * and agents with long and odd ids (60 upper-case, 24 CJK, 180 lower-case and 256 characters,
 * separators, a surrogate pair), two of them stable with throwing message handlers. Then four
 * threads use it at once:
 * <ul>
 *   <li>three submit tasks — with dependencies on their earlier tasks (or on ids never
 *       submitted), duplicate ids, 256-character ids, capabilities nobody has, priorities and
 *       timeouts — whose sessions spin, delegate subtasks (with dependencies on their siblings,
 *       timeouts, {@code orTimeout}/{@code complete}/{@code obtrude*} or {@code cancel} on the
 *       subtask's future), send notes to the stable agents, and return or throw an
 *       {@code Exception}, a {@code RuntimeException}, an {@code AssertionError} or a
 *       {@code StackOverflowError}; and cancel, complete, obtrude or time out their own
 *       earlier futures, wait for completion with tiny or negative timeouts, read statuses and
 *       metrics;</li>
 *   <li>one spawns, removes and re-spawns the same agent ids, spawns batches with duplicates or
 *       beyond {@code maxAgents}, pauses and resumes (unknown ids too).</li>
 * </ul>
 * Half the runs end with {@code close()} at a seeded moment while all four are busy; the others
 * let the work end. The checks, after every run:
 * <ul>
 *   <li>no call that returns a future threw (a problem fails the future); a refused spawn batch
 *       left no agent behind; notes between a session and a stable agent arrive in order;</li>
 *   <li>every task ran at most once, and a future completed normally carries its own task's
 *       output; a task whose dependency threw or never ran did not run;</li>
 *   <li>after {@code close()}: every future handed out is done when it returns, no task is
 *       non-terminal, and no library thread ({@code hivemesh-*}) is left;</li>
 *   <li>otherwise: {@code waitForCompletion} is true once the users stop, every task future is
 *       done by then, no task is non-terminal, every accepted note reached its handler (a
 *       handler throwing an {@code Error} included), and the metrics agree with what the users
 *       saw — tasks accepted, ended, completed (between the sessions that returned normally,
 *       less those cancelled or timed out, and all of them), agents live.</li>
 * </ul>
 *
 * <h2>Scale and replay</h2>
 * {@value #RUNS_DEFAULT} runs of {@value #OPERATIONS_DEFAULT} operations per topology by default
 * (a few thousand in all, a few seconds); {@code -Dhivemesh.scale=long} ({@code mvn -Plong}):
 * {@value #RUNS_LONG} runs of {@value #OPERATIONS_LONG}, 10<sup>5</sup> per topology. Run
 * {@code i} has seed {@code base + i}; the base is {@code -Dhivemesh.seed=N} (default
 * {@value #DEFAULT_SEED}), and a failure prints the failing run's seed: passing it as
 * {@code -Dhivemesh.seed} runs that run first.
 *
 * <p>What replays exactly: every choice — the configuration, the agents, each thread's sequence
 * of operations and their arguments, each task's plan (its session's spin, subtasks, tampering,
 * notes and ending), the moment of {@code close()} counted in operations — comes from one
 * {@code SplittableRandom(seed)} (split once per thread, in a fixed order) and nothing else. What
 * does not: the threads' real interleaving, so which operations are done when {@code close()}
 * comes, which tasks a cancel or a timeout reaches before they end, which races inside the
 * library fire. A seed that failed once therefore fails again with high probability, not
 * certainty; the failure message names what broke.
 */
@ExtendWith(HandlerFailureWatch.class)
abstract class HostileUserPropertyContract {

    static final int RUNS_DEFAULT = 4;
    static final int OPERATIONS_DEFAULT = 500;
    static final int RUNS_LONG = 100;
    static final int OPERATIONS_LONG = 1_000;
    static final long DEFAULT_SEED = 13;

    /** The topology under test. */
    abstract Topology topology();

    @Test
    void hostileUser_keepsEveryPromise() throws Exception {
        long base = Hostile.seed(DEFAULT_SEED);
        int runs = Hostile.LONG ? RUNS_LONG : RUNS_DEFAULT;
        int operations = Hostile.LONG ? OPERATIONS_LONG : OPERATIONS_DEFAULT;
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < runs && failures.isEmpty(); i++) {
            long seed = base + i;
            List<String> broken = new HostileRun(topology(), seed, operations).execute();
            if (!broken.isEmpty()) {
                String test = getClass().getSimpleName() + "#hostileUser_keepsEveryPromise";
                System.out.println("hostile user run failed: " + Hostile.replay(test, seed));
                failures.add("run with seed " + seed + " (" + Hostile.replay(test, seed)
                        + "): " + broken.subList(0, Math.min(10, broken.size())));
            }
        }
        System.out.printf("hostile user on %s: %d runs of %d operations from seed %d in %d ms%n",
                topology(), runs, operations, base, (System.nanoTime() - started) / 1_000_000);
        assertThat(failures).isEmpty();
    }
}
