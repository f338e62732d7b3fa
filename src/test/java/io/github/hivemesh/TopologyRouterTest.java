package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.mesh.MeshCoordinatorConfig;
import org.junit.jupiter.api.Test;

class TopologyRouterTest {

    private final TopologyRouter router = new TopologyRouter();

    @Test
    void recommendation_isMeshUpToSeven_hierarchicalFromEight() {
        assertThat(router.getRecommendedTopology(1)).isEqualTo(Topology.MESH);
        assertThat(router.getRecommendedTopology(7)).isEqualTo(Topology.MESH);
        assertThat(router.getRecommendedTopology(8)).isEqualTo(Topology.HIERARCHICAL);
        assertThat(router.getRecommendedTopology(1000)).isEqualTo(Topology.HIERARCHICAL);
        assertThatThrownBy(() -> router.getRecommendedTopology(0))
                .hasMessageContaining("agentCount").hasMessageContaining("was 0");
    }

    @Test
    void meshWithOneAgent_isAnError_andSelectionRefusesIt() {
        SwarmConfig config = SwarmConfig.builder().topology(Topology.MESH).maxAgents(1).build();

        TopologyValidationResult result = router.validateTopology(config);

        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).singleElement().asString()
                .contains("MESH").contains("at least 2").contains("maxAgents is 1");
        assertThat(result.suggestions()).isNotEmpty();
        assertThatThrownBy(() -> router.selectCoordinator(config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MESH");
        assertThat(router.getMetrics().validationErrors()).isEqualTo(1);
        assertThat(router.getMetrics().totalSelections()).isZero();
    }

    @Test
    void topologiesThatFitTheSizeBadly_areHonouredWithWarnings() {
        TopologyValidationResult bigMesh = router.validateTopology(
                SwarmConfig.builder().topology(Topology.MESH).maxAgents(20).build());
        TopologyValidationResult smallHierarchy = router.validateTopology(
                SwarmConfig.builder().topology(Topology.HIERARCHICAL).maxAgents(5).build());

        assertThat(bigMesh.valid()).isTrue();
        assertThat(bigMesh.warnings()).singleElement().asString().contains("square");
        assertThat(bigMesh.recommendedTopology()).isEqualTo(Topology.HIERARCHICAL);
        assertThat(smallHierarchy.valid()).isTrue();
        assertThat(smallHierarchy.warnings()).singleElement().asString().contains("from 8");
        assertThat(smallHierarchy.recommendedTopology()).isEqualTo(Topology.MESH);
    }

    @Test
    void explicitMeshForABigSwarm_isBuilt_andCountedAsAnOverride() {
        try (ICoordinator swarm = router.selectCoordinator(
                SwarmConfig.builder().topology(Topology.MESH).maxAgents(12).build())) {
            assertThat(swarm.topology()).isEqualTo(Topology.MESH);
        }
        TopologyRouterMetrics metrics = router.getMetrics();
        assertThat(metrics.overrides()).isEqualTo(1);
        assertThat(metrics.validationWarnings()).isEqualTo(1);
        assertThat(metrics.meshSelections()).isEqualTo(1);
    }

    @Test
    void auto_isCountedAsAnAutoSelection() {
        try (ICoordinator swarm = router.selectCoordinator(
                SwarmConfig.builder().maxAgents(3).build())) {
            assertThat(swarm.topology()).isEqualTo(Topology.MESH);
        }
        assertThat(router.getMetrics().autoSelections()).isEqualTo(1);
        assertThat(router.getMetrics().overrides()).isZero();
    }

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
