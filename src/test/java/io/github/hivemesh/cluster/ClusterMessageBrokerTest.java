package io.github.hivemesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.broker.BroadcastException;
import io.github.hivemesh.broker.BrokerClosedException;
import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageBrokerConfig;
import io.github.hivemesh.broker.RoutingType;
import io.github.hivemesh.broker.UnknownPeerException;
import io.github.hivemesh.cluster.SimulatedCluster.SimulatedTransport;
import io.github.hivemesh.internal.wire.Signal;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.internal.wire.WireCodecs;
import io.github.hivemesh.testing.DeterministicDispatcher;
import io.github.hivemesh.wire.PayloadCodec;
import io.github.hivemesh.wire.UnsupportedPayloadException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The cluster broker over the simulated cluster: each member has a production
 * {@link ClusterMessageBroker} over a simulated transport and an in-process broker on a
 * deterministic dispatcher, all stepped on the test thread in an order drawn from the seed.
 */
class ClusterMessageBrokerTest {

    private static final boolean LONG = "long".equals(System.getProperty("hivemesh.scale"));
    private static final int SCHEDULES = LONG ? 20_000 : 300;

    /** One member: its dispatcher, local broker and cluster broker. */
    private static final class Member {
        final DeterministicDispatcher dispatcher = new DeterministicDispatcher();
        final InProcessMessageBroker local = new InProcessMessageBroker(MessageBrokerConfig
                .builder().dispatcher(dispatcher).dispatchBatchSize(1).mailboxCapacity(1_024)
                .closeTimeout(Duration.ofMillis(1)).build());
        final ClusterMessageBroker broker;

        Member(SimulatedCluster cluster, String name) {
            broker = ClusterMessageBroker.start(cluster.transport(name), local,
                    PayloadCodec.defaults(), DecodeLimits.DEFAULT);
        }
    }

    private final List<Member> members = new ArrayList<>();
    private SimulatedCluster cluster;
    private SplittableRandom random;

    private void cluster(long seed, int size) {
        random = new SplittableRandom(seed);
        cluster = new SimulatedCluster(new SplittableRandom(seed ^ 0x5eed));
        for (int m = 0; m < size; m++) {
            members.add(new Member(cluster, "m" + m));
        }
        settle();
    }

    /** Steps the cluster and the dispatchers, in an order drawn from the seed, until quiet. */
    private void settle() {
        for (long steps = 0; steps < 1_000_000; steps++) {
            boolean progressed = random.nextBoolean() && cluster.step();
            if (!progressed) {
                List<Member> busy = new ArrayList<>();
                for (Member member : members) {
                    if (member.dispatcher.pending() > 0) {
                        busy.add(member);
                    }
                }
                if (!busy.isEmpty()) {
                    busy.get(random.nextInt(busy.size())).dispatcher.runOldest();
                    progressed = true;
                } else {
                    progressed = cluster.step();
                }
            }
            if (!progressed) {
                return;
            }
        }
        throw new AssertionError("no quiet after a million steps");
    }

    /** Closes every member's broker (on the test body's thread, the simulation's owner). */
    private void close() {
        for (Member member : members) {
            member.broker.close();
        }
        members.clear();
    }

    @Test
    void messagesAcrossMembers_arriveOnceEachInOrderPerPair_withTheirIdsAndPayloads() {
        long messages = 0;
        for (long seed = 1; seed <= SCHEDULES; seed++) {
            try {
                messages += oneSchedule(seed);
            } finally {
                close();
            }
        }
        assertThat(messages).isGreaterThan(SCHEDULES);
    }

