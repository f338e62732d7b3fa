package io.github.hivemesh.cluster.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.ClusterException;
import io.github.hivemesh.cluster.ClusterTls;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.TlsRequiredException;
import io.github.hivemesh.testing.ClusterFixture;
import io.github.hivemesh.testing.RecordingListener;
import io.github.hivemesh.testing.TestCertificates;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.protocols.TCP;
import org.jgroups.util.TLSClientAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Mutual TLS on the JGroups TCP transport, with a CA and member certificates the test makes:
 * members certified by the cluster's CA form a cluster; a member with a certificate from
 * another CA, or without TLS, cannot join it and hears nothing from it; {@code requireTls}
 * refuses to start in plaintext.
 */
class JGroupsTlsTest {

    @TempDir
    Path dir;

    private final List<ClusterTransport> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (ClusterTransport transport : started) {
            transport.close();
        }
    }

    private ClusterTransport start(ClusterConfig config, RecordingListener listener) {
        ClusterTransport transport = ClusterTransport.create(config);
        started.add(transport);
        transport.start(listener);
        return transport;
    }

    /** Two members certified by {@code ca}, on ports 0 and 1 of {@code ports}. */
    private List<RecordingListener> tlsCluster(String cluster, List<Integer> ports,
            TestCertificates ca) {
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RecordingListener listener = new RecordingListener();
            listeners.add(listener);
            start(ClusterFixture.fast(cluster, "m" + i, ports, i).tls(ca.member("m" + i))
                    .requireTls(true).build(), listener);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> started.get(0).view().size() == 2
                && started.get(1).view().size() == 2);
        return listeners;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void certifiedMembers_formACluster_overMutualTls() {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        List<RecordingListener> listeners = tlsCluster(ClusterFixture.freshClusterName(),
                ClusterFixture.freePorts(2), ca);
        TCP tcp = (TCP) ((JGroupsTransport) started.get(0)).channel().getProtocolStack()
                .getTransport();
        assertThat(tcp.tls().enabled()).isTrue();
        assertThat(tcp.tls().getClientAuth()).isEqualTo(TLSClientAuth.NEED);
        assertThat(tcp.tls().getProtocols()).containsExactly("TLSv1.3");

        assertThat(started.get(0).send(started.get(1).self(), text("over tls"))).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(listeners.get(1).textsFrom(started.get(0).self()))
                        .containsExactly("over tls"));
    }

    @Test
    void aMemberWithAnUntrustedCertificate_cannotJoin_andDeliversNothing() {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        TestCertificates rogue = TestCertificates.authority(dir, "rogue-ca");
        String cluster = ClusterFixture.freshClusterName();
        List<Integer> ports = ClusterFixture.freePorts(3);
        List<RecordingListener> listeners = tlsCluster(cluster, ports, ca);

        // certified by another CA, though it trusts the cluster's CA itself
        RecordingListener intruderSees = new RecordingListener();
        ClusterTransport intruder = start(ClusterFixture.fast(cluster, "intruder", ports, 2)
                .tls(rogue.member("intruder", ca)).build(), intruderSees);

        assertThat(intruder.view().members()).containsExactly(intruder.self());
        assertThat(intruder.sendToAll(text("let me in"))).isEmpty();
        started.get(0).sendToAll(text("members only"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(listeners.get(1).textsFrom(started.get(0).self()))
                        .contains("members only"));
        assertThat(intruderSees.messages()).isEmpty();
        assertThat(intruder.view().size()).isEqualTo(1);
        for (int i = 0; i < 2; i++) {
            assertThat(started.get(i).view().members()).doesNotContain(intruder.self())
                    .hasSize(2);
        }
    }

    @Test
    void aPlaintextMember_cannotTalkToATlsCluster() {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        String cluster = ClusterFixture.freshClusterName();
        List<Integer> ports = ClusterFixture.freePorts(3);
        List<RecordingListener> listeners = tlsCluster(cluster, ports, ca);

        RecordingListener plainSees = new RecordingListener();
        ClusterTransport plain = start(ClusterFixture.fast(cluster, "plain", ports, 2).build(),
                plainSees);
        assertThat(plain.view().members()).containsExactly(plain.self());
        started.get(1).sendToAll(text("members only"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(listeners.get(0).textsFrom(started.get(1).self()))
                        .contains("members only"));
        assertThat(plainSees.messages()).isEmpty();
        assertThat(started.get(0).view().members()).doesNotContain(plain.self());
    }

    @Test
    void requireTls_refusesToStartWithoutMutualTls() throws Exception {
        assertThatThrownBy(() -> ClusterConfig.builder().requireTls(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plaintext");

        int port = ClusterFixture.freePorts(1).get(0);
        Path plainXml = stackXml("plain.xml", port, "");
        ClusterTransport plain = ClusterTransport.create(ClusterConfig.builder()
                .clusterName(ClusterFixture.freshClusterName()).stackXml(plainXml)
                .requireTls(true).build());
        assertThatThrownBy(() -> plain.start(new RecordingListener()))
                .isInstanceOf(TlsRequiredException.class).hasMessageContaining("TLS off");

        TestCertificates ca = TestCertificates.authority(dir, "ca");
        Path oneWayXml = stackXml("one-way.xml", port, " tls.enabled=\"true\" "
                + "tls.client_auth=\"NONE\" tls.keystore_path=\"" + ca.memberKeyStore("x")
                + "\" tls.keystore_password=\"" + new String(TestCertificates.PASSWORD) + "\"");
        ClusterTransport oneWay = ClusterTransport.create(ClusterConfig.builder()
                .clusterName(ClusterFixture.freshClusterName()).stackXml(oneWayXml)
                .requireTls(true).build());
        assertThatThrownBy(() -> oneWay.start(new RecordingListener()))
                .isInstanceOf(TlsRequiredException.class)
                .hasMessageContaining("client_auth=NONE");
    }

    @Test
    void aStackXml_isUsed_withDiagnosticsForcedOff() throws Exception {
        int port = ClusterFixture.freePorts(1).get(0);
        Path xml = stackXml("stack.xml", port, " diag.enabled=\"true\"");
        RecordingListener listener = new RecordingListener();
        ClusterTransport transport = start(ClusterConfig.builder()
                .clusterName(ClusterFixture.freshClusterName()).memberName("x")
                .stackXml(xml).build(), listener);
        var tp = ((JGroupsTransport) transport).channel().getProtocolStack().getTransport();
        assertThat(tp.getBindPort()).isEqualTo(port);
        assertThat(tp.getDiagnosticsHandler().isRunning()).isFalse();
        assertThat(listener.views()).hasSize(1);
    }

    @Test
    void unreadableStores_failAtStart_namingTheFile() throws Exception {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        ClusterTls wrongPassword = ClusterTls.builder()
                .keyStore(ca.memberKeyStore("m"), "PKCS12", "wrong".toCharArray())
                .trustStore(ca.trustStore(), "PKCS12", TestCertificates.PASSWORD).build();
        ClusterTransport transport = ClusterTransport.create(ClusterFixture.fast(
                ClusterFixture.freshClusterName(), "m", ClusterFixture.freePorts(1), 0)
                .tls(wrongPassword).build());
        assertThatThrownBy(() -> transport.start(new RecordingListener()))
                .isInstanceOf(ClusterException.class).hasMessageContaining("keys.p12");

        Path empty = dir.resolve("empty.p12");
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (var out = Files.newOutputStream(empty)) {
            store.store(out, TestCertificates.PASSWORD);
        }
        assertThatThrownBy(() -> ClusterTls.builder()
                .keyStore(empty, "PKCS12", TestCertificates.PASSWORD)
                .trustStore(ca.trustStore(), "PKCS12", TestCertificates.PASSWORD).build()
                .sslContext()).isInstanceOf(ClusterException.class)
                .hasMessageContaining("no private key");
        assertThatThrownBy(() -> ClusterTls.builder()
                .keyStore(ca.memberKeyStore("m"), "PKCS12", TestCertificates.PASSWORD)
                .trustStore(empty, "PKCS12", TestCertificates.PASSWORD).build()
                .sslContext()).isInstanceOf(ClusterException.class)
                .hasMessageContaining("no certificate");
    }

    @Test
    void bindingOrAdvertisingBeyondLoopbackWithoutTls_logsAWarning() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(JGroupsTransport.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Level level = logger.getLevel();
        logger.setLevel(Level.WARN);
        logger.setAdditive(false);                    // keep the expected warnings off stderr
        try {
            InetAddress exposed = InetAddress.getByAddress(new byte[] {10, 1, 2, 3});
            assertThat(JGroupsTransport.warnIfExposed(exposed, false)).isTrue();
            assertThat(JGroupsTransport.warnIfExposed(exposed, true)).isFalse();
            assertThat(JGroupsTransport.warnIfExposed(InetAddress.getLoopbackAddress(), false))
                    .isFalse();
            assertThat(JGroupsTransport.warnIfExposed(null, false)).isTrue();
            assertThat(appender.list).hasSize(2).allSatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("without TLS")
                        .contains("requireTls");
            });
            assertThat(appender.list.get(0).getFormattedMessage()).contains("10.1.2.3");

            // bound to loopback but advertised beyond it: something forwards to it
            InetAddress loopback = InetAddress.getLoopbackAddress();
            assertThat(JGroupsTransport.reachableAt(loopback, exposed)).isEqualTo(exposed);
            assertThat(JGroupsTransport.reachableAt(loopback, loopback)).isEqualTo(loopback);
            assertThat(JGroupsTransport.reachableAt(loopback, null)).isEqualTo(loopback);
            assertThat(JGroupsTransport.reachableAt(exposed, loopback)).isEqualTo(exposed);
            assertThat(JGroupsTransport.reachableAt(null, exposed)).isNull();
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
            logger.setAdditive(true);
        }
    }

    /** A TCP stack from JGroups' tcp.xml protocols, bound to 127.0.0.1 at {@code port}. */
    private Path stackXml(String name, int port, String tcpAttributes) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                <config xmlns="urn:org:jgroups">
                  <TCP bind_addr="127.0.0.1" bind_port="%d" port_range="0"%s/>
                  <TCPPING initial_hosts="127.0.0.1[%d]" port_range="0"/>
                  <MERGE3 min_interval="1s" max_interval="3s"/>
                  <FD_SOCK2/>
                  <FD_ALL3 timeout="3s" interval="1s"/>
                  <VERIFY_SUSPECT2 timeout="500ms"/>
                  <pbcast.NAKACK2 use_mcast_xmit="false"/>
                  <UNICAST3/>
                  <pbcast.STABLE/>
                  <pbcast.GMS print_local_addr="false" join_timeout="300ms"/>
                  <MFC/>
                  <UFC/>
                  <FRAG2/>
                </config>
                """.formatted(port, tcpAttributes, port));
        return file;
    }
}
