package io.github.hivemesh.cluster.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.ClusterTransportMetrics;
import io.github.hivemesh.testing.ClusterFixture;
import io.github.hivemesh.testing.RecordingListener;
import io.github.hivemesh.testing.TamperingProxy;
import io.github.hivemesh.testing.TamperingProxy.Direction;
import io.github.hivemesh.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TCP;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A man in the middle who flips one bit between two members. Each member has a
 * {@link TamperingProxy} in front of it, advertises the proxy's address
 * ({@link ClusterConfig#advertisedAddress()}) and lists both proxies as initial members, so
 * every byte of the transport between them crosses a proxy whichever side opens the
 * connection (JGroups uses one connection both ways, so a single proxy could be bypassed).
 * FD_SOCK2's own sockets do not cross them: they carry liveness only, not messages.
 *
 * <p>Over mutual TLS the flipped bit lands inside an {@code application_data} record's
 * ciphertext; the receiver's TLS fails the record's AEAD tag ({@code AEADBadTagException},
 * which JGroups' TCP logs; the sender gets the {@code bad_record_mac} alert) and the
 * connection closes, so the altered bytes never reach JGroups, let alone a listener.
 * JGroups opens a new connection at its next send; UNICAST3 retransmits whatever the
 * broken connection lost, intact — so a message sent while the tamper was armed may well
 * arrive, which is fine and expected: what must never arrive is one whose bytes differ from
 * what was sent. In plaintext the same flip is delivered, altered: nothing below the listener
 * checks the bytes (the second test documents what plaintext does not protect).
 */
class TlsTamperingTest {

    private static final String MARKER = "payload=";
    /** Long enough that the reconnect never costs a view change on a loaded machine. */
    private static final Duration SUSPECT_AFTER = Duration.ofSeconds(5);
    private static final Duration HEARTBEAT = Duration.ofMillis(500);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<ClusterTransport> transports = new ArrayList<>();
    private final List<RecordingListener> listeners = new ArrayList<>();
    private final List<TamperingProxy> proxies = new ArrayList<>();
    /** Every text any member sent, added before it is sent. */
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    /** JGroups' TCP logs why a connection broke (at WARN, with the exception). */
    private final Logger tcpLog = (Logger) LoggerFactory.getLogger(TCP.class);
    private final ListAppender<ILoggingEvent> tcpEvents = new ListAppender<>();
    private Level tcpLevel;

    @BeforeEach
    void recordTcpWarnings() {
        tcpEvents.start();
        tcpLog.addAppender(tcpEvents);
        tcpLevel = tcpLog.getLevel();
        tcpLog.setLevel(Level.WARN);
        tcpLog.setAdditive(false);                    // the broken connection's logs are expected
    }

    @AfterEach
    void closeAll() {
        for (ClusterTransport transport : transports) {
            transport.close();
        }
        for (TamperingProxy proxy : proxies) {
            proxy.close();
        }
        tcpLog.detachAppender(tcpEvents);
        tcpLog.setLevel(tcpLevel);
        tcpLog.setAdditive(true);
    }

    @Test
    void aFlippedBitInATlsRecord_closesTheConnection_andNoAlteredMessageIsDelivered() {
        TestCertificates ca = TestCertificates.authority(dir, "ca");
        startBehindProxies((i, b) -> b.tls(ca.member(name(i))).requireTls(true));
        exchange("before");

        // member 0's bytes to member 1 go through member 1's proxy if member 0 opened the
        // connection, back through member 0's own if member 1 did: arm both, keep the first
        proxies.get(1).armTls(Direction.TO_TARGET);
        proxies.get(0).armTls(Direction.FROM_TARGET);
        for (int k = 0; k < 10; k++) {
            send(0, 1, text(0, "during", k));
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> flipped() > 0);
        proxies.forEach(TamperingProxy::disarm);
        await().atMost(WAIT).untilAsserted(() -> assertThat(closedAfterFlip())
                .as("connections closed after a flip, %s", proxies).isPositive());
        await().atMost(WAIT).untilAsserted(() -> assertThat(tcpEvents.list)
                .as("the receiver's TLS failed the record's tag")
                .anySatisfy(e -> assertThat(causes(e.getThrowableProxy()))
                        .contains("javax.crypto.AEADBadTagException")));

        exchange("after");
        assertOnlySentTextsArrived();
        for (ClusterTransport transport : transports) {
            ClusterTransportMetrics metrics = transport.metrics();
            // an altered record that got past TLS would have failed the pair's own seal here
            assertThat(metrics.droppedUnauthenticated()).as("%s", transport).isZero();
            assertThat(metrics.droppedMalformed()).as("%s", transport).isZero();
        }
    }

    @Test
    void inPlaintext_aFlippedBit_isDeliveredAltered() {
        startBehindProxies((i, b) -> b);
        exchange("before");

        proxies.get(1).armAfter(Direction.TO_TARGET, bytes(MARKER));
        proxies.get(0).armAfter(Direction.FROM_TARGET, bytes(MARKER));
        String original = text(0, "during", 0);
        send(0, 1, original);
        await().atMost(WAIT).until(() -> flipped() > 0);
        proxies.forEach(TamperingProxy::disarm);
        String altered = original.replace(MARKER + "intact", MARKER + "hntact");
        await().atMost(WAIT).untilAsserted(() -> assertThat(listeners.get(1)
                .textsFrom(transports.get(0).self())).contains(altered));

        exchange("after");
        assertThat(closedAfterFlip()).isZero();
        assertThat(listeners.get(1).textsFrom(transports.get(0).self()))
                .doesNotContain(original);
    }

    /** Two members, each behind its proxy, in one view. */
    private void startBehindProxies(Customizer customize) {
        List<Integer> ports = ClusterFixture.freePorts(4);
        List<Integer> memberPorts = ports.subList(0, 2);
        List<String> initial = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            TamperingProxy proxy = TamperingProxy.start(ports.get(2 + i), memberPorts.get(i));
            proxies.add(proxy);
            initial.add("127.0.0.1[" + proxy.port() + "]");
        }
        String cluster = ClusterFixture.freshClusterName();
        for (int i = 0; i < 2; i++) {
            ClusterConfig config = customize.apply(i, ClusterFixture.fast(cluster, name(i),
                    memberPorts, i).initialMembers(initial)
                    .advertisedAddress(proxies.get(i).address())
                    .failureDetectionInterval(HEARTBEAT).failureDetectionTimeout(SUSPECT_AFTER))
                    .build();
            ClusterTransport transport = ClusterTransport.create(config);
            RecordingListener listener = new RecordingListener();
            transports.add(transport);
            listeners.add(listener);
            transport.start(listener);
        }
        await().atMost(WAIT).until(() -> transports.get(0).view().size() == 2
                && transports.get(1).view().size() == 2);
        for (int i = 0; i < 2; i++) {
            JChannel channel = ((JGroupsTransport) transports.get(i)).channel();
            var stack = channel.getProtocolStack();
            int proxyPort = proxies.get(i).port();
            assertThat(channel.down(new Event(Event.GET_PHYSICAL_ADDRESS, channel.getAddress())))
                    .hasToString("127.0.0.1:" + proxyPort);
            // FD_SOCK2 listens at the advertised port + 100 (+ its range), as peers expect
            assertThat(stack.<FD_SOCK2>findProtocol(FD_SOCK2.class).getActualBindPort())
                    .isBetween(proxyPort + 100, proxyPort + 103);
        }
    }

    /** Both members send {@code phase} messages to each other, and each gets all of them. */
    private void exchange(String phase) {
        await().atMost(WAIT).until(() -> transports.get(0).view().size() == 2
                && transports.get(1).view().size() == 2);
        for (int k = 0; k < 5; k++) {
            assertThat(send(0, 1, text(0, phase, k))).isTrue();
            assertThat(send(1, 0, text(1, phase, k))).isTrue();
        }
        for (int from = 0; from < 2; from++) {
            List<String> expected = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                expected.add(text(from, phase, k));
            }
            RecordingListener receiver = listeners.get(1 - from);
            var sender = transports.get(from).self();
            await().atMost(WAIT).untilAsserted(() -> assertThat(receiver.textsFrom(sender))
                    .containsAll(expected));
        }
        assertThat(proxies.get(0).accepted() + proxies.get(1).accepted())
                .as("connections through the proxies").isPositive();
    }

    private void assertOnlySentTextsArrived() {
        for (int i = 0; i < 2; i++) {
            RecordingListener listener = listeners.get(i);
            assertThat(listener.violations()).isEmpty();
            for (RecordingListener.Received received : listener.messages()) {
                assertThat(sent).as("texts sent; member %d received from %s", i,
                        received.from()).contains(received.text());
                assertThat(received.text()).startsWith(received.from().name() + "-");
            }
        }
    }

    private static List<String> causes(IThrowableProxy thrown) {
        List<String> classes = new ArrayList<>();
        for (IThrowableProxy t = thrown; t != null && classes.size() < 10; t = t.getCause()) {
            classes.add(t.getClassName());
        }
        return classes;
    }

    private boolean send(int from, int to, String text) {
        sent.add(text);
        return transports.get(from).send(transports.get(to).self(), bytes(text));
    }

    private int flipped() {
        return proxies.get(0).flipped() + proxies.get(1).flipped();
    }

    private int closedAfterFlip() {
        return proxies.get(0).closedAfterFlip() + proxies.get(1).closedAfterFlip();
    }

    private static String name(int i) {
        return "m" + i;
    }

    /** A message whose byte after {@link #MARKER} is the one the plaintext test flips. */
    private static String text(int from, String phase, int k) {
        return name(from) + "-" + phase + "-" + k + " " + MARKER + "intact";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Member {@code i}'s settings on top of the common ones. */
    @FunctionalInterface
    private interface Customizer {
        ClusterConfig.Builder apply(int index, ClusterConfig.Builder builder);
    }
}
