package io.github.hivemesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SwarmLifecycleTest {

    @Test
    void stop_runsOnce_fromNewOrRunning_andLaterCallsGetTheSameFuture() {
        SwarmLifecycle lifecycle = new SwarmLifecycle("s");
        AtomicInteger stops = new AtomicInteger();

        assertThat(lifecycle.refusal("submit task 'x'"))
                .isEqualTo("cannot submit task 'x': swarm 's' is not initialized "
                        + "(call initialize())");
        assertThat(lifecycle.start()).isTrue();
        assertThat(lifecycle.start()).isTrue();
        assertThat(lifecycle.isRunning()).isTrue();
        var first = lifecycle.stop(stops::incrementAndGet);
        var second = lifecycle.stop(stops::incrementAndGet);

        assertThat(stops).hasValue(1);
        assertThat(first).isSameAs(second).isCompleted();
        assertThat(lifecycle.phase()).isEqualTo(SwarmLifecycle.Phase.STOPPED);
        assertThat(lifecycle.isStopping()).isTrue();
        assertThat(lifecycle.start()).isFalse();
        assertThat(lifecycle.refusal("spawn")).endsWith("is shut down");
        assertThat(lifecycle).hasToString("STOPPED");
    }

    @Test
    void stop_completesItsFuture_evenWhenTheStopThrows() {
        SwarmLifecycle lifecycle = new SwarmLifecycle("s");

        try {
            lifecycle.stop(() -> {
                throw new IllegalStateException("broken");
            });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("broken");
        }

        assertThat(lifecycle.stop(() -> { })).isCompleted();
        assertThat(lifecycle.isRunning()).isFalse();
    }
}
