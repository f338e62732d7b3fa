package io.github.hivemesh.cluster.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.ClusterView;
import io.github.hivemesh.cluster.MemberId;
import io.github.hivemesh.testing.ClusterFixture;
import io.github.hivemesh.testing.RecordingListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.EmptyMessage;
import org.jgroups.JChannel;
import org.jgroups.stack.Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JGroups transport over TCP on loopback: views, FIFO per pair, exact counts, drops. */
class JGroupsTransportTest {

    private static ClusterFixture cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ClusterFixture.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JGroupsTransport jgroups(int index) {
        return (JGroupsTransport) cluster.transport(index);
    }

    @Test
    void threeMembers_formOneView_withTheSameIdAndCoordinator() {
        ClusterView first = cluster.transport(0).view();
        assertThat(first.members()).containsExactlyInAnyOrderElementsOf(cluster.ids());
        for (int i = 0; i < 3; i++) {
            ClusterView view = cluster.transport(i).view();
            assertThat(view.id()).isEqualTo(first.id());
            assertThat(view.members()).isEqualTo(first.members());
            assertThat(view.merge()).isFalse();
            assertThat(view.fenced()).isEmpty();
            assertThat(cluster.listener(i).violations()).isEmpty();
            assertThat(cluster.id(i).name()).isEqualTo("m" + i);
        }
        assertThat(first.coordinator()).isEqualTo(cluster.id(0));
    }

    @Test
    void defaultStack_isTcpXmlsProtocols_withDiagnosticsOff() {
        JChannel channel = jgroups(0).channel();
        assertThat(channel.getProtocolStack().getProtocols().stream().map(Protocol::getName)
                .collect(Collectors.toList()))
                .containsExactly("FRAG2", "UFC", "MFC", "GMS", "STABLE", "UNICAST3", "NAKACK2",
                        "VERIFY_SUSPECT2", "FD_ALL3", "FD_SOCK2", "MERGE3", "TCPPING", "TCP");
        assertThat(channel.getProtocolStack().getTransport().getDiagnosticsHandler().isEnabled())
                .isFalse();
        assertThat(channel.getProtocolStack().getTransport().getDiagnosticsHandler().isRunning())
                .isFalse();
        assertThat(channel.getProtocolStack().getTransport().getBindAddr().isLoopbackAddress())
                .isTrue();
    }

    @Test
    void concurrentSenders_unicastAndSendToAll_exactCountsAndFifoPerPair() throws Exception {
        int perLane = 300;
        Map<Integer, List<String>> expected = new HashMap<>();
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        String run = "run" + System.nanoTime() + "|";
        for (int s = 0; s < 3; s++) {
            for (int lane = 0; lane < 2; lane++) {
                int sender = s;
                int l = lane;
                senders.add(CompletableFuture.runAsync(() -> {
                    ClusterTransport transport = cluster.transport(sender);
                    for (int n = 0; n < perLane; n++) {
                        byte[] payload = text(run + sender + "|" + l + "|" + n);
                        if (n % 3 == 0) {
                            assertThat(transport.sendToAll(payload)).hasSize(2);
                        } else {
                            MemberId to = cluster.id((sender + 1 + n % 2) % 3);
                            assertThat(transport.send(to, payload)).isTrue();
                        }
                    }
                }));
            }
        }
        CompletableFuture.allOf(senders.toArray(CompletableFuture<?>[]::new)).get();
        // what each receiver must get from each (sender, lane), in order
        for (int receiver = 0; receiver < 3; receiver++) {
            for (int s = 0; s < 3; s++) {
                if (s == receiver) {
                    continue;
                }
                for (int lane = 0; lane < 2; lane++) {
                    List<String> lanes = new ArrayList<>();
                    for (int n = 0; n < perLane; n++) {
                        boolean toAll = n % 3 == 0;
                        if (toAll || (s + 1 + n % 2) % 3 == receiver) {
                            lanes.add(run + s + "|" + lane + "|" + n);
                        }
                    }
                    expected.put(receiver * 100 + s * 10 + lane, lanes);
                }
            }
        }
        for (int receiver = 0; receiver < 3; receiver++) {
            int r = receiver;
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (int s = 0; s < 3; s++) {
                    if (s == r) {
                        continue;
                    }
                    List<String> fromS = cluster.listener(r).textsFrom(cluster.id(s)).stream()
                            .filter(t -> t.startsWith(run)).collect(Collectors.toList());
                    for (int lane = 0; lane < 2; lane++) {
                        String prefix = run + s + "|" + lane + "|";
                        assertThat(fromS.stream().filter(t -> t.startsWith(prefix)))
                                .as("receiver %d from sender %d lane %d, in order", r, s, lane)
                                .containsExactlyElementsOf(expected.get(r * 100 + s * 10 + lane));
                    }
                }
            });
            assertThat(cluster.listener(r).violations()).isEmpty();
        }
    }

    @Test
    void badInputFromTheWire_isDroppedAndCounted_andDeliveryGoesOn() throws Exception {
        JChannel raw = jgroups(0).channel();
        JGroupsTransport target = jgroups(1);
        Address to = target.channel().getAddress();
        long before = target.metrics().droppedMalformed();
        long oversizedBefore = target.metrics().droppedOversized();
        raw.send(new EmptyMessage(to));
        raw.send(new BytesMessage(to, new byte[] {1, 2, 3}));
        raw.send(new BytesMessage(to, new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 0, 42}));
        byte[] huge = new byte[WireFrame.HEADER + ClusterConfig.DEFAULT_MAX_MESSAGE_SIZE + 1];
        huge[0] = WireFrame.PLAIN;
        raw.send(new BytesMessage(to, huge));
        String marker = "after-the-garbage-" + System.nanoTime();
        assertThat(cluster.transport(0).send(cluster.id(1), text(marker))).isTrue();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(cluster.listener(1).textsFrom(cluster.id(0))).contains(marker));
        assertThat(target.metrics().droppedMalformed() - before).isEqualTo(3);
        assertThat(target.metrics().droppedOversized() - oversizedBefore).isEqualTo(1);
        assertThat(cluster.transport(1).view().size()).isEqualTo(3);
    }

    @Test
    void misuse_failsClearly() {
        ClusterTransport transport = cluster.transport(0);
        assertThatThrownBy(() -> transport.send(cluster.id(0), text("self")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("itself");
        assertThatThrownBy(() -> transport.send(cluster.id(1),
                new byte[ClusterConfig.DEFAULT_MAX_MESSAGE_SIZE + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMessageSize");
        assertThatThrownBy(() -> transport.start(new RecordingListener()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("starts once");
        assertThat(transport.send(new MemberId("stranger", 1), text("x"))).isFalse();

        ClusterTransport unstarted = ClusterTransport.create(ClusterFixture.fast("x", "y",
                List.of(1), 0).build());
        assertThatThrownBy(unstarted::self).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(unstarted::view).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> unstarted.send(cluster.id(1), text("x")))
                .isInstanceOf(IllegalStateException.class);
        unstarted.close();
        assertThat(unstarted.toString()).contains("y");
    }
}
