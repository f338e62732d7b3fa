package io.github.hivemesh.completion;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.completion.CompletionSchedule.Outcome;
import io.github.hivemesh.completion.CompletionSchedule.Violation;
import io.github.hivemesh.completion.DiffusingWorkload.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dijkstra–Scholten under adversarial deterministic schedules: the production detector, the
 * production broker and test peers, one seed per schedule (see {@link CompletionSchedule}).
 *
 * <p>{@code -Dhivemesh.scale=long} (the {@code -Plong} profile) runs 10⁶ small and 5·10⁴ large
 * schedules, the default suite 2·10⁴ small and 500 large. A failure prints its seed;
 * {@code -Dhivemesh.seed=N} (with {@code -Dhivemesh.size=LARGE} for a large one) replays it in
 * {@link #replaysOneSeed_deterministically()}.
 */
class CompletionScheduleTest {

    private static final boolean LONG = "long".equals(System.getProperty("hivemesh.scale"));
    private static final int SMALL_SCHEDULES = LONG ? 1_000_000 : 20_000;
    private static final int LARGE_SCHEDULES = LONG ? 50_000 : 500;
    private static final int NEGATIVE_CONTROL_BUDGET = 2_000;

    @Test
    void randomSchedules_neverReportEarly_alwaysReportAtTheEnd_oneSignalPerBasicMessage() {
        runAll(Size.SMALL, SMALL_SCHEDULES);
    }

    @Test
    void largeRandomSchedules_neverReportEarly_alwaysReportAtTheEnd_oneSignalPerBasicMessage() {
        runAll(Size.LARGE, LARGE_SCHEDULES);
    }

    private static void runAll(Size size, int schedules) {
        long started = System.nanoTime();
        long steps = 0;
        long tasks = 0;
        for (long seed = 1; seed <= schedules; seed++) {
            Outcome outcome = CompletionSchedule.run(seed, size, RuleBreak.NONE);
            if (!outcome.ok()) {
                System.out.println("completion schedule failed (" + size + "): " + outcome);
            }
            assertThat(outcome.ok()).as("%s schedule %s", size, outcome).isTrue();
            steps += outcome.steps();
            tasks += outcome.tasks();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("completion schedules (%s): %,d schedules, %,d steps, %,d tasks in %,d ms%n",
                size, schedules, steps, tasks, millis);
    }

    @Test
    void replaysOneSeed_deterministically() {
        long seed = Long.getLong("hivemesh.seed", 42L);
        Size size = Size.valueOf(System.getProperty("hivemesh.size", "SMALL"));
        Outcome first = CompletionSchedule.run(seed, size, RuleBreak.NONE);
        Outcome second = CompletionSchedule.run(seed, size, RuleBreak.NONE);
        System.out.println("replayed schedule: " + first);
        assertThat(first.ok()).as("%s", first).isTrue();
        assertThat(second.trace()).isEqualTo(first.trace());
        assertThat(second.steps()).isEqualTo(first.steps());
        assertThat(second.tasks()).isEqualTo(first.tasks());
    }

    @ParameterizedTest
    @EnumSource(value = RuleBreak.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void negativeControl_brokenRule_isCaughtAsPrematureCompletion(RuleBreak ruleBreak) {
        Outcome found = null;
        for (long seed = 1; seed <= NEGATIVE_CONTROL_BUDGET && found == null; seed++) {
            Outcome outcome = CompletionSchedule.run(seed, Size.SMALL, ruleBreak);
            if (outcome.violation() == Violation.PREMATURE_COMPLETION) {
                found = outcome;
            }
        }
        System.out.println("negative control " + ruleBreak + ": " + found);
        assertThat(found).as("a premature completion with %s broken", ruleBreak).isNotNull();
    }
}
