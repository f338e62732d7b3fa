package io.github.hivemesh.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.BadValue;
import io.github.hivemesh.testing.VirtualScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class DistributedCompletionConfigTest {

    @Test
    void defaults_matchTheDocumentedValues() {
        DistributedCompletionConfig config = DistributedCompletionConfig.defaults();
        assertThat(config.defaultTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.probeRetryInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.maxRetries()).isEqualTo(3);
        assertThat(config.checkpointsEnabled()).isFalse();
        assertThat(config.clock()).isEqualTo(Clock.systemUTC());
        assertThat(config.scheduler()).isEmpty();
    }

    @Test
    void badValues_failAtBuild_namingFieldValueAndRange() {
        assertThatThrownBy(() -> DistributedCompletionConfig.builder()
                .defaultTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("defaultTimeout must be a positive duration, was PT0S");
        assertThatThrownBy(() -> DistributedCompletionConfig.builder()
                .probeRetryInterval(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("probeRetryInterval");
        assertThatThrownBy(() -> DistributedCompletionConfig.builder().maxRetries(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetries must be in [0, 1000], was -1");
        assertThatThrownBy(() -> DistributedCompletionConfig.builder().defaultTimeout(null).build())
                .isInstanceOf(NullPointerException.class).hasMessage("defaultTimeout");
        assertThatThrownBy(() -> DistributedCompletionConfig.builder().clock(null))
                .isInstanceOf(NullPointerException.class);
    }

    static List<BadValue<DistributedCompletionConfig.Builder>> badValues() {
        return List.of(
                BadValue.of("defaultTimeout", Duration.ofSeconds(-1),
                        DistributedCompletionConfig.Builder::defaultTimeout),
                BadValue.of("probeRetryInterval", Duration.ZERO,
                        DistributedCompletionConfig.Builder::probeRetryInterval),
                BadValue.of("maxRetries", 1001, DistributedCompletionConfig.Builder::maxRetries),
                BadValue.of("signalBatchSize", 0,
                        DistributedCompletionConfig.Builder::signalBatchSize));
    }

    @TestFactory
    Stream<DynamicTest> build_rejectsEachBadValue_namingFieldValueAndRange() {
        return BadValue.rejectedAtBuild(DistributedCompletionConfig::builder,
                DistributedCompletionConfig.Builder::build, badValues());
    }

    @Test
    void toBuilder_keepsEveryField() {
        VirtualScheduler scheduler = new VirtualScheduler();
        DistributedCompletionConfig config = DistributedCompletionConfig.builder()
                .defaultTimeout(Duration.ofSeconds(3)).probeRetryInterval(Duration.ofSeconds(1))
                .maxRetries(7).checkpointsEnabled(true).clock(scheduler.clock())
                .scheduler(scheduler).build();
        DistributedCompletionConfig copy = config.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(config.toString());
        assertThat(copy.scheduler()).containsSame(scheduler);
        assertThat(copy.maxRetries()).isEqualTo(7);
        assertThat(copy.checkpointsEnabled()).isTrue();
        assertThat(DistributedCompletionConfig.defaults().toString()).contains("JDK delayer");
    }
}
