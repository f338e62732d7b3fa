package io.github.hivemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {

    private final VirtualScheduler scheduler = new VirtualScheduler(Instant.EPOCH);
    private final List<String> ran = new ArrayList<>();

    @Test
    void advance_runsDueJobsInTimeOrder_andMovesTheClock() throws Exception {
        scheduler.schedule(() -> ran.add("b"), 2, TimeUnit.SECONDS);
        scheduler.schedule(() -> ran.add("a"), 1, TimeUnit.SECONDS);
        ScheduledFuture<String> c = scheduler.schedule(() -> "c", 3, TimeUnit.SECONDS);
        scheduler.execute(() -> ran.add("now"));
        assertThat(c.getDelay(TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(scheduler.advance(Duration.ofSeconds(2))).isEqualTo(3);
        assertThat(ran).containsExactly("now", "a", "b");
        assertThat(scheduler.clock().instant()).isEqualTo(Instant.EPOCH.plusSeconds(2));
        assertThat(scheduler.elapsed()).isEqualTo(Duration.ofSeconds(2));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(c.get()).isEqualTo("c");
    }

    @Test
    void cancelledJobs_leaveTheQueue_periodicJobsRepeat() {
        ScheduledFuture<?> cancelled = scheduler.schedule(() -> ran.add("x"), 1, TimeUnit.SECONDS);
        ScheduledFuture<?> ticking = scheduler.scheduleAtFixedRate(() -> ran.add("tick"), 1, 1,
                TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> ran.add("tock"), 5, 5, TimeUnit.SECONDS);
        assertThat(cancelled.cancel(false)).isTrue();
        scheduler.advance(Duration.ofSeconds(5));
        // at t=5 both are due: ties run in the order they were (re)scheduled
        assertThat(ran).containsExactly("tick", "tick", "tick", "tick", "tock", "tick");
        ticking.cancel(false);
        assertThat(scheduler.queued()).isEqualTo(1);
        assertThat(scheduler.clock().withZone(java.time.ZoneOffset.UTC).instant())
                .isEqualTo(Instant.EPOCH.plusSeconds(5));
    }

    @Test
    void shutdown_refusesNewJobs() {
        scheduler.schedule(() -> ran.add("x"), 1, TimeUnit.SECONDS);
        assertThat(scheduler.shutdownNow()).hasSize(1);
        assertThat(scheduler.isShutdown()).isTrue();
        assertThat(scheduler.isTerminated()).isTrue();
        assertThat(scheduler.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> scheduler.execute(() -> { }))
                .isInstanceOf(RejectedExecutionException.class);
        VirtualScheduler other = new VirtualScheduler();
        other.shutdown();
        assertThat(other.isShutdown()).isTrue();
    }
}
