package io.github.hivemesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.mesh.MeshCoordinatorConfig;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.testing.BadValue;
import io.github.hivemesh.wire.PayloadCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void forceWireEncoding_isOffByDefault_thePropertySetsTheDefault_andTheBuilderWins() {
        String property = SwarmConfig.FORCE_WIRE_ENCODING_PROPERTY;
        String before = System.getProperty(property);
        try {
            System.clearProperty(property);
            SwarmConfig plain = SwarmConfig.builder().build();
            assertThat(plain.forceWireEncoding()).isFalse();
            assertThat(plain.payloadCodec()).isSameAs(PayloadCodec.defaults());
            assertThat(plain.toString()).doesNotContain("forceWireEncoding");

            System.setProperty(property, " TRUE ");
            SwarmConfig forced = SwarmConfig.builder().build();
            assertThat(forced.forceWireEncoding()).isTrue();
            assertThat(forced.toString()).contains("forceWireEncoding=true");
            assertThat(SwarmConfig.builder().forceWireEncoding(false).build()
                    .forceWireEncoding()).isFalse();

            System.setProperty(property, "yes");
            assertThatThrownBy(() -> SwarmConfig.builder().build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(property).hasMessageContaining("'yes'");
            // a builder that chose does not read the property
            SwarmConfig chosen = SwarmConfig.builder().forceWireEncoding(true).build();
            assertThat(chosen.toBuilder().build().forceWireEncoding()).isTrue();

            System.setProperty(property, "false");
            assertThat(SwarmConfig.builder().build().forceWireEncoding()).isFalse();
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
        assertThatThrownBy(() -> SwarmConfig.builder().payloadCodec(null))
                .isInstanceOf(NullPointerException.class).hasMessage("codec");
    }

    @Test
    void aForcedSwarm_carriesPayloadsAndOutputs_throughTheConfiguredCodec() {
        AtomicInteger encoded = new AtomicInteger();
        AtomicInteger decoded = new AtomicInteger();
        PayloadCodec counting = new PayloadCodec() {
            @Override
            public byte[] encode(Object value) {
                encoded.incrementAndGet();
                return PayloadCodec.defaults().encode(value);
            }

            @Override
            public Object decode(byte[] bytes, DecodeLimits limits) {
                decoded.incrementAndGet();
                return PayloadCodec.defaults().decode(bytes, limits);
            }
        };
        for (Topology topology : List.of(Topology.MESH, Topology.HIERARCHICAL)) {
            encoded.set(0);
            decoded.set(0);
            try (ICoordinator swarm = CoordinatorFactory.createWithTopology(SwarmConfig.builder()
                    .topology(topology).maxAgents(2).forceWireEncoding(true)
                    .payloadCodec(counting).build())) {
                swarm.initialize().join();
                swarm.spawnAgent(AgentDefinition.builder().id("a").capabilities("t")
                        .session(ctx -> List.of(ctx.task().payload(), "out")).build()).join();

                TaskResult result = swarm.submitTask(Task.builder().type("t")
                        .requiredCapabilities("t").payload("in").build()).join();

                assertThat(result.output()).as("%s", topology).isEqualTo(List.of("in", "out"));
                // the payload at admission and on its way, the output on its way back
                assertThat(encoded.get()).as("%s", topology).isGreaterThanOrEqualTo(3);
                assertThat(decoded.get()).as("%s", topology).isGreaterThanOrEqualTo(2);
            }
        }
    }
}
