package io.github.hivemesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

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
                .build()).hasMessage("heartbeatInterval must be a positive duration, was PT0S");
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
}
