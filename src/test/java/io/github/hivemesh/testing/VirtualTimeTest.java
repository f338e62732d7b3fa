package io.github.hivemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {

    private final VirtualTime time = new VirtualTime();
    private final VirtualTime.Scheduler scheduler = time.scheduler();
    private final List<String> log = new ArrayList<>();

    private Runnable note(String what) {
        return () -> log.add(what + "@" + time.now().getEpochSecond() % 100);
    }

    @Test
    void advance_runsDueTasksInTimeOrderAtTheirDueTime() {
        scheduler.schedule(note("b"), 2, TimeUnit.SECONDS);
        scheduler.schedule(note("a"), 1, TimeUnit.SECONDS);
        scheduler.execute(note("now"));
        scheduler.schedule(note("late"), 10, TimeUnit.SECONDS);

        time.advance(Duration.ofSeconds(5));

        assertThat(log).containsExactly("now@0", "a@1", "b@2");
        assertThat(time.now().getEpochSecond() % 100).isEqualTo(5);
        assertThat(time.clock().millis()).isEqualTo(time.now().toEpochMilli());
        assertThat(scheduler.pending()).isEqualTo(1);
    }

    @Test
    void fixedRateAndFixedDelay_repeatUntilCancelled() {
        ScheduledFuture<?> rate = scheduler.scheduleAtFixedRate(note("r"), 1, 2, TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(note("d"), 0, 3, TimeUnit.SECONDS);

        time.advance(Duration.ofSeconds(6));
        rate.cancel(false);
        time.advance(Duration.ofSeconds(4));

        assertThat(log).containsExactly("d@0", "r@1", "d@3", "r@3", "r@5", "d@6", "d@9");
        assertThat(time.tasksRun()).isEqualTo(7);
    }

    @Test
    void pausedScheduler_holdsItsTasksWhileOthersRun() {
        VirtualTime.Scheduler frozen = time.newScheduler();
        frozen.scheduleAtFixedRate(note("frozen"), 1, 1, TimeUnit.SECONDS);
        scheduler.schedule(note("other"), 2, TimeUnit.SECONDS);
        frozen.pause();

        time.advance(Duration.ofSeconds(3));
        assertThat(log).containsExactly("other@2");

        frozen.resume();
        time.runDue();
        // fixed rate catches up on the missed runs, as ScheduledThreadPoolExecutor does
        assertThat(log).containsExactly("other@2", "frozen@3", "frozen@3", "frozen@3");
        assertThat(frozen.time()).isSameAs(time);
    }

    @Test
    void shutdown_rejectsNewTasksAndReportsTermination() {
        scheduler.schedule(note("x"), 1, TimeUnit.SECONDS);
        scheduler.shutdown();

        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(scheduler.isTerminated()).isFalse();
        assertThatThrownBy(() -> scheduler.execute(note("y")))
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(scheduler.shutdownNow()).hasSize(1);
        assertThat(scheduler.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> time.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
