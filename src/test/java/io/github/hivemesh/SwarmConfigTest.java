package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.mesh.MeshCoordinatorConfig;
import io.github.hivemesh.testing.BadValue;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The swarm's configuration: validation at build(), and builders that keep every value. */
class SwarmConfigTest {

    @Test
    void badConfigValues_failAtBuild_namingFieldValueAndRange() {
        assertThatThrownBy(() -> SwarmConfig.builder().maxAgents(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAgents must be in [1, 100000], was 0");
        assertThatThrownBy(() -> SwarmConfig.builder().taskRetention(-1).build())
                .hasMessageContaining("taskRetention").hasMessageContaining("-1");
        assertThatThrownBy(() -> SwarmConfig.builder().swarmId(" ").build())
                .hasMessageContaining("swarmId");
        assertThatThrownBy(() -> MeshCoordinatorConfig.builder().imbalanceThreshold(-0.5).build())
                .hasMessage("imbalanceThreshold must be in [0.0, 1000.0], was -0.5");
        assertThatThrownBy(() -> MeshCoordinatorConfig.builder().maxConcurrentTasksPerPeer(0)
                .build()).hasMessageContaining("maxConcurrentTasksPerPeer");
        assertThatThrownBy(() -> MeshCoordinatorConfig.builder()
                .completionTimeout(java.time.Duration.ofSeconds(-1)).build())
                .hasMessageContaining("completionTimeout");
        assertThatThrownBy(() -> SwarmConfig.builder().topology(null))
                .isInstanceOf(NullPointerException.class).hasMessage("topology");
    }

    static List<BadValue<SwarmConfig.Builder>> badValues() {
        return List.of(
                BadValue.of("maxAgents", 100_001, SwarmConfig.Builder::maxAgents),
                BadValue.of("taskRetention", 100_000_001, SwarmConfig.Builder::taskRetention),
                BadValue.of("maxPendingTasks", 0, SwarmConfig.Builder::maxPendingTasks),
                BadValue.of("maxPendingTasks", 100_000_001, SwarmConfig.Builder::maxPendingTasks),
                BadValue.of("maxPendingSubtasks", 0, SwarmConfig.Builder::maxPendingSubtasks),
                BadValue.of("maxPendingSubtasks", 100_000_001,
                        SwarmConfig.Builder::maxPendingSubtasks),
                BadValue.of("pauseCheckInterval", Duration.ZERO,
                        SwarmConfig.Builder::pauseCheckInterval),
                BadValue.of("pauseCheckInterval", Duration.ofDays(3651),
                        SwarmConfig.Builder::pauseCheckInterval),
                BadValue.of("defaultTaskTimeout", Duration.ofMillis(-1),
                        SwarmConfig.Builder::defaultTaskTimeout),
                BadValue.of("defaultTaskTimeout", Duration.ofDays(3651),
                        SwarmConfig.Builder::defaultTaskTimeout));
    }

    @TestFactory
    Stream<DynamicTest> build_rejectsEachBadValue_namingFieldValueAndRange() {
        return BadValue.rejectedAtBuild(SwarmConfig::builder, SwarmConfig.Builder::build,
                badValues(), "randomSeed");
    }

    @Test
    void configs_roundTripThroughTheirBuilders() {
        SwarmConfig config = SwarmConfig.builder().swarmId("s").maxAgents(4).taskRetention(10)
                .randomSeed(3).build();
        SwarmConfig copy = config.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(config.toString());
        assertThat(copy.randomSeed()).hasValue(3);
        MeshCoordinatorConfig mesh = MeshCoordinatorConfig.builder().peerCount(3)
                .autoRebalance(true).build();
        assertThat(mesh.toBuilder().build().toString()).isEqualTo(mesh.toString());
    }
}
