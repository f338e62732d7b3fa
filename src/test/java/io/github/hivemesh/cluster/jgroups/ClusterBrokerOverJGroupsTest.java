package io.github.hivemesh.cluster.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageBrokerConfig;
import io.github.hivemesh.cluster.ClusterMessageBroker;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.testing.ClusterFixture;
import io.github.hivemesh.wire.PayloadCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The cluster broker over the JGroups engine: two members over TCP on 127.0.0.1 with the
 * fixture's short timeouts, each with an in-process broker on its own threads.
 */
class ClusterBrokerOverJGroupsTest {

    private static ClusterMessageBroker member(String cluster, List<Integer> ports, int index) {
        ClusterTransport transport = ClusterTransport.create(ClusterFixture.fast(cluster,
                "m" + index, ports, index).build());
        return ClusterMessageBroker.start(transport,
                new InProcessMessageBroker(MessageBrokerConfig.builder()
                        .closeTimeout(Duration.ofSeconds(2)).build()),
                PayloadCodec.defaults(), DecodeLimits.DEFAULT);
    }

    @Test
    void wireMessagesCrossMembers_bothWays_inOrder_andAnEchoComesBack() {
        String name = ClusterFixture.freshClusterName();
        List<Integer> ports = ClusterFixture.freePorts(2);
        List<Long> echoed = new CopyOnWriteArrayList<>();
        List<Object> arrived = new CopyOnWriteArrayList<>();
        try (ClusterMessageBroker first = member(name, ports, 0);
                ClusterMessageBroker second = member(name, ports, 1)) {
            first.onPeerMessage("a", message -> echoed.add((Long) message.payload()));
            second.onPeerMessage("b", message -> {
                arrived.add(message.payload());
                if (message.payload() instanceof UserMail mail) {
                    second.sendControl("b", "a", Message.of("echo", mail.epoch()));
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> first.isRegistered("b")
                    && second.isRegistered("a"));
            assertThat(first.hostOf("b")).contains(second.self());

            List<Long> expected = new ArrayList<>();
            for (long n = 0; n < 200; n++) {
                expected.add(n);
                assertThat(first.sendToPeer("a", "b", Message.of(UserMail.TYPE,
                        new UserMail("a", "b", "note", List.of("n", n), "m0.root", n))))
                        .isCompleted();
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> echoed.size() == 200);
            assertThat(echoed).containsExactlyElementsOf(expected);
            assertThat(arrived).first().isEqualTo(
                    new UserMail("a", "b", "note", List.of("n", 0L), "m0.root", 0));
            assertThat(first.clusterMetrics().dropped()).isZero();
            assertThat(second.clusterMetrics().refusedOnArrival()).isZero();

            second.removePeer("b");
            await().atMost(Duration.ofSeconds(20)).until(() -> !first.isRegistered("b"));
        }
    }
}
