package io.github.hivemesh.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.BadValue;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class MessageBrokerConfigTest {

    @Test
    void defaults_areUsable() {
        MessageBrokerConfig config = MessageBrokerConfig.defaults();
        assertThat(config.mailboxCapacity()).isEqualTo(MessageBrokerConfig.DEFAULT_MAILBOX_CAPACITY);
        assertThat(config.dispatcher()).isEmpty();
        assertThat(config.dispatcherThreads()).isPositive();
        assertThat(config.countByType()).isTrue();
        assertThat(config.toString()).contains("owned");
    }

    @Test
    void badValues_failAtBuild_namingFieldValueAndRange() {
        assertThatThrownBy(() -> MessageBrokerConfig.builder().mailboxCapacity(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mailboxCapacity must be in [1, 1073741824], was 0");
        assertThatThrownBy(() -> MessageBrokerConfig.builder().dispatchBatchSize(-1).build())
                .hasMessageContaining("dispatchBatchSize").hasMessageContaining("-1");
        assertThatThrownBy(() -> MessageBrokerConfig.builder().dispatcherThreads(0).build())
                .hasMessageContaining("dispatcherThreads");
        assertThatThrownBy(() -> MessageBrokerConfig.builder().closeTimeout(Duration.ZERO).build())
                .hasMessageContaining("closeTimeout");
        assertThatThrownBy(() -> MessageBrokerConfig.builder().idleSpins(-1).build())
                .hasMessage("idleSpins must be in [0, 100000], was -1");
        assertThatThrownBy(() -> MessageBrokerConfig.builder().dispatcher(null))
                .isInstanceOf(NullPointerException.class).hasMessage("executor");
    }

    static List<BadValue<MessageBrokerConfig.Builder>> badValues() {
        return List.of(
                BadValue.of("mailboxCapacity", (1 << 30) + 1,
                        MessageBrokerConfig.Builder::mailboxCapacity),
                BadValue.of("dispatchBatchSize", 65_537,
                        MessageBrokerConfig.Builder::dispatchBatchSize),
                BadValue.of("dispatcherThreads", 1025,
                        MessageBrokerConfig.Builder::dispatcherThreads),
                BadValue.of("closeTimeout", Duration.ofSeconds(-1),
                        MessageBrokerConfig.Builder::closeTimeout),
                BadValue.of("closeTimeout", Duration.ofDays(3651),
                        MessageBrokerConfig.Builder::closeTimeout),
                BadValue.of("idleSpins", 100_001, MessageBrokerConfig.Builder::idleSpins));
    }

    @TestFactory
    Stream<DynamicTest> build_rejectsEachBadValue_namingFieldValueAndRange() {
        return BadValue.rejectedAtBuild(MessageBrokerConfig::builder,
                MessageBrokerConfig.Builder::build, badValues());
    }

    @Test
    void toBuilder_keepsEveryValue() {
        MessageBrokerConfig config = MessageBrokerConfig.builder().mailboxCapacity(5)
                .dispatchBatchSize(6).dispatcherThreads(3).closeTimeout(Duration.ofSeconds(2))
                .countByType(false).idleSpins(0).dispatcher(Runnable::run).build();

        MessageBrokerConfig copy = config.toBuilder().build();

        assertThat(copy.toString()).isEqualTo(config.toString());
    }
}
