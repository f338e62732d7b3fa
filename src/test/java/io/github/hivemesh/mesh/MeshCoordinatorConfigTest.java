package io.github.hivemesh.mesh;

import io.github.hivemesh.testing.BadValue;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Validation of {@link MeshCoordinatorConfig} at {@code build()}, field by field (a few of its
 * messages are pinned in {@code SwarmConfigTest}).
 */
class MeshCoordinatorConfigTest {

    static List<BadValue<MeshCoordinatorConfig.Builder>> badValues() {
        return List.of(
                BadValue.of("peerCount", 0, MeshCoordinatorConfig.Builder::peerCount),
                BadValue.of("peerCount", 100_001, MeshCoordinatorConfig.Builder::peerCount),
                BadValue.of("maxConcurrentTasksPerPeer", 10_001,
                        MeshCoordinatorConfig.Builder::maxConcurrentTasksPerPeer),
                BadValue.of("discoveryInterval", Duration.ZERO,
                        MeshCoordinatorConfig.Builder::discoveryInterval),
                // a sixth of ten years: peers re-announce every six intervals
                BadValue.of("discoveryInterval", Duration.ofDays(3650).dividedBy(6).plusNanos(1),
                        MeshCoordinatorConfig.Builder::discoveryInterval),
                BadValue.of("completionTimeout", Duration.ZERO,
                        MeshCoordinatorConfig.Builder::completionTimeout),
                BadValue.of("rebalanceInterval", Duration.ofSeconds(-1),
                        MeshCoordinatorConfig.Builder::rebalanceInterval),
                BadValue.of("rebalanceInterval", Duration.ofDays(3651),
                        MeshCoordinatorConfig.Builder::rebalanceInterval),
                BadValue.of("imbalanceThreshold", 1000.5,
                        MeshCoordinatorConfig.Builder::imbalanceThreshold),
                BadValue.of("imbalanceThreshold", Double.NaN,
                        MeshCoordinatorConfig.Builder::imbalanceThreshold));
    }

    @TestFactory
    Stream<DynamicTest> build_rejectsEachBadValue_namingFieldValueAndRange() {
        return BadValue.rejectedAtBuild(MeshCoordinatorConfig::builder,
                MeshCoordinatorConfig.Builder::build, badValues());
    }
}
