package io.github.hivemesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageBrokerConfig;
import io.github.hivemesh.broker.RoutingType;
import io.github.hivemesh.testing.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeerDiscoverySystemTest {

    private static final PeerDiscoveryConfig CONFIG = PeerDiscoveryConfig.builder()
            .heartbeatInterval(Duration.ofSeconds(1))
            .peerTimeout(Duration.ofSeconds(3))
            .evictionTimeout(Duration.ofSeconds(10))
            .discoveryInterval(Duration.ofMinutes(1))
            .build();

    private final VirtualTime time = new VirtualTime();
    private final InProcessMessageBroker broker = new InProcessMessageBroker(
            MessageBrokerConfig.builder().dispatcher(time.scheduler())
                    .closeTimeout(Duration.ofMillis(100)).build());
    private final List<PeerDiscoverySystem> systems = new ArrayList<>();
    /** Drops direct messages between the pairs it accepts: a network partition. */
    private volatile BiPredicate<String, String> partitioned = (from, to) -> false;

    @AfterEach
    void stopAll() {
        systems.forEach(PeerDiscoverySystem::stopDiscovery);
        time.runDue();
        broker.close();
    }

    private PeerDiscoverySystem peer(String id, PeerDiscoveryConfig config,
            VirtualTime.Scheduler scheduler, String... capabilities) {
        PeerDiscoverySystem system = new PeerDiscoverySystem(id, Set.of(capabilities), broker,
                config, time.clock(), scheduler);
        broker.onPeerMessage(id, message -> {
            if (!partitioned.test(message.senderId(), id)) {
                system.handleMessage(message);
            }
        });
        systems.add(system);
        return system;
    }

    private PeerDiscoverySystem peer(String id, String... capabilities) {
        return peer(id, CONFIG, time.scheduler(), capabilities);
    }

    private PeerDiscoverySystem started(String id, String... capabilities) {
        PeerDiscoverySystem system = peer(id, capabilities);
        system.startDiscovery("swarm").join();
        time.runDue();
        return system;
    }

    private static List<String> ids(List<PeerInfo> peers) {
        return peers.stream().map(PeerInfo::peerId).toList();
    }

    @Test
    void everyPeerOnOneBroker_discoversEveryOther() {
        int n = 7;
        List<PeerDiscoverySystem> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(started("p" + i, "cap" + (i % 2)));
        }

        for (PeerDiscoverySystem system : peers) {
            assertThat(ids(system.getAllPeers()))
                    .containsExactly("p0", "p1", "p2", "p3", "p4", "p5", "p6");
            assertThat(ids(system.findPeersByCapability("cap1"))).containsExactly("p1", "p3", "p5");
            PeerDiscoveryMetrics metrics = system.getMetrics();
            assertThat(metrics.totalDiscovered()).isEqualTo(n - 1);
            assertThat(metrics.activePeers()).isEqualTo(n - 1);
            assertThat(metrics.broadcastsSent()).isEqualTo(1);
            // announcements of later joiners plus replies of earlier ones
            assertThat(metrics.announcementsReceived()).isEqualTo(n - 1);
            assertThat(metrics.lastDiscovery()).contains(time.now());
        }
    }

    @Test
    void capabilityQueries_followJoinsChangesAndLeaves() {
        PeerDiscoverySystem a = started("a", "java", "review");
        PeerDiscoverySystem b = started("b", "java");

        assertThat(ids(a.findPeersByCapability("java"))).containsExactly("a", "b");
        assertThat(ids(a.findPeersByCapabilities(List.of("java", "review")))).containsExactly("a");
        assertThat(ids(b.findPeersByCapabilities(List.of()))).containsExactly("a", "b");

        b.updatePeerCapabilities("b", Set.of("java", "review"));
        time.runDue();
        assertThat(ids(a.findPeersByCapabilities(List.of("java", "review"))))
                .containsExactly("a", "b");

        PeerDiscoverySystem c = started("c", "review", "python");
        assertThat(ids(a.findPeersByCapability("review"))).containsExactly("a", "b", "c");
        assertThat(ids(b.findPeersByCapability("python"))).containsExactly("c");

        c.stopDiscovery().join();
        time.runDue();
        assertThat(ids(a.findPeersByCapability("review"))).containsExactly("a", "b");
        assertThat(a.getPeerInfo("c")).isEmpty();
        assertThat(a.getMetrics().peersLeft()).isEqualTo(1);
        assertThat(c.getAllPeers()).isEmpty();
        assertThat(c.findPeersByCapability("review")).isEmpty();
    }

    @Test
    void silentPeer_isStaleAfterTheTimeout_andAliveAgainWhenItHeartbeats() {
        PeerDiscoverySystem a = started("a", "x");
        VirtualTime.Scheduler bTimers = time.newScheduler();
        PeerDiscoverySystem b = peer("b", CONFIG, bTimers, "x");
        b.startDiscovery("swarm").join();
        time.runDue();

        time.advance(Duration.ofSeconds(5));
        assertThat(a.isPeerAlive("b", 3_000)).isTrue();

        bTimers.pause();
        time.advance(Duration.ofMillis(3_000));
        assertThat(a.isPeerAlive("b", 3_000)).isTrue();
        time.advance(Duration.ofMillis(1_000));

        assertThat(a.isPeerAlive("b", 3_000)).isFalse();
        assertThat(ids(a.findPeersByCapability("x"))).containsExactly("a");
        assertThat(a.getPeerInfo("b")).hasValueSatisfying(
                info -> assertThat(info.status()).isEqualTo(PeerStatus.STALE));
        assertThat(a.getMetrics().stalePeers()).isEqualTo(1);
        assertThat(a.getMetrics().activePeers()).isZero();

        bTimers.resume();
        time.runDue();

        assertThat(a.isPeerAlive("b", 3_000)).isTrue();
        assertThat(ids(a.findPeersByCapability("x"))).containsExactly("a", "b");
        assertThat(a.getMetrics().peersRecovered()).isEqualTo(1);
        assertThat(a.getMetrics().stalePeers()).isZero();
        assertThat(a.getMetrics().heartbeatsReceived()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void lookup_excludesASilentPeerEvenBeforeTheSweepMarksIt() {
        PeerDiscoverySystem a = peer("a", CONFIG, time.newScheduler(), "x");
        VirtualTime.Scheduler bTimers = time.newScheduler();
        PeerDiscoverySystem b = peer("b", CONFIG, bTimers, "x");
        a.startDiscovery("swarm");
        b.startDiscovery("swarm");
        time.runDue();

        // nobody's timers run: only the elapsed silence says b is stale
        bTimers.pause();
        time.scheduler().pause();
        time.advance(Duration.ofSeconds(4));
        time.scheduler().resume();

        assertThat(ids(a.findPeersByCapability("x"))).containsExactly("a");
        assertThat(a.getAllPeers()).extracting(PeerInfo::status)
                .containsExactly(PeerStatus.ALIVE, PeerStatus.STALE);
    }

    @Test
    void partitionedPeers_forgetEachOther_andRediscoveryReunitesThem() {
        PeerDiscoverySystem a = started("a", "x");
        PeerDiscoverySystem b = started("b", "x");
        assertThat(ids(a.findPeersByCapability("x"))).containsExactly("a", "b");

        partitioned = (from, to) -> true;
        time.advance(Duration.ofSeconds(12));
        assertThat(ids(a.getAllPeers())).containsExactly("a");
        assertThat(ids(b.getAllPeers())).containsExactly("b");
        assertThat(a.getMetrics().peersEvicted()).isEqualTo(1);

        partitioned = (from, to) -> false;
        time.advance(Duration.ofSeconds(30));
        // heartbeats go only to known peers: nothing heals before the next announcement
        assertThat(ids(a.getAllPeers())).containsExactly("a");

        time.advance(Duration.ofSeconds(20));
        assertThat(ids(a.findPeersByCapability("x"))).containsExactly("a", "b");
        assertThat(ids(b.findPeersByCapability("x"))).containsExactly("a", "b");
        assertThat(a.getMetrics().broadcastsSent()).isEqualTo(2);
        assertThat(a.getMetrics().totalDiscovered()).isEqualTo(2);
    }

    @Test
    void artifactSharing_sendsPeerInfoAsMessagePackBytes() {
        PeerDiscoveryConfig sharing = CONFIG.toBuilder().enableArtifactSharing(true).build();
        List<Message> seenByB = new CopyOnWriteArrayList<>();
        broker.onPublish("b", seenByB::add);
        PeerDiscoverySystem a = peer("a", sharing, time.scheduler(), "x");
        PeerDiscoverySystem b = peer("b", sharing, time.scheduler(), "y");
        a.startDiscovery("swarm");
        b.startDiscovery("swarm");
        time.advance(Duration.ofSeconds(1));

        assertThat(ids(a.findPeersByCapability("y"))).containsExactly("b");
        assertThat(ids(b.findPeersByCapability("x"))).containsExactly("a");
        assertThat(seenByB).isNotEmpty().allSatisfy(m -> {
            assertThat(m.type()).startsWith(PeerDiscoverySystem.TYPE_PREFIX);
            assertThat(m.payload()).isInstanceOf(byte[].class);
        });
        assertThat(broker.getMetrics().delivered(PeerDiscoverySystem.HEARTBEAT)).isEqualTo(2);
    }

    @Test
    void malformedOrForeignMessages_areCountedAndIgnored() {
        PeerDiscoverySystem a = started("a", "x");
        Instant now = time.now();
        PeerInfo foreign = new PeerInfo("z", "other-swarm", Set.of("x"), 1, 0, now,
                PeerStatus.ALIVE);
        PeerInfo impostor = new PeerInfo("y", "swarm", Set.of("x"), 1, 0, now, PeerStatus.ALIVE);

        a.handleMessage(Message.of(PeerDiscoverySystem.HEARTBEAT, new byte[] {1, 2}, "q", "a"));
        a.handleMessage(Message.of(PeerDiscoverySystem.HEARTBEAT, "not peer info", "q", "a"));
        a.handleMessage(Message.of(PeerDiscoverySystem.HEARTBEAT, null, "q", "a"));
        a.handleMessage(Message.of(PeerDiscoverySystem.REPLY, foreign, "z", "a"));
        a.handleMessage(Message.of(PeerDiscoverySystem.HEARTBEAT, impostor, "q", "a"));
        a.handleMessage(Message.of("discovery.bogus", null, "q", "a"));

        assertThat(a.getMetrics().malformedMessages()).isEqualTo(6);
        assertThat(ids(a.getAllPeers())).containsExactly("a");
        assertThat(a.handleMessage(Message.of("task", "work", "q", "a"))).isFalse();
        assertThat(a.handleMessage(Message.of(PeerDiscoverySystem.LEAVE, null, "nobody", "a")))
                .isTrue();
        assertThat(a.getMetrics().peersLeft()).isZero();
    }

    @Test
    void olderAnnouncement_arrivingLate_doesNotUndoANewerOne() {
        PeerDiscoverySystem a = started("a", "x");
        PeerDiscoverySystem b = started("b", "old");
        PeerInfo stale = a.getPeerInfo("b").orElseThrow();
        b.updatePeerCapabilities("b", Set.of("new"));
        time.runDue();

        a.handleMessage(Message.of(PeerDiscoverySystem.HEARTBEAT, stale, "b", "a"));

        assertThat(a.getPeerInfo("b").orElseThrow().capabilities()).containsExactly("new");
        assertThat(ids(a.findPeersByCapability("old"))).isEmpty();
    }

    @Test
    void restartedPeer_winsOverWhatOthersRememberOfItsPreviousRun() {
        PeerDiscoverySystem a = started("a", "x");
        PeerDiscoverySystem b = started("b", "first");
        partitioned = (from, to) -> from.equals("b");
        b.stopDiscovery();
        time.runDue();
        assertThat(ids(a.findPeersByCapability("first"))).containsExactly("b");

        partitioned = (from, to) -> false;
        b.updatePeerCapabilities("b", Set.of("second"));
        time.advance(Duration.ofMillis(1));
        b.startDiscovery("swarm");
        time.runDue();

        assertThat(ids(a.findPeersByCapability("second"))).containsExactly("b");
        assertThat(ids(a.findPeersByCapability("first"))).isEmpty();
    }

    @Test
    void discoveryLatency_isMeasuredFromTheMessageTimestamp() {
        PeerDiscoverySystem a = started("a", "x");
        Instant sent = time.now().minusMillis(50);
        PeerInfo info = new PeerInfo("b", "swarm", Set.of("x"), 1, 0, sent, PeerStatus.ALIVE);
        broker.onPeerMessage("b", m -> { });

        a.handleMessage(new Message(PeerDiscoverySystem.REPLY, info, "b", "a",
                sent.toEpochMilli(), Message.nextId(), RoutingType.P2P, Map.of()));

        assertThat(a.getMetrics().averageDiscoveryLatencyMillis()).isEqualTo(50.0);
    }

    @Test
    void lifecycle_preconditionsAreCheckedClearly() {
        PeerDiscoverySystem unregistered = new PeerDiscoverySystem("ghost", Set.of(), broker,
                CONFIG, time.clock(), time.scheduler());
        assertThatThrownBy(() -> unregistered.startDiscovery("swarm"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("peer 'ghost' has no endpoint on the broker");

        PeerDiscoverySystem a = started("a", "x");
        assertThat(a.startDiscovery("swarm")).isCompleted();
        assertThat(a.swarmId()).contains("swarm");
        assertThatThrownBy(() -> a.startDiscovery("elsewhere"))
                .hasMessage("peer 'a' already runs discovery in swarm 'swarm'");
        assertThatThrownBy(() -> a.updatePeerCapabilities("b", Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("only the local peer 'a' can change its capabilities");

        a.stopDiscovery().join();
        assertThat(a.stopDiscovery()).isCompleted();
        assertThat(a.isRunning()).isFalse();
        assertThat(a.swarmId()).isEmpty();
        assertThat(a.isPeerAlive("a", 1_000)).isFalse();
        a.updatePeerCapabilities("a", Set.of("y"));
        assertThat(a.toString()).contains("running=false");
        assertThat(a.localPeerId()).isEqualTo("a");
        assertThat(a.config()).isSameAs(CONFIG);
    }

    @Test
    void startDiscovery_onAClosedBroker_failsTheFuture() {
        PeerDiscoverySystem a = peer("a", "x");
        broker.close();

        assertThat(a.startDiscovery("swarm")).isCompletedExceptionally();
    }

    @Test
    void heartbeatToAVanishedEndpoint_doesNotStopTheTimers() {
        PeerDiscoverySystem a = started("a", "x");
        PeerDiscoverySystem b = started("b", "x");
        broker.removePeer("b");

        time.advance(Duration.ofSeconds(3));

        assertThat(a.getMetrics().heartbeatsSent()).isEqualTo(3);
        assertThat(b.getMetrics().heartbeatsSent()).isEqualTo(3);
    }

    @Test
    void nullArguments_areRejectedByName() {
        PeerDiscoverySystem a = peer("a", "x");
        assertThatThrownBy(() -> a.findPeersByCapability(null)).hasMessage("capability");
        assertThatThrownBy(() -> a.findPeersByCapabilities(null)).hasMessage("capabilities");
        assertThatThrownBy(() -> a.getPeerInfo(null)).hasMessage("peerId");
        assertThatThrownBy(() -> a.isPeerAlive(null, 1)).hasMessage("peerId");
        assertThatThrownBy(() -> a.handleMessage(null)).hasMessage("message");
        assertThatThrownBy(() -> a.startDiscovery(null)).hasMessage("swarmId");
        assertThatThrownBy(() -> new PeerDiscoverySystem("x", Set.of(), null, CONFIG,
                time.clock(), time.scheduler())).hasMessage("broker");
    }

    @Test
    void manyPeersOnARealDispatcher_allDiscoverEachOther() {
        int n = 40;
        try (InProcessMessageBroker threaded = new InProcessMessageBroker()) {
            List<IPeerDiscoverySystem> peers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = "p" + i;
                IPeerDiscoverySystem system = MeshFactories.createPeerDiscoverySystem(id,
                        Set.of("cap" + (i % 4)), threaded, CONFIG, time.clock(),
                        time.scheduler());
                threaded.onPeerMessage(id, system::handleMessage);
                peers.add(system);
            }
            peers.parallelStream().forEach(p -> p.startDiscovery("big").join());

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (IPeerDiscoverySystem p : peers) {
                    assertThat(p.getAllPeers()).hasSize(n);
                }
            });
            assertThat(peers.get(0).findPeersByCapability("cap3")).hasSize(n / 4);
            peers.forEach(IPeerDiscoverySystem::stopDiscovery);
        }
    }
}