    /** One schedule: endpoints on 2–3 members send, and forward what they receive, anywhere. */
    private long oneSchedule(long seed) {
        cluster(seed, 2 + (int) (seed % 2));
        List<String> endpoints = new ArrayList<>();
        Map<String, Member> hostOf = new HashMap<>();
        Map<String, List<Long>> sent = new HashMap<>();
        Map<String, List<Long>> received = new HashMap<>();
        Map<Long, Object> payloads = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Member member : members) {
            for (int e = 1 + random.nextInt(3); e > 0; e--) {
                String id = "e" + endpoints.size();
                endpoints.add(id);
                hostOf.put(id, member);
            }
        }
        for (String id : endpoints) {
            Member host = hostOf.get(id);
            host.broker.onPeerMessage(id, message -> {
                received.computeIfAbsent(message.senderId() + ">" + id, k -> new ArrayList<>())
                        .add(message.messageId());
                // a handler's exception would only be counted by the broker: note it instead
                if (!id.equals(message.recipientId())
                        || !java.util.Objects.equals(message.payload(),
                                payloads.get(message.messageId()))) {
                    problems.add(id + " got " + message);
                }
                int hop = Integer.parseInt(message.metadata().getOrDefault("hop", "0"));
                if (hop < 2 && random.nextBoolean()) {
                    send(host, id, endpoints.get(random.nextInt(endpoints.size())), hop + 1,
                            sent, payloads);
                }
            });
        }
        settle();
        for (Member member : members) {
            for (String id : endpoints) {
                assertThat(member.broker.isRegistered(id)).as("%s at %s, seed %d", id,
                        member.broker.self(), seed).isTrue();
            }
        }
        for (int n = 4 + random.nextInt(20); n > 0; n--) {
            String from = endpoints.get(random.nextInt(endpoints.size()));
            send(hostOf.get(from), from, endpoints.get(random.nextInt(endpoints.size())), 0,
                    sent, payloads);
            if (random.nextBoolean()) {
                settle();
            }
        }
        settle();
        assertThat(problems).as("seed %d", seed).isEmpty();
        assertThat(received).as("seed %d", seed).isEqualTo(sent);
        long count = 0;
        for (Member member : members) {
            ClusterBrokerMetrics metrics = member.broker.clusterMetrics();
            assertThat(metrics.dropped() + metrics.refusedOnArrival()).as("seed %d", seed).isZero();
            count += member.local.getMetrics().delivered();
        }
        return count;
    }

    private void send(Member host, String from, String to, int hop, Map<String, List<Long>> sent,
            Map<Long, Object> payloads) {
        Object payload = switch (random.nextInt(4)) {
            case 0 -> new UserMail(from, to, "note", List.of(hop, "x"), "m0.root", hop);
            case 1 -> new Signal(hop, from, to, new long[] {1, 2, 3}, "");
            case 2 -> Map.of("hop", (long) hop);
            default -> null;
        };
        Message message = Message.of("t", payload).withMetadata(Map.of("hop", "" + hop));
        payloads.put(message.messageId(), payload);
        sent.computeIfAbsent(from + ">" + to, k -> new ArrayList<>()).add(message.messageId());
        CompletableFuture<Void> accepted = random.nextBoolean()
                ? host.broker.sendControl(from, to, message)
                : host.broker.sendToPeer(from, to, message);
        assertThat(accepted).isCompleted().isNotCompletedExceptionally();
    }

    @Test
    void memberLeavingTheView_takesItsEndpointsAlong() {
        try {
            cluster(1, 3);
            members.get(0).broker.onPeerMessage("a", m -> { });
            members.get(2).broker.onPeerMessage("c", m -> { });
            settle();
            assertThat(members.get(1).broker.isRegistered("c")).isTrue();
            assertThat(members.get(1).broker.hostOf("c")).contains(members.get(2).broker.self());

            cluster.crash(members.get(2).broker.self());
            settle();

            assertThat(members.get(1).broker.isRegistered("c")).isFalse();
            assertThat(members.get(1).broker.isRegistered("a")).isTrue();
            assertThat(members.get(1).broker.sendToPeer("b", "c", Message.of("t", null)))
                    .isCompletedExceptionally().failsWithin(Duration.ZERO)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(UnknownPeerException.class);
            assertThat(members.get(1).broker.clusterMetrics().remoteEndpoints()).isEqualTo(1);
        } finally {
            close();
        }
    }

    @Test
    void removedEndpoint_isGoneEverywhere_andALaterJoinerLearnsTheRest() {
        try {
            cluster(2, 2);
            members.get(0).broker.onPeerMessage("a", m -> { });
            members.get(0).broker.onPeerMessage("gone", m -> { });
            settle();
            members.get(0).broker.removePeer("gone");
            members.add(new Member(cluster, "m2"));
            settle();

            for (Member member : members.subList(1, 3)) {
                assertThat(member.broker.isRegistered("a")).isTrue();
                assertThat(member.broker.isRegistered("gone")).isFalse();
            }
        } finally {
            close();
        }
    }

    @Test
    void endpointHostedElsewhere_isRefused() {
        try {
            cluster(3, 2);
            members.get(0).broker.onPeerMessage("a", m -> { });
            settle();
            assertThatThrownBy(() -> members.get(1).broker.onPeerMessage("a", m -> { }))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'a'")
                    .hasMessageContaining("hosted by member");
        } finally {
            close();
        }
    }

    @Test
    void payloadTheCodecsCannotCarry_failsAtTheSender_andNothingIsSent() {
        try {
            cluster(4, 2);
            members.get(1).broker.onPeerMessage("b", m -> { });
            settle();
            long before = members.get(0).broker.clusterMetrics().framesSent();

            CompletableFuture<Void> sent = members.get(0).broker.sendToPeer("a", "b",
                    Message.of("t", new Object()));

            assertThat(sent).failsWithin(Duration.ZERO)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(UnsupportedPayloadException.class);
            assertThat(members.get(0).broker.clusterMetrics().framesSent()).isEqualTo(before);
        } finally {
            close();
        }
    }

    @Test
    void framesThatDoNotDecode_orSpeakForAnotherMembersEndpoint_areDroppedAndCounted() {
        try {
            cluster(5, 2);
            List<Message> got = new ArrayList<>();
            members.get(0).broker.onPeerMessage("a", m -> { });
            members.get(1).broker.onPeerMessage("b", got::add);
            SimulatedTransport raw = cluster.transport("intruder");
            raw.start(new ClusterListener() {
                @Override
                public void onView(ClusterView view) {
                }

                @Override
                public void onMessage(MemberId from, byte[] payload) {
                }
            });
            settle();
            BrokerFrameCodec codec = new BrokerFrameCodec(new WireCodecs(PayloadCodec.defaults()),
                    DecodeLimits.DEFAULT);
            MemberId target = members.get(1).broker.self();

            raw.send(target, new byte[] {1, 2, 3});
            raw.send(target, codec.encode(BrokerFrame.direct(Message.of("t", "x", "a", "b"), false)));
            raw.send(target, codec.encode(BrokerFrame.direct(Message.of("t", "y", "z", "b"), false)));
            settle();

            assertThat(members.get(1).broker.clusterMetrics().dropped()).isEqualTo(2);
            assertThat(got).extracting(Message::payload).containsExactly("y");
        } finally {
            close();
        }
    }

    @Test
    void publication_reachesTheTopicsSubscribersOnEveryMember() {
        try {
            cluster(6, 3);
            List<String> got = new ArrayList<>();
            for (Member member : members) {
                member.broker.subscribe("news", m -> got.add(m.payload() + "@" + m.recipientId()));
            }
            settle();
            members.get(0).broker.publish("news", Message.of("t", "hello"));
            settle();
            assertThat(got).hasSize(3).allMatch(s -> s.startsWith("hello@"));
            assertThat(members.get(2).broker.clusterMetrics().framesReceived()).isPositive();
        } finally {
            close();
        }
    }

    @Test
    void broadcast_reachesLocalAndRemoteNeighbours_andNamesEachThatRefused() {
        try {
            cluster(7, 2);
            List<Message> got = new ArrayList<>();
            members.get(0).broker.onPeerMessage("a", got::add);
            members.get(1).broker.onPeerMessage("b", got::add);
            settle();

            CompletableFuture<Void> sent = members.get(0).broker.broadcastToMesh("a",
                    List.of("a", "b", "nobody"), Message.of("t", 1L));
            settle();

            assertThat(got).extracting(Message::recipientId).containsExactlyInAnyOrder("a", "b");
            assertThat(got).extracting(Message::routingType).containsOnly(RoutingType.BROADCAST);
            assertThat(sent).isCompletedExceptionally();
            assertThatThrownBy(sent::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(BroadcastException.class)
                    .satisfies(e -> assertThat(((BroadcastException) e).failures())
                            .containsOnlyKeys("nobody"));
        } finally {
            close();
        }
    }

    @Test
    void afterClose_sendsFail() {
        try {
            cluster(8, 2);
            members.get(1).broker.onPeerMessage("b", m -> { });
            settle();
            ClusterMessageBroker broker = members.get(0).broker;
            broker.close();
            broker.close();
            assertThat(broker.sendToPeer("a", "b", Message.of("t", null))).failsWithin(Duration.ZERO)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(BrokerClosedException.class);
            assertThat(broker.publish("x", Message.of("t", null))).isCompletedExceptionally();
            assertThat(broker.toString()).contains("closed");
        } finally {
            close();
        }
    }

    /** Records what a directory listener is told. */
    private static final class Directory implements ClusterDirectoryListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onAnnounced(RemoteEndpoint endpoint) {
            events.add("+" + endpoint.id() + new java.util.TreeSet<>(endpoint.capabilities()));
        }

        @Override
        public void onLeft(RemoteEndpoint endpoint, boolean memberLeft) {
            events.add("-" + endpoint.id() + (memberLeft ? " (member left)" : ""));
        }
    }

    @Test
    void agentsAndCapabilities_areAnnounced_toMembersOfTheViewAndLaterJoiners_andLeaveWithTheirMember() {
        cluster(9, 2);
        try {
            Directory directory = new Directory();
            members.get(1).broker.addDirectoryListener(directory);
            ClusterMessageBroker first = members.get(0).broker;
            first.onPeerMessage("reviewer", m -> { });
            first.announce("reviewer", java.util.Set.of("code-review", "test"));
            first.onPeerMessage("root", m -> { });
            settle();

            assertThat(directory.events).containsExactly("+reviewer[]",
                    "+reviewer[code-review, test]", "+root[]");
            Member late = new Member(cluster, "m2");
            members.add(late);
            settle();
            assertThat(late.broker.remoteEndpoints()).extracting(RemoteEndpoint::id,
                    RemoteEndpoint::capabilities).containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("reviewer",
                                    java.util.Set.of("code-review", "test")),
                            org.assertj.core.groups.Tuple.tuple("root", java.util.Set.of()));

            first.removePeer("root");
            settle();
            cluster.crash(first.self());
            settle();

            assertThat(directory.events).endsWith("-root", "-reviewer (member left)");
            assertThat(late.broker.remoteEndpoints()).isEmpty();
            assertThatThrownBy(() -> members.get(1).broker.announce("nobody", java.util.Set.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'nobody'");
        } finally {
            close();
        }
    }

    @Test
    void announcementOfAnotherMembersEndpoint_isDropped() {
        cluster(10, 2);
        try {
            members.get(0).broker.onPeerMessage("a", m -> { });
            SimulatedTransport raw = cluster.transport("intruder");
            raw.start(new ClusterListener() {
                @Override
                public void onView(ClusterView view) {
                }

                @Override
                public void onMessage(MemberId from, byte[] payload) {
                }
            });
            settle();
            BrokerFrameCodec codec = new BrokerFrameCodec(
                    new WireCodecs(PayloadCodec.defaults()), DecodeLimits.DEFAULT);

            raw.send(members.get(1).broker.self(),
                    codec.encode(BrokerFrame.up(Map.of("a", java.util.Set.of("x")))));
            settle();

            assertThat(members.get(1).broker.hostOf("a")).contains(members.get(0).broker.self());
            assertThat(members.get(1).broker.clusterMetrics().dropped()).isEqualTo(1);
        } finally {
            close();
        }
    }
}
