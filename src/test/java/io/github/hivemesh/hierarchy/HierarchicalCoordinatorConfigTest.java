package io.github.hivemesh.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.BadValue;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class HierarchicalCoordinatorConfigTest {

    @Test
    void defaults_areTheDocumentedOnes() {
        HierarchicalCoordinatorConfig config = HierarchicalCoordinatorConfig.defaults();

        assertThat(config.fanOut()).isEqualTo(32);
        assertThat(config.queueCapacity()).isEqualTo(1_000_000);
        assertThat(config.workStealing()).isTrue();
        assertThat(config.maxConcurrentTasksPerWorker()).isEqualTo(4);
        assertThat(config.completionTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void toBuilder_keepsEveryValue() {
        HierarchicalCoordinatorConfig config = HierarchicalCoordinatorConfig.builder()
                .fanOut(8).queueCapacity(100).workStealing(false).maxConcurrentTasksPerWorker(2)
                .completionTimeout(Duration.ofSeconds(3)).build();

        HierarchicalCoordinatorConfig copy = config.toBuilder().build();

        assertThat(copy.toString()).isEqualTo(config.toString())
                .contains("fanOut=8", "queueCapacity=100", "workStealing=false",
                        "maxConcurrentTasksPerWorker=2", "PT3S");
    }

    @Test
    void build_namesTheFieldTheValueAndTheRange() {
        assertThatThrownBy(() -> HierarchicalCoordinatorConfig.builder().fanOut(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fanOut must be in [1, 100000], was 0");
        assertThatThrownBy(() -> HierarchicalCoordinatorConfig.builder().queueCapacity(-5)
                .build()).hasMessage("queueCapacity must be in [1, 100000000], was -5");
        assertThatThrownBy(() -> HierarchicalCoordinatorConfig.builder()
                .maxConcurrentTasksPerWorker(10_001).build())
                .hasMessage("maxConcurrentTasksPerWorker must be in [1, 10000], was 10001");
        assertThatThrownBy(() -> HierarchicalCoordinatorConfig.builder()
                .completionTimeout(Duration.ZERO).build())
                .hasMessageContaining("completionTimeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> HierarchicalCoordinatorConfig.builder().completionTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("timeout");
    }

    static List<BadValue<HierarchicalCoordinatorConfig.Builder>> badValues() {
        return List.of(
                BadValue.of("fanOut", 100_001, HierarchicalCoordinatorConfig.Builder::fanOut),
                BadValue.of("queueCapacity", 100_000_001,
                        HierarchicalCoordinatorConfig.Builder::queueCapacity),
                BadValue.of("maxConcurrentTasksPerWorker", 0,
                        HierarchicalCoordinatorConfig.Builder::maxConcurrentTasksPerWorker),
                BadValue.of("completionTimeout", Duration.ofMillis(-1),
                        HierarchicalCoordinatorConfig.Builder::completionTimeout));
    }

    @TestFactory
    Stream<DynamicTest> build_rejectsEachBadValue_namingFieldValueAndRange() {
        return BadValue.rejectedAtBuild(HierarchicalCoordinatorConfig::builder,
                HierarchicalCoordinatorConfig.Builder::build, badValues());
    }

    @Test
    void hierarchyMetrics_imbalanceIsMaxOverMean() {
        HierarchyMetrics metrics = new HierarchyMetrics(2, 0, 0, 0, 0, 0,
                java.util.Map.of("team-0", 30L, "team-1", 10L),
                java.util.Map.of("a", 10L, "b", 10L, "c", 10L, "d", 10L));
        HierarchyMetrics idle = new HierarchyMetrics(0, 0, 0, 0, 0, 0, java.util.Map.of(),
                java.util.Map.of("a", 0L));

        assertThat(metrics.teamImbalance()).isEqualTo(1.5);
        assertThat(metrics.workerImbalance()).isEqualTo(1.0);
        assertThat(idle.teamImbalance()).isZero();
        assertThat(idle.workerImbalance()).isZero();
    }

    @Test
    void queueFullException_namesSwarmTaskAndCapacity() {
        QueueFullException e = new QueueFullException("s", "t-1", 7);

        assertThat(e.capacity()).isEqualTo(7);
        assertThat(e).hasMessageContaining("'s'").hasMessageContaining("'t-1'")
                .hasMessageContaining("7").hasMessageContaining("queueCapacity");
    }
}
