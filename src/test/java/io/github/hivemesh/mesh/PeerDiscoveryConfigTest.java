package io.github.hivemesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.BadValue;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class PeerDiscoveryConfigTest {

    @Test
    void defaults_areConsistent() {
        PeerDiscoveryConfig config = PeerDiscoveryConfig.defaults();

        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.peerTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.discoveryInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.evictionTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.enableArtifactSharing()).isFalse();
        assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
    }

    @Test
    void build_badValues_failNamingFieldValueAndBound() {
        assertThatThrownBy(() -> PeerDiscoveryConfig.builder().heartbeatInterval(Duration.ZERO)
                .build()).hasMessage("heartbeatInterval must be a positive duration up to "
                        + "PT87600H, was PT0S");
        assertThatThrownBy(() -> PeerDiscoveryConfig.builder()
                .heartbeatInterval(Duration.ofSeconds(5)).peerTimeout(Duration.ofSeconds(3))
                .build())
                .hasMessage("peerTimeout must be greater than heartbeatInterval (PT5S), was PT3S");
        assertThatThrownBy(() -> PeerDiscoveryConfig.builder()
                .evictionTimeout(Duration.ofSeconds(10)).build())
                .hasMessage("evictionTimeout must be at least peerTimeout (PT15S), was PT10S");
        assertThatThrownBy(() -> PeerDiscoveryConfig.builder().discoveryInterval(null))
                .hasMessage("interval");
    }

    static List<BadValue<PeerDiscoveryConfig.Builder>> badValues() {
        return List.of(
                BadValue.of("heartbeatInterval", Duration.ofSeconds(-1),
                        PeerDiscoveryConfig.Builder::heartbeatInterval),
                BadValue.of("peerTimeout", Duration.ZERO, PeerDiscoveryConfig.Builder::peerTimeout),
                BadValue.of("peerTimeout", Duration.ofDays(3651),
                        PeerDiscoveryConfig.Builder::peerTimeout),
                BadValue.of("discoveryInterval", Duration.ZERO,
                        PeerDiscoveryConfig.Builder::discoveryInterval),
                BadValue.of("discoveryInterval", Duration.ofDays(3651),
                        PeerDiscoveryConfig.Builder::discoveryInterval),
                BadValue.of("evictionTimeout", Duration.ofSeconds(-1),
                        PeerDiscoveryConfig.Builder::evictionTimeout),
                BadValue.of("evictionTimeout", Duration.ofDays(3651),
                        PeerDiscoveryConfig.Builder::evictionTimeout));
    }

    @TestFactory
    Stream<DynamicTest> build_rejectsEachBadValue_namingFieldValueAndRange() {
        return BadValue.rejectedAtBuild(PeerDiscoveryConfig::builder,
                PeerDiscoveryConfig.Builder::build, badValues());
    }
}
