package io.github.hivemesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.BadValue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaults_stayOnLoopback_withTcpXmlsPortAndShortDetection() {
        ClusterConfig config = ClusterConfig.defaults();
        assertThat(config.clusterName()).isEqualTo("hivemesh");
        assertThat(config.memberName()).startsWith("member-");
        assertThat(config.bindAddress().isLoopbackAddress()).isTrue();
        assertThat(config.bindPort()).isEqualTo(7800);
        assertThat(config.portRange()).isEqualTo(2);
        assertThat(config.advertisedAddress()).isEmpty();
        assertThat(config.initialMembers()).containsExactly(
                config.bindAddress().getHostAddress() + "[7800]");
        assertThat(config.failureDetectionInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.failureDetectionTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.suspectVerificationTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.joinTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.mergeMinInterval()).isLessThan(config.mergeMaxInterval());
        assertThat(config.maxMessageSize()).isEqualTo(16 << 20);
        assertThat(config.stackXml()).isEmpty();
        assertThat(config.transportFactory()).isEmpty();
        assertThat(config.tls()).isEmpty();
        assertThat(config.requireTls()).isFalse();
        assertThat(ClusterConfig.defaults().memberName()).isNotEqualTo(config.memberName());
    }

    static List<BadValue<ClusterConfig.Builder>> badValues() {
        return List.of(
                BadValue.of("bindPort", -1, ClusterConfig.Builder::bindPort),
                BadValue.of("bindPort", 65_536, ClusterConfig.Builder::bindPort),
                BadValue.of("portRange", 101, ClusterConfig.Builder::portRange),
                BadValue.of("advertisedAddress", InetSocketAddress.createUnresolved(
                        "nowhere.invalid", 7800), ClusterConfig.Builder::advertisedAddress),
                BadValue.of("advertisedAddress", new InetSocketAddress(7800),
                        ClusterConfig.Builder::advertisedAddress),
                BadValue.of("advertisedAddress", new InetSocketAddress(address(239, 1, 2, 3),
                        7800), ClusterConfig.Builder::advertisedAddress),
                BadValue.of("maxMessageSize", 1023, ClusterConfig.Builder::maxMessageSize),
                BadValue.of("failureDetectionInterval", Duration.ofMillis(9),
                        ClusterConfig.Builder::failureDetectionInterval),
                BadValue.of("failureDetectionInterval", Duration.ofMinutes(2),
                        ClusterConfig.Builder::failureDetectionInterval),
                BadValue.of("failureDetectionTimeout", Duration.ofMillis(19),
                        ClusterConfig.Builder::failureDetectionTimeout),
                BadValue.of("failureDetectionTimeout", Duration.ofSeconds(1),
                        ClusterConfig.Builder::failureDetectionTimeout),
                BadValue.of("suspectVerificationTimeout", Duration.ZERO,
                        ClusterConfig.Builder::suspectVerificationTimeout),
                BadValue.of("joinTimeout", Duration.ofMinutes(11),
                        ClusterConfig.Builder::joinTimeout),
                BadValue.of("mergeMinInterval", Duration.ofMillis(99),
                        ClusterConfig.Builder::mergeMinInterval),
                BadValue.of("mergeMaxInterval", Duration.ofSeconds(4),
                        ClusterConfig.Builder::mergeMaxInterval),
                BadValue.of("mergeMaxInterval", Duration.ofHours(2),
                        ClusterConfig.Builder::mergeMaxInterval));
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> build_rejectsEachBadValue_namingFieldValueAndRange() {
        return BadValue.rejectedAtBuild(ClusterConfig::builder, ClusterConfig.Builder::build,
                badValues());
    }

    @Test
    void crossFieldRules_andNames_failAtBuild() {
        assertThatThrownBy(() -> ClusterConfig.builder()
                .failureDetectionInterval(Duration.ofSeconds(3)).build())
                .hasMessage("failureDetectionTimeout must be at least 2 × "
                        + "failureDetectionInterval (PT6S), was PT5S");
        assertThatThrownBy(() -> ClusterConfig.builder().mergeMinInterval(Duration.ofSeconds(20))
                .build()).hasMessageContaining("mergeMaxInterval must be longer");
        assertThatThrownBy(() -> ClusterConfig.builder().clusterName(" ").build())
                .hasMessageContaining("clusterName");
        assertThatThrownBy(() -> ClusterConfig.builder().clusterName("x".repeat(256)).build())
                .hasMessageContaining("clusterName length");
        assertThatThrownBy(() -> ClusterConfig.builder().memberName("").build())
                .hasMessageStartingWith("memberName: ");
        assertThatThrownBy(() -> ClusterConfig.builder().memberName("é".repeat(200)).build())
                .hasMessageContaining("255 bytes");
        assertThatThrownBy(() -> ClusterConfig.builder()
                .initialMembers(List.of("127.0.0.1[7800]", "nohost")).build())
                .hasMessage("initialMembers[1] must be host[port] with a port in [1, 65535], "
                        + "was 'nohost'");
        assertThatThrownBy(() -> ClusterConfig.builder()
                .initialMembers(List.of("h[70000]")).build())
                .hasMessageContaining("initialMembers[0]");
    }

    @Test
    void stackXml_excludesTheDefaultStacksFields_andAFactory() throws Exception {
        Path xml = Files.writeString(dir.resolve("s.xml"), "<config/>");
        ClusterConfig config = ClusterConfig.builder().stackXml(xml).requireTls(true).build();
        assertThat(config.stackXml()).contains(xml.toUri().toURL());
        assertThat(ClusterConfig.builder().stackXml(new URL("file:/x.xml")).build().stackXml())
                .isPresent();
        assertThatThrownBy(() -> ClusterConfig.builder().bindPort(7900).stackXml(xml).build())
                .hasMessageStartingWith("bindPort cannot be combined with stackXml");
        assertThatThrownBy(() -> ClusterConfig.builder().stackXml(xml)
                .advertisedAddress(new InetSocketAddress(address(10, 0, 0, 1), 7800)).build())
                .hasMessageStartingWith("advertisedAddress cannot be combined with stackXml")
                .hasMessageContaining("set it there");
        assertThatThrownBy(() -> ClusterConfig.builder().stackXml(xml)
                .transportFactory(c -> null).build()).hasMessageContaining("alternatives");
        assertThat(ClusterConfig.builder().transportFactory(c -> null).requireTls(true).build()
                .requireTls()).isTrue();
    }

    @Test
    void advertisedAddress_isKept_shownAndMayLeaveThePortToTheBinding() {
        InetSocketAddress outside = new InetSocketAddress(address(203, 0, 113, 7), 17_800);
        ClusterConfig config = ClusterConfig.builder().advertisedAddress(outside).build();
        assertThat(config.advertisedAddress()).contains(outside);
        assertThat(config.toString()).contains("advertisedAddress=203.0.113.7[17800]");
        assertThat(config.toBuilder().build().advertisedAddress()).contains(outside);
        assertThat(ClusterConfig.defaults().toString()).contains("advertisedAddress=bound");
        InetSocketAddress hostOnly = new InetSocketAddress(address(203, 0, 113, 7), 0);
        assertThat(ClusterConfig.builder().advertisedAddress(hostOnly).build()
                .advertisedAddress()).contains(hostOnly);
    }

    @Test
    void toBuilder_keepsEveryValue_andToStringHidesPasswords() throws Exception {
        ClusterTls tls = ClusterTls.of(SSLContext.getDefault());
        ClusterTransportFactory factory = new SimulatedCluster(new SplittableRandom(1))
                .factory();
        ClusterConfig config = ClusterConfig.builder().clusterName("c").memberName("m")
                .bindAddress(InetAddress.getByName("127.0.0.2")).bindPort(0).portRange(5)
                .advertisedAddress(new InetSocketAddress(address(192, 0, 2, 1), 7801))
                .initialMembers(List.of("a[1]", "b[2]"))
                .failureDetectionInterval(Duration.ofMillis(100))
                .failureDetectionTimeout(Duration.ofMillis(300))
                .suspectVerificationTimeout(Duration.ofMillis(50))
                .joinTimeout(Duration.ofMillis(400)).mergeMinInterval(Duration.ofSeconds(1))
                .mergeMaxInterval(Duration.ofSeconds(2)).maxMessageSize(4096)
                .transportFactory(factory).tls(tls).requireTls(true).build();
        ClusterConfig copy = config.toBuilder().build();
        assertThat(copy.toString()).isEqualTo(config.toString());
        assertThat(copy.memberName()).isEqualTo("m");
        assertThat(ClusterConfig.defaults().toBuilder().build().memberName())
                .startsWith("member-");
        Path keys = Files.writeString(dir.resolve("k.p12"), "x");
        ClusterTls stores = ClusterTls.builder().keyStore(keys, "PKCS12", "secret1".toCharArray())
                .trustStore(keys, "PKCS12", "secret2".toCharArray()).protocols("TLSv1.2",
                        "TLSv1.3").build();
        String text = ClusterConfig.builder().tls(stores).build().toString();
        assertThat(text).contains("k.p12").doesNotContain("secret");
        assertThat(stores.keyStorePath()).contains(keys);
        assertThat(stores.trustStorePath()).contains(keys);
        assertThat(stores.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(tls.keyStorePath()).isEmpty();
        assertThat(tls.sslContext()).isSameAs(SSLContext.getDefault());
        assertThat(tls.toString()).contains("sslContext");
    }

    @Test
    void tls_builder_rejectsIncompleteOrConflictingSettings() throws Exception {
        Path keys = Files.writeString(dir.resolve("k.p12"), "x");
        char[] pw = "p".toCharArray();
        assertThatThrownBy(() -> ClusterTls.builder().build())
                .hasMessageStartingWith("keyStore must be set");
        assertThatThrownBy(() -> ClusterTls.builder().keyStore(keys, "PKCS12", pw).build())
                .hasMessageStartingWith("trustStore must be set");
        assertThatThrownBy(() -> ClusterTls.builder().keyStore(dir.resolve("missing"),
                "PKCS12", pw).trustStore(keys, "PKCS12", pw).build())
                .hasMessageStartingWith("keyStore must be a readable file");
        assertThatThrownBy(() -> ClusterTls.builder().keyStore(keys, "PKCS12", pw)
                .trustStore(dir, "PKCS12", pw).build())
                .hasMessageStartingWith("trustStore must be a readable file");
        assertThatThrownBy(() -> ClusterTls.builder().sslContext(SSLContext.getDefault())
                .keyStore(keys, "PKCS12", pw).build()).hasMessageContaining("alternatives");
        assertThatThrownBy(() -> ClusterTls.builder().sslContext(SSLContext.getDefault())
                .protocols("SSLv3").build()).hasMessageStartingWith("protocols must be");
        assertThatThrownBy(() -> ClusterTls.builder().sslContext(SSLContext.getDefault())
                .protocols().build()).hasMessageStartingWith("protocols must be");
    }

    @Test
    void memberIdsAndViews_validateTheirParts() {
        MemberId a = new MemberId("a", 0x2a);
        MemberId b = new MemberId("b", 1);
        assertThat(a).hasToString("a#2a");
        assertThat(a.compareTo(new MemberId("a", 0x2b))).isNegative();
        assertThat(b.compareTo(a)).isPositive();
        assertThatThrownBy(() -> new MemberId(" ", 1)).hasMessage("name must not be blank");
        ClusterView view = ClusterView.of(3, List.of(a, b));
        assertThat(view.coordinator()).isEqualTo(a);
        assertThat(view.size()).isEqualTo(2);
        assertThat(view.contains(b)).isTrue();
        assertThatThrownBy(() -> ClusterView.of(1, List.of()))
                .hasMessage("members must not be empty");
        assertThatThrownBy(() -> ClusterView.of(1, List.of(a, a)))
                .hasMessageContaining("must not repeat");
        assertThatThrownBy(() -> new ClusterView(1, List.of(a), false, List.of(List.of(a)),
                Set.of())).hasMessageContaining("only a merge view");
        assertThatThrownBy(() -> new ClusterView(1, List.of(a), true, List.of(List.of(a, b)),
                Set.of(a))).hasMessageContaining("fenced member is not a member");
        ClusterView merge = new ClusterView(4, List.of(a), true,
                List.of(List.of(a), List.of(b)), Set.of(b));
        assertThat(merge.fenced()).containsExactly(b);
        assertThat(merge.subgroups()).hasSize(2);
    }

    @Test
    void metrics_sumTheirDrops() {
        ClusterTransportMetrics m = new ClusterTransportMetrics(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(m.dropped()).isEqualTo(6 + 7 + 8 + 9 + 10 + 12);
    }
}
