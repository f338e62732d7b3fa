package io.github.hivemesh.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        Job job = new Job(record);
        job.seq = seq;
        return job;
    }

    @Test
    void end_leavesTheCountOnce_whoeverCallsIt() {
        Job job = job("a", 5, 0);
        job.record.fail(new IllegalStateException("cancelled"));

        job.end(detector);
        job.end(detector);

        assertThat(detector.outstanding()).isZero();
        assertThat(detector.isQuiescent()).isTrue();
    }

    @Test
    void end_ofATaskThatHasNotEnded_isRefused() {
        Job job = job("b", 5, 0);

        assertThatThrownBy(() -> job.end(detector)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'b'").hasMessageContaining("PENDING");
        assertThat(detector.outstanding()).isEqualTo(1);
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
