package io.github.hivemesh.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.VirtualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The counting detector: created vs. ended, behind the same completion API. */
class CountingCompletionDetectorTest {

    private final VirtualScheduler time = new VirtualScheduler();
    private final CountingCompletionDetector detector = CountingCompletionDetector.create("swarm",
            DistributedCompletionConfig.builder().clock(time.clock()).scheduler(time).build());

    @Test
    void completes_whenTheLastCreatedTaskEnds() {
        detector.taskCreated();
        detector.taskCreated();
        CompletableFuture<Boolean> done = detector.detectCompletion("swarm", Duration.ofMinutes(1));
        detector.taskEnded();
        assertThat(done).isNotDone();
        assertThat(detector.outstanding()).isEqualTo(1);
        time.advance(Duration.ofMillis(250));
        detector.taskEnded();
        assertThat(done).isCompletedWithValue(true);
        CompletionDetectorMetrics metrics = detector.getMetrics();
        assertThat(metrics.probesSent()).isEqualTo(2);
        assertThat(metrics.acknowledgmentsReceived()).isEqualTo(2);
        assertThat(metrics.peers()).isZero();
        assertThat(metrics.completedPeers()).isZero();
        assertThat(metrics.ignoredSignals()).isZero();
        assertThat(metrics.averageDetectionTime()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void timesOut_whileATaskRuns() {
        detector.taskCreated();
        CompletableFuture<Boolean> done = detector.detectCompletion("swarm");
        time.advance(DistributedCompletionConfig.DEFAULT_TIMEOUT);
        assertThat(done).isCompletedWithValue(false);
        assertThat(detector.getMetrics().timeouts()).isEqualTo(1);
        assertThat(detector.getMetrics().detectionAttempts()).isEqualTo(1);
    }

    @Test
    void moreEndedThanCreated_isRefused() {
        assertThatThrownBy(detector::taskEnded).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more work ended than was started");
        assertThat(detector.getMetrics().acknowledgmentsReceived()).isZero();
    }

    @Test
    void resetAndEpoch_followTheSameRules() {
        detector.taskCreated();
        assertThatThrownBy(detector::reset).isInstanceOf(IllegalStateException.class);
        detector.taskEnded();
        detector.reset();
        assertThat(detector.epoch()).isEqualTo(1);
        assertThat(detector.toString()).contains("outstanding=0", "epoch=1");
    }

    /**
     * The end of one busy period must not complete a future registered in the next one. Here
     * the next period starts inside the completion callback of the first period's waiter, while
     * that period's end is still being announced.
     */
    @Test
    void waiterOfALaterBusyPeriod_isNotCompletedByTheEndOfAnEarlierOne() {
        detector.taskCreated();
        AtomicReference<CompletableFuture<Boolean>> next = new AtomicReference<>();
        CompletableFuture<Boolean> first = detector.detectCompletion("swarm", Duration.ofMinutes(1));
        first.thenRun(() -> {
            detector.taskCreated();
            next.set(detector.detectCompletion("swarm", Duration.ofMinutes(1)));
        });
        // a waiter behind the callback's in the queue order is registered the same way
        CompletableFuture<Boolean> sameperiod =
                detector.detectCompletion("swarm", Duration.ofMinutes(1));
        detector.taskEnded();
        assertThat(first).isCompletedWithValue(true);
        assertThat(sameperiod).isCompletedWithValue(true);
        assertThat(next.get()).isNotDone();
        detector.taskEnded();
        assertThat(next.get()).isCompletedWithValue(true);
    }

    /**
     * The race between registering a waiter and the end of its busy period: the injected clock
     * is read after the registrant saw work outstanding and before its waiter is queued, so a
     * clock that ends the last task right then puts the period's end exactly in that window.
     */
    @Test
    void waiterRegisteredWhileItsPeriodEnds_isStillCompletedTrue() {
        AtomicReference<Runnable> onRead = new AtomicReference<>(() -> { });
        Clock racing = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                onRead.getAndSet(() -> { }).run();
                return Instant.EPOCH;
            }
        };
        CountingCompletionDetector raced = CountingCompletionDetector.create("swarm",
                DistributedCompletionConfig.builder().clock(racing).scheduler(time).build());
        raced.taskCreated();
        onRead.set(raced::taskEnded);
        CompletableFuture<Boolean> done = raced.detectCompletion("swarm", Duration.ofMinutes(1));
        assertThat(raced.outstanding()).isZero();
        assertThat(done).isCompletedWithValue(true);
    }
}
