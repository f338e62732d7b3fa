package io.github.hivemesh.completion;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.completion.CompletionSchedule.Outcome;
import io.github.hivemesh.completion.CompletionSchedule.Violation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dijkstra–Scholten under adversarial deterministic schedules: the production detector, the
 * production broker and test peers, one seed per schedule (see {@link CompletionSchedule}).
 *
 * <p>{@code -Dhivemesh.scale=long} (the {@code -Plong} profile) runs 10⁶ schedules, the default
 * suite 10⁴. A failure prints its seed; {@code -Dhivemesh.seed=N} replays it in
 * {@link #replaysOneSeed_deterministically()}.
 */
class CompletionScheduleTest {

    private static final int DEFAULT_SCHEDULES = 10_000;
    private static final int LONG_SCHEDULES = 1_000_000;
    private static final int NEGATIVE_CONTROL_BUDGET = 2_000;

    @Test
    void randomSchedules_neverReportEarly_alwaysReportAtTheEnd_oneSignalPerBasicMessage() {
        int schedules = "long".equals(System.getProperty("hivemesh.scale"))
                ? LONG_SCHEDULES : DEFAULT_SCHEDULES;
        long started = System.nanoTime();
        long steps = 0;
        long tasks = 0;
        for (long seed = 1; seed <= schedules; seed++) {
            Outcome outcome = CompletionSchedule.run(seed);
            if (!outcome.ok()) {
                System.out.println("completion schedule failed: " + outcome);
            }
            assertThat(outcome.ok()).as("%s", outcome).isTrue();
            steps += outcome.steps();
            tasks += outcome.tasks();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("completion schedules: %,d schedules, %,d steps, %,d tasks in %,d ms%n",
                schedules, steps, tasks, millis);
    }

    @Test
    void replaysOneSeed_deterministically() {
        long seed = Long.getLong("hivemesh.seed", 42L);
        Outcome first = CompletionSchedule.run(seed);
        Outcome second = CompletionSchedule.run(seed);
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
            Outcome outcome = CompletionSchedule.run(seed, ruleBreak);
            if (outcome.violation() == Violation.PREMATURE_COMPLETION) {
                found = outcome;
            }
        }
        System.out.println("negative control " + ruleBreak + ": " + found);
        assertThat(found).as("a premature completion with %s broken", ruleBreak).isNotNull();
    }
}
