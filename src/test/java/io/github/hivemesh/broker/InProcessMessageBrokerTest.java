package io.github.hivemesh.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.testing.ManualExecutor;
import io.github.hivemesh.testing.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InProcessMessageBrokerTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    private InProcessMessageBroker broker() {
        InProcessMessageBroker broker = new InProcessMessageBroker();
        toClose.add(broker);
        return broker;
    }

    private InProcessMessageBroker manualBroker(ManualExecutor executor, int capacity) {
        InProcessMessageBroker broker = new InProcessMessageBroker(MessageBrokerConfig.builder()
                .dispatcher(executor).mailboxCapacity(capacity)
                .closeTimeout(Duration.ofMillis(50)).build());
        toClose.add(broker);
        return broker;
    }

    @Test
    void sendToPeer_deliversWithSenderRecipientAndRoutingStamped() {
        InProcessMessageBroker broker = broker();
        List<Message> received = new CopyOnWriteArrayList<>();
        broker.onPeerMessage("b", received::add);

        broker.sendToPeer("a", "b", Message.of("greeting", "hello")).join();

        await().until(() -> received.size() == 1);
        Message message = received.get(0);
        assertThat(message.senderId()).isEqualTo("a");
        assertThat(message.recipientId()).isEqualTo("b");
        assertThat(message.routingType()).isEqualTo(RoutingType.P2P);
        assertThat(message.payload()).isEqualTo("hello");
    }

    @Test
    void sendToPeer_messageAlreadyAddressed_isDeliveredAsTheSameInstance() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = manualBroker(executor, 10);
        List<Message> received = new ArrayList<>();
        broker.onPeerMessage("b", received::add);
        Message message = Message.of("t", 1, "a", "b");

        broker.sendToPeer("a", "b", message).join();
        executor.runAll();

        assertThat(received).singleElement().isSameAs(message);
    }

    @Test
    void sendToPeer_unknownPeer_failsFutureWithUnknownPeerException() {
        InProcessMessageBroker broker = broker();

        assertThatThrownBy(() -> broker.sendToPeer("a", "ghost", Message.of("t", null)).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(UnknownPeerException.class)
                .hasMessageContaining("ghost");
        assertThat(broker.getMetrics().refused()).isEqualTo(1);
        assertThat(broker.getMetrics().accepted()).isZero();
    }

    @Test
    void sendToPeer_peerWithOnlyCallbacks_isStillUnknown() {
        InProcessMessageBroker broker = broker();
        broker.onAcknowledge("b", m -> { });

        assertThat(broker.sendToPeer("a", "b", Message.of("t", null)))
                .isCompletedExceptionally();
        assertThat(broker.isRegistered("b")).isFalse();
    }

    @Test
    void fifoPerPair_holdsAcrossBatchesAndThreads() {
        InProcessMessageBroker broker = new InProcessMessageBroker(MessageBrokerConfig.builder()
                .dispatchBatchSize(7).dispatcherThreads(4).build());
        toClose.add(broker);
        List<Integer> fromA = Collections.synchronizedList(new ArrayList<>());
        List<Integer> fromB = Collections.synchronizedList(new ArrayList<>());
        broker.onPeerMessage("r", m -> (m.senderId().equals("a") ? fromA : fromB)
                .add((Integer) m.payload()));

        for (int i = 0; i < 5_000; i++) {
            broker.sendToPeer("a", "r", Message.of("n", i)).join();
            broker.sendControl("b", "r", Message.of("n", i)).join();
        }

        await().until(() -> fromA.size() == 5_000 && fromB.size() == 5_000);
        assertThat(fromA).isSorted().doesNotHaveDuplicates();
        assertThat(fromB).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void throwingHandler_isCountedAndNeverBlocksOtherHandlersOrPeers() {
        InProcessMessageBroker broker = broker();
        AtomicInteger secondHandler = new AtomicInteger();
        AtomicInteger otherPeer = new AtomicInteger();
        broker.onPeerMessage("bad", m -> {
            throw new IllegalStateException("boom");
        });
        broker.onPeerMessage("bad", m -> secondHandler.incrementAndGet());
        broker.onPeerMessage("good", m -> otherPeer.incrementAndGet());

        for (int i = 0; i < 100; i++) {
            broker.sendToPeer("x", "bad", Message.of("t", i)).join();
            broker.sendToPeer("x", "good", Message.of("t", i)).join();
        }

        await().until(() -> secondHandler.get() == 100 && otherPeer.get() == 100);
        await().until(() -> broker.getMetrics().handlerFailures() == 100);
        assertThat(broker.getMetrics().delivered()).isEqualTo(200);
    }

    @Test
    void fullMailbox_refusesTheSendWithMailboxFullException_andLosesNothingAccepted() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = manualBroker(executor, 3);
        List<Object> received = new ArrayList<>();
        broker.onPeerMessage("b", m -> received.add(m.payload()));

        List<Boolean> accepted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            accepted.add(!broker.sendToPeer("a", "b", Message.of("t", i))
                    .isCompletedExceptionally());
        }
        assertThatThrownBy(() -> broker.sendToPeer("a", "b", Message.of("t", 99)).join())
                .cause().isInstanceOf(MailboxFullException.class)
                .hasMessageContaining("'b'").hasMessageContaining("3");
        executor.runAll();

        assertThat(accepted).containsExactly(true, true, true, false, false);
        assertThat(received).containsExactly(0, 1, 2);
        BrokerMetrics metrics = broker.getMetrics();
        assertThat(metrics.accepted()).isEqualTo(3);
        assertThat(metrics.delivered()).isEqualTo(3);
        assertThat(metrics.refused()).isEqualTo(3);
    }

    @Test
    void fullMailbox_acceptsAgainOnceDrained() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = manualBroker(executor, 2);
        List<Object> received = new ArrayList<>();
        broker.onPeerMessage("b", m -> received.add(m.payload()));
        broker.sendToPeer("a", "b", Message.of("t", 1));
        broker.sendToPeer("a", "b", Message.of("t", 2));
        assertThat(broker.sendToPeer("a", "b", Message.of("t", 3))).isCompletedExceptionally();

        executor.runAll();

        assertThat(broker.sendToPeer("a", "b", Message.of("t", 4))).isCompleted()
                .isNotCompletedExceptionally();
        executor.runAll();
        assertThat(received).containsExactly(1, 2, 4);
    }

    @Test
    void controlMessages_areNeverRefusedForSpace() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = manualBroker(executor, 1);
        AtomicInteger received = new AtomicInteger();
        broker.onPeerMessage("b", m -> received.incrementAndGet());

        broker.sendToPeer("a", "b", Message.of("task", 0)).join();
        for (int i = 0; i < 50; i++) {
            broker.sendControl("a", "b", Message.of("signal", i)).join();
        }
        executor.runAll();

        assertThat(received.get()).isEqualTo(51);
        assertThat(broker.getMetrics().deliveredByType()).containsEntry("task", 1L)
                .containsEntry("signal", 50L);
    }

    @Test
    void broadcastToMesh_reachesEveryNeighbour_andNamesEachThatRefused() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = manualBroker(executor, 100);
        List<String> receivedBy = new ArrayList<>();
        for (String peer : List.of("p1", "p2", "p3")) {
            broker.onPeerMessage(peer, m -> {
                assertThat(m.routingType()).isEqualTo(RoutingType.BROADCAST);
                receivedBy.add(m.recipientId());
            });
        }

        assertThatThrownBy(() -> broker.broadcastToMesh("p0", List.of("p1", "ghost", "p2", "p3"),
                Message.of("hello", null)).join())
                .cause().isInstanceOfSatisfying(BroadcastException.class, e ->
                        assertThat(e.failures()).containsOnlyKeys("ghost"));
        executor.runAll();

        assertThat(receivedBy).containsExactly("p1", "p2", "p3");
    }

    @Test
    void publish_reachesEverySubscriber_untilUnsubscribed() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = manualBroker(executor, 100);
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        MessageHandler firstHandler = m -> first.add((String) m.payload());
        broker.subscribe("news", firstHandler);
        broker.subscribe("news", m -> second.add((String) m.payload()));

        broker.publish("news", Message.of("n", "one")).join();
        executor.runAll();
        broker.unsubscribe("news", firstHandler);
        broker.publish("news", Message.of("n", "two")).join();
        executor.runAll();

        assertThat(first).containsExactly("one");
        assertThat(second).containsExactly("one", "two");
        assertThat(broker.publish("nobody-listens", Message.of("n", "x"))).isCompleted();
    }

    @Test
    void publish_toFullSubscriber_failsNamingIt_andStillReachesTheOthers() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = manualBroker(executor, 1);
        List<Object> received = new ArrayList<>();
        broker.subscribe("t", received::add);
        broker.publish("t", Message.of("n", 1)).join();
        broker.subscribe("t", received::add);

        assertThat(broker.publish("t", Message.of("n", 2))).isCompletedExceptionally();
        executor.runAll();

        assertThat(received).hasSize(2);
    }

    @Test
    void callbacks_publishOnAcceptance_acknowledgeAfterHandlersReturned() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = manualBroker(executor, 10);
        List<String> events = new ArrayList<>();
        broker.onPublish("b", m -> events.add("accepted " + m.payload()));
        broker.onAcknowledge("b", m -> events.add("acknowledged " + m.payload()));
        broker.onPeerMessage("b", m -> events.add("handled " + m.payload()));

        broker.sendToPeer("a", "b", Message.of("t", 1)).join();
        assertThat(events).containsExactly("accepted 1");
        executor.runAll();

        assertThat(events).containsExactly("accepted 1", "handled 1", "acknowledged 1");
    }

    @Test
    void throwingCallback_doesNotFailTheSendNorTheDelivery() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = manualBroker(executor, 10);
        AtomicInteger handled = new AtomicInteger();
        broker.onPublish("b", m -> {
            throw new IllegalStateException("callback");
        });
        broker.onAcknowledge("b", m -> {
            throw new IllegalStateException("callback");
        });
        broker.onPeerMessage("b", m -> handled.incrementAndGet());

        assertThat(broker.sendToPeer("a", "b", Message.of("t", 1))).isNotCompletedExceptionally();
        executor.runAll();

        assertThat(handled.get()).isEqualTo(1);
    }

    @Test
    void removePeer_refusesLaterSends_butDeliversWhatItHadAccepted() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = manualBroker(executor, 10);
        List<Object> received = new ArrayList<>();
        broker.onPeerMessage("b", m -> received.add(m.payload()));
        broker.sendToPeer("a", "b", Message.of("t", 1)).join();

        broker.removePeer("b");

        assertThat(broker.isRegistered("b")).isFalse();
        assertThat(broker.sendToPeer("a", "b", Message.of("t", 2))).isCompletedExceptionally();
        executor.runAll();
        assertThat(received).containsExactly(1);
    }

    @Test
    void close_deliversQueuedMessages_andStopsOnlyItsOwnThreads() {
        List<String> before = Threads.alive("hivemesh-broker-");
        InProcessMessageBroker broker = new InProcessMessageBroker();
        AtomicInteger received = new AtomicInteger();
        broker.onPeerMessage("b", m -> received.incrementAndGet());
        for (int i = 0; i < 10_000; i++) {
            broker.sendToPeer("a", "b", Message.of("t", i));
        }
        assertThat(Threads.alive("hivemesh-broker-")).isNotEqualTo(before);

        broker.close();

        assertThat(received.get()).isEqualTo(10_000);
        assertThat(broker.getMetrics().undelivered()).isZero();
        // a thread told to stop is alive until its last instruction: on a loaded machine
        // (a CI run on JDK 17) that was seen just after close returned
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Threads.alive("hivemesh-broker-")).isEqualTo(before));
    }

    @Test
    void close_refusesLaterSendsWithBrokerClosedException_andIsIdempotent() {
        InProcessMessageBroker broker = broker();
        broker.onPeerMessage("b", m -> { });
        broker.close();
        broker.close();

        assertThatThrownBy(() -> broker.sendToPeer("a", "b", Message.of("t", 1)).join())
                .cause().isInstanceOf(BrokerClosedException.class);
        assertThatThrownBy(() -> broker.publish("x", Message.of("t", 1)).join())
                .cause().isInstanceOf(BrokerClosedException.class);
        assertThat(broker.isClosed()).isTrue();
    }

    @Test
    void close_withInjectedExecutor_leavesItRunning_andCountsWhatItCouldNotDeliver() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = manualBroker(executor, 10);
        broker.onPeerMessage("b", m -> { });
        broker.sendToPeer("a", "b", Message.of("t", 1)).join();
        broker.sendToPeer("a", "b", Message.of("t", 2)).join();

        broker.close();

        assertThat(broker.getMetrics().undelivered()).isEqualTo(2);
        assertThat(broker.getMetrics().queued()).isZero();
        assertThat(executor.pending()).isEqualTo(1);
    }

    @Test
    void close_fromInsideAHandler_doesNotDeadlock() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            InProcessMessageBroker broker = new InProcessMessageBroker(
                    MessageBrokerConfig.builder().dispatcher(pool).build());
            AtomicInteger closedInside = new AtomicInteger();
            broker.onPeerMessage("b", m -> {
                broker.close();
                closedInside.incrementAndGet();
            });
            broker.sendToPeer("a", "b", Message.of("t", 1)).join();

            await().until(() -> closedInside.get() == 1);
            assertThat(broker.isClosed()).isTrue();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void metrics_countEndpointsAndTypes() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = manualBroker(executor, 10);
        broker.onPeerMessage("a", m -> { });
        broker.onPeerMessage("b", m -> { });
        broker.subscribe("topic", m -> { });
        broker.sendToPeer("a", "b", Message.of("x", null));
        broker.sendToPeer("b", "a", Message.of("y", null));
        broker.sendToPeer("b", "a", Message.of("y", null));

        assertThat(broker.getMetrics().queued()).isEqualTo(3);
        executor.runAll();

        BrokerMetrics metrics = broker.getMetrics();
        assertThat(metrics.endpoints()).isEqualTo(3);
        assertThat(metrics.deliveredByType()).isEqualTo(Map.of("x", 1L, "y", 2L));
        assertThat(metrics.delivered("y")).isEqualTo(2);
        assertThat(metrics.delivered("z")).isZero();
        assertThat(broker.peerIds()).containsExactlyInAnyOrder("a", "b");
        assertThat(broker.queuedUserMessages("a")).isZero();
    }

    @Test
    void metrics_withoutTypeCounting_haveNoTypes() {
        ManualExecutor executor = new ManualExecutor();
        InProcessMessageBroker broker = new InProcessMessageBroker(MessageBrokerConfig.builder()
                .dispatcher(executor).countByType(false).build());
        toClose.add(broker);
        broker.onPeerMessage("a", m -> { });
        broker.sendToPeer("b", "a", Message.of("y", null));
        executor.runAll();

        assertThat(broker.getMetrics().deliveredByType()).isEmpty();
        assertThat(broker.getMetrics().delivered()).isEqualTo(1);
    }

    @Test
    void rejectingDispatcher_failsTheSend_butKeepsTheMessageCounted() {
        InProcessMessageBroker broker = new InProcessMessageBroker(MessageBrokerConfig.builder()
                .dispatcher(command -> {
                    throw new java.util.concurrent.RejectedExecutionException("down");
                }).closeTimeout(Duration.ofMillis(10)).build());
        toClose.add(broker);
        broker.onPeerMessage("a", m -> { });

        assertThatThrownBy(() -> broker.sendToPeer("b", "a", Message.of("y", null)).join())
                .cause().isInstanceOf(BrokerException.class).hasMessageContaining("rejected");
        assertThat(broker.getMetrics().accepted()).isEqualTo(1);
        assertThat(broker.getMetrics().refused()).isZero();
    }

    @Test
    void nullArguments_areRejectedWithTheirNames() {
        InProcessMessageBroker broker = broker();
        Message message = Message.of("t", null);
        assertThatThrownBy(() -> broker.sendToPeer(null, "b", message)).hasMessage("senderId");
        assertThatThrownBy(() -> broker.sendToPeer("a", null, message)).hasMessage("recipientId");
        assertThatThrownBy(() -> broker.sendToPeer("a", "b", null)).hasMessage("message");
        assertThatThrownBy(() -> broker.onPeerMessage("a", null)).hasMessage("handler");
        assertThatThrownBy(() -> broker.publish(null, message)).hasMessage("topic");
        assertThatThrownBy(() -> broker.broadcastToMesh("a", null, message))
                .hasMessage("neighbors");
    }
}
