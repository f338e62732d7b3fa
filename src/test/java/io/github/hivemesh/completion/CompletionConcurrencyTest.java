package io.github.hivemesh.completion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The root's atomics on real threads: many threads start and end work and register waiters
 * while one unit is held for the whole run; no waiter may complete true before that unit ends,
 * and all must complete true after it.
 */
class CompletionConcurrencyTest {

    private static final int THREADS = 4;
    private static final int ROUNDS = 20_000;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void concurrentChurn_neverCompletesAWaiterWhileWorkIsHeld() throws Exception {
        CountingCompletionDetector detector = CountingCompletionDetector.create("s",
                DistributedCompletionConfig.defaults());
        detector.taskCreated();   // held until every thread is done
        AtomicBoolean released = new AtomicBoolean();
        AtomicInteger early = new AtomicInteger();
        List<CompletableFuture<Boolean>> waiters = java.util.Collections.synchronizedList(
                new ArrayList<>());
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    detector.taskCreated();
                    if (i % 64 == 0) {
                        CompletableFuture<Boolean> w =
                                detector.detectCompletion("s", Duration.ofMinutes(5));
                        w.thenRun(() -> {
                            if (!released.get()) {
                                early.incrementAndGet();
                            }
                        });
                        waiters.add(w);
                    }
                    detector.taskEnded();
                }
            }));
        }
        workers.add(pool.submit(() -> {
            for (int i = 0; i < ROUNDS / 10; i++) {
                try {
                    detector.reset();
                    early.incrementAndGet();        // reset can never succeed while held
                } catch (IllegalStateException expected) {
                    // not quiescent: the held unit is still there
                }
            }
        }));
        for (Future<?> worker : workers) {
            worker.get();
        }
        assertThat(waiters).allSatisfy(w -> assertThat(w).isNotDone());
        released.set(true);
        detector.taskEnded();
        assertThat(waiters).allSatisfy(w -> assertThat(w).isCompletedWithValue(true));
        assertThat(early.get()).isZero();
        assertThat(detector.outstanding()).isZero();
        assertThat(detector.getMetrics().probesSent()).isEqualTo(1L + THREADS * (long) ROUNDS);
    }

    @Test
    void resetRacingWithSubmissions_neverLosesWork() throws Exception {
        CountingCompletionDetector detector = CountingCompletionDetector.create("s",
                DistributedCompletionConfig.defaults());
        AtomicInteger resets = new AtomicInteger();
        Future<?> resetter = pool.submit(() -> {
            for (int i = 0; i < ROUNDS; i++) {
                try {
                    detector.reset();
                    resets.incrementAndGet();
                } catch (IllegalStateException busy) {
                    // a submission was in progress
                }
            }
        });
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS - 1; t++) {
            workers.add(pool.submit(() -> {
                for (int i = 0; i < ROUNDS; i++) {
                    detector.taskCreated();
                    detector.taskEnded();
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        resetter.get();
        assertThat(detector.epoch()).isEqualTo(resets.get());
        assertThat(detector.outstanding()).isZero();
        assertThat(detector.detectCompletion("s", Duration.ZERO).join()).isTrue();
    }
}
