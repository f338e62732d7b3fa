package io.github.hivemesh.completion;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.completion.MultiRootSchedule.Outcome;
import io.github.hivemesh.completion.MultiRootSchedule.Peers;
import io.github.hivemesh.completion.MultiRootSchedule.Violation;
import org.junit.jupiter.api.Test;

/**
 * Dijkstra–Scholten with a root per member (cluster mode) under adversarial deterministic
 * schedules with cross-member delays: the production detectors and broker, test peers keeping
 * a node per root (see {@link MultiRootSchedule}).
 *
 * <p>The default suite runs 10,000 schedules; {@code -Dhivemesh.scale=long} (the {@code long}
 * profile) 1,000,000. A failure
 * prints its seed; {@code -Dhivemesh.seed=N} replays it in {@link #replaysOneSeed()}.
 */
class MultiRootScheduleTest {

    private static final boolean LONG = "long".equals(System.getProperty("hivemesh.scale"));
    private static final int SCHEDULES = LONG ? 1_000_000 : 10_000;

    @Test
    void severalRoots_neverEarly_alwaysDetected_oneSignalPerBasicMessage() {
        long started = System.nanoTime();
        long steps = 0;
        long tasks = 0;
        long basic = 0;
        long combinedBasic = 0;
        long combinedSignals = 0;
        int threeMembers = 0;
        for (long seed = 1; seed <= SCHEDULES; seed++) {
            Outcome outcome = MultiRootSchedule.run(seed, Peers.PER_ROOT);
            if (!outcome.ok()) {
                System.out.println("multi-root schedule failed: " + outcome);
            }
            assertThat(outcome.ok()).as("%s", outcome).isTrue();
            steps += outcome.steps();
            tasks += outcome.tasks();
            basic += outcome.basicMessages();
            if (outcome.signalBatchSize() > 1) {
                combinedBasic += outcome.basicMessages();
                combinedSignals += outcome.signals();
            }
            threeMembers += outcome.members() == 3 ? 1 : 0;
        }
        System.out.printf("multi-root schedules: %,d schedules (%,d with 3 members), %,d steps, "
                + "%,d tasks, %,d basic messages; with combined signals %,d basic messages "
                + "acknowledged by %,d signals; in %,d ms%n", SCHEDULES, threeMembers, steps,
                tasks, basic, combinedBasic, combinedSignals,
                (System.nanoTime() - started) / 1_000_000);
        assertThat(threeMembers).isPositive().isLessThan(SCHEDULES);
        assertThat(basic).isGreaterThan(tasks);
        // the drawn batch sizes do combine: far fewer signals than acknowledged messages
        assertThat(combinedSignals).isPositive().isLessThan(combinedBasic * 9 / 10);
    }

    @Test
    void replaysOneSeed() {
        long seed = Long.getLong("hivemesh.seed", 7L);
        Outcome first = MultiRootSchedule.run(seed, Peers.PER_ROOT);
        Outcome second = MultiRootSchedule.run(seed, Peers.PER_ROOT);
        System.out.println("replayed multi-root schedule: " + first);
        assertThat(first.ok()).as("%s", first).isTrue();
        assertThat(second.trace()).isEqualTo(first.trace());
        assertThat(second.steps()).isEqualTo(first.steps());
    }

    @Test
    void negativeControl_oneTreeForEveryRoot_isCaughtReportingEarly() {
        Outcome found = null;
        for (long seed = 1; seed <= 2_000 && found == null; seed++) {
            Outcome outcome = MultiRootSchedule.run(seed, Peers.IGNORE_ROOT);
            if (outcome.violation() == Violation.EARLY) {
                found = outcome;
            }
        }
        System.out.println("negative control (one tree for every root): " + found);
        assertThat(found).as("an early completion with one tree for every root").isNotNull();
    }
}
