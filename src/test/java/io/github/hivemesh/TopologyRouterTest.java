package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.hierarchy.HierarchicalCoordinator;
import io.github.hivemesh.hierarchy.HierarchicalCoordinatorConfig;
import io.github.hivemesh.mesh.IMeshCoordinator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which coordinator a configuration gets, what the router warns about, and what it counts. */
class TopologyRouterTest {

    private final TopologyRouter router = new TopologyRouter();
    private final List<ICoordinator> built = new ArrayList<>();

    @AfterEach
    void closeAll() {
        built.forEach(ICoordinator::close);
    }

    private ICoordinator select(Topology topology, int maxAgents) {
        ICoordinator coordinator = router.selectCoordinator(SwarmConfig.builder()
                .topology(topology).maxAgents(maxAgents).build());
        built.add(coordinator);
        return coordinator;
    }

    @Test
    void auto_withSevenAgents_buildsAMesh_andWithEight_aHierarchy() {
        assertThat(select(Topology.AUTO, 7)).isInstanceOf(IMeshCoordinator.class);
        ICoordinator large = select(Topology.AUTO, 8);

        assertThat(large).isInstanceOf(HierarchicalCoordinator.class);
        assertThat(large.topology()).isEqualTo(Topology.HIERARCHICAL);
        TopologyRouterMetrics metrics = router.getMetrics();
        assertThat(metrics.meshSelections()).isEqualTo(1);
        assertThat(metrics.hierarchicalSelections()).isEqualTo(1);
        assertThat(metrics.autoSelections()).isEqualTo(2);
        assertThat(metrics.overrides()).isZero();
        assertThat(metrics.totalSelections()).isEqualTo(2);
    }

    @Test
    void explicitTopology_isHonoured_withAWarningAndAnOverrideCounted() {
        ICoordinator smallHierarchy = select(Topology.HIERARCHICAL, 3);
        ICoordinator largeMesh = select(Topology.MESH, 20);

        assertThat(smallHierarchy.topology()).isEqualTo(Topology.HIERARCHICAL);
        assertThat(largeMesh.topology()).isEqualTo(Topology.MESH);
        TopologyRouterMetrics metrics = router.getMetrics();
        assertThat(metrics.overrides()).isEqualTo(2);
        assertThat(metrics.validationWarnings()).isEqualTo(2);
        assertThat(metrics.hierarchicalSelections()).isEqualTo(1);
        assertThat(metrics.meshSelections()).isEqualTo(1);
    }

    @Test
    void validateTopology_warnsWhenHierarchicalIsForcedOnASmallSwarm() {
        TopologyValidationResult result = router.validateTopology(SwarmConfig.builder()
                .topology(Topology.HIERARCHICAL).maxAgents(4).build());

        assertThat(result.valid()).isTrue();
        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).singleElement().asString()
                .contains("HIERARCHICAL").contains("4");
        assertThat(result.recommendedTopology()).isEqualTo(Topology.MESH);
        assertThat(result.suggestions()).isNotEmpty();
    }

    @Test
    void validateTopology_warnsWhenMeshIsForcedOnALargeSwarm() {
        TopologyValidationResult result = router.validateTopology(SwarmConfig.builder()
                .topology(Topology.MESH).maxAgents(50).build());

        assertThat(result.valid()).isTrue();
        assertThat(result.warnings()).singleElement().asString()
                .contains("MESH").contains("50");
        assertThat(result.recommendedTopology()).isEqualTo(Topology.HIERARCHICAL);
    }

    @Test
    void validateTopology_fitsAuto_withoutWarnings() {
        for (int agents : new int[] {1, 7, 8, 1_000}) {
            TopologyValidationResult result = router.validateTopology(SwarmConfig.builder()
                    .maxAgents(agents).build());
            assertThat(result.valid()).isTrue();
            assertThat(result.warnings()).isEmpty();
            assertThat(result.recommendedTopology())
                    .isEqualTo(agents <= 7 ? Topology.MESH : Topology.HIERARCHICAL);
        }
    }

    @Test
    void meshOfOneAgent_isAnError_thatSelectionRefusesAndCounts() {
        SwarmConfig config = SwarmConfig.builder().topology(Topology.MESH).maxAgents(1).build();

        assertThat(router.validateTopology(config).valid()).isFalse();
        assertThatThrownBy(() -> router.selectCoordinator(config))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MESH");
        assertThat(router.getMetrics().validationErrors()).isEqualTo(1);
        assertThat(router.getMetrics().totalSelections()).isZero();
    }

    @Test
    void getRecommendedTopology_cutsBetweenSevenAndEight_andRefusesNonsense() {
        assertThat(router.getRecommendedTopology(1)).isEqualTo(Topology.MESH);
        assertThat(router.getRecommendedTopology(7)).isEqualTo(Topology.MESH);
        assertThat(router.getRecommendedTopology(8)).isEqualTo(Topology.HIERARCHICAL);
        assertThatThrownBy(() -> router.getRecommendedTopology(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }

    @Test
    void factoryCreate_alwaysBuildsTheHierarchy_withTheConfiguredSettings() {
        HierarchicalCoordinatorConfig settings = HierarchicalCoordinatorConfig.builder()
                .fanOut(4).workStealing(false).build();
        ICoordinator swarm = CoordinatorFactory.create(SwarmConfig.builder()
                .topology(Topology.MESH).maxAgents(3).hierarchicalConfig(settings).build());
        built.add(swarm);

        assertThat(swarm).isInstanceOf(HierarchicalCoordinator.class);
        assertThat(((HierarchicalCoordinator) swarm).hierarchicalConfig()).isSameAs(settings);
    }

    @Test
    void swarmConfig_defaultsToTheDefaultHierarchySettings_andKeepsThemInToBuilder() {
        SwarmConfig defaults = SwarmConfig.builder().build();
        HierarchicalCoordinatorConfig custom = HierarchicalCoordinatorConfig.builder()
                .queueCapacity(10).build();

        assertThat(defaults.hierarchicalConfig().fanOut())
                .isEqualTo(HierarchicalCoordinatorConfig.DEFAULT_FAN_OUT);
        assertThat(defaults.toBuilder().hierarchicalConfig(custom).build().toBuilder().build()
                .hierarchicalConfig()).isSameAs(custom);
        assertThatThrownBy(() -> SwarmConfig.builder().hierarchicalConfig(null))
                .isInstanceOf(NullPointerException.class).hasMessage("config");
    }
}
