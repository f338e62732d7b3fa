package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.mesh.MeshCoordinatorConfig;
import org.junit.jupiter.api.Test;

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
