package io.github.hivemesh.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.completion.CountingCompletionDetector;
import io.github.hivemesh.completion.DistributedCompletionConfig;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.TaskRegistry;
import io.github.hivemesh.task.Task;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class JobTest {

    private final CountingCompletionDetector detector = CountingCompletionDetector.create("s",
            DistributedCompletionConfig.builder().build());
    private final TaskRegistry registry = new TaskRegistry(Clock.systemUTC(), 10);

    private Job job(String id, int priority, long seq) {
        detector.taskCreated();
        TaskRecord record = registry.register(Task.builder().id(id).type("t").priority(priority)
                .build(), null, null, null);
        Job job = new Job(record, detector);
        job.seq = seq;
        return job;
    }

    @Test
    void aTaskWithoutSession_leavesTheCountOnceItsRecordSettles() {
        Job job = job("a", 5, 0);
        assertThat(detector.outstanding()).isEqualTo(1);

        job.record.fail(new IllegalStateException("cancelled"));

        assertThat(detector.outstanding()).isZero();
        assertThat(detector.isQuiescent()).isTrue();
    }

    /** A cancelled task whose session still runs is still work until the session returns. */
    @Test
    void aTaskWithASession_leavesTheCountWhenBothTheSessionAndTheRecordHaveEnded() {
        Job job = job("b", 5, 0);
        assertThat(job.sessionStarting()).isTrue();

        job.record.fail(new IllegalStateException("timed out"));
        assertThat(detector.outstanding()).isEqualTo(1);
        job.sessionEnded();

        assertThat(detector.outstanding()).isZero();
    }

    /** A session that would start after its record settled does not count, nor end the count. */
    @Test
    void aSessionStartingAfterTheRecordSettled_countsNothing() {
        Job job = job("c", 5, 0);
        job.record.fail(new IllegalStateException("cancelled while queued"));

        assertThat(job.sessionStarting()).isFalse();
        assertThat(detector.outstanding()).isZero();
    }

    @Test
    void runOrder_isPriorityFirst_thenArrival() {
        Job early = job("early", 5, 1);
        Job late = job("late", 5, 2);
        Job urgent = job("urgent", 10, 3);

        assertThat(Job.RUN_ORDER.compare(urgent, early)).isNegative();
        assertThat(Job.RUN_ORDER.compare(early, late)).isNegative();
        assertThat(Job.RUN_ORDER.compare(late, late)).isZero();
        assertThat(urgent.toString()).contains("urgent").contains("p10").contains("#3");
    }
}
