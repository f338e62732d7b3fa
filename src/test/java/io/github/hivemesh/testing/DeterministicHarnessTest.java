package io.github.hivemesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.broker.BrokerClosedException;
import io.github.hivemesh.broker.MailboxFullException;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageBrokerConfig;
import io.github.hivemesh.broker.RoutingType;
import io.github.hivemesh.broker.UnknownPeerException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The deterministic harness reorders across senders, never within a pair, and replays. */
class DeterministicHarnessTest {

    private static final int SENDERS = 3;
    private static final int PER_SENDER = 10;

    /** Delivers SENDERS × PER_SENDER numbered messages to "r"; returns "sender:seq" in order. */
    private static List<String> deliverAll(DeterministicHarness harness) {
        List<String> received = new ArrayList<>();
        DeterministicBroker broker = harness.broker();
        broker.onPeerMessage("r", m -> received.add(m.senderId() + ":" + m.payload()));
        for (int i = 0; i < PER_SENDER; i++) {
            for (int s = 0; s < SENDERS; s++) {
                broker.sendToPeer("s" + s, "r", Message.of("n", i));
            }
        }
        assertThat(harness.quiet()).isFalse();
        harness.runUntilStuck(Long.MAX_VALUE);
        assertThat(harness.quiet()).isTrue();
        return received;
    }

    @Test
    void fifoPerPair_isKept_whileOrderAcrossSendersVaries() {
        Set<List<String>> orders = new HashSet<>();
        for (long seed = 1; seed <= 20; seed++) {
            try (DeterministicHarness harness = DeterministicHarness.create(seed, m -> false)) {
                List<String> received = deliverAll(harness);
                assertThat(received).hasSize(SENDERS * PER_SENDER);
                for (int s = 0; s < SENDERS; s++) {
                    String sender = "s" + s + ":";
                    List<String> fromSender = received.stream()
                            .filter(x -> x.startsWith(sender)).toList();
                    assertThat(fromSender).as("seed %d, sender %s", seed, sender)
                            .containsExactlyElementsOf(java.util.stream.IntStream
                                    .range(0, PER_SENDER).mapToObj(i -> sender + i).toList());
                }
                orders.add(received);
            }
        }
        assertThat(orders).as("distinct cross-sender orders over 20 seeds").hasSizeGreaterThan(5);
    }

    @Test
    void sameSeed_replaysTheSameSchedule() {
        List<String> first;
        long firstTrace;
        try (DeterministicHarness harness = DeterministicHarness.create(7, m -> false)) {
            first = deliverAll(harness);
            firstTrace = harness.trace();
        }
        try (DeterministicHarness harness = DeterministicHarness.create(7, m -> false)) {
            assertThat(deliverAll(harness)).isEqualTo(first);
            assertThat(harness.trace()).isEqualTo(firstTrace);
            assertThat(harness.seed()).isEqualTo(7);
            assertThat(harness.steps()).isPositive();
        }
    }

    @Test
    void fullDeferral_delaysDeferrableMessages_whileAnythingElseCanMove() {
        DeterministicPolicy deferAll = new DeterministicPolicy(0.5, 1,
                DeterministicPolicy.Order.RANDOM);
        try (DeterministicHarness harness = DeterministicHarness.create(3, deferAll,
                m -> m.type().equals("signal"), MessageBrokerConfig.builder())) {
            List<String> received = new ArrayList<>();
            harness.broker().onPeerMessage("r", m -> received.add(m.type()));
            harness.broker().sendControl("a", "r", Message.of("signal", null));
            for (int i = 0; i < 5; i++) {
                harness.broker().sendToPeer("b", "r", Message.of("task", i));
            }
            harness.runUntilStuck(1_000);
            assertThat(received).containsExactly("task", "task", "task", "task", "task",
                    "signal");
            assertThat(harness.policy()).isEqualTo(deferAll);
        }
    }

    @Test
    void mailboxCapacity_countsHeldAndQueuedUserMessages_controlIsNeverRefused() {
        try (DeterministicHarness harness = DeterministicHarness.create(1, null, m -> false,
                MessageBrokerConfig.builder().mailboxCapacity(2))) {
            DeterministicBroker broker = harness.broker();
            broker.onPeerMessage("r", m -> { });
            assertThat(broker.sendToPeer("a", "r", Message.of("t", 1))).isDone();
            broker.release(0);                           // queued in the real mailbox now
            broker.sendToPeer("b", "r", Message.of("t", 2)).join();
            CompletableFuture<Void> third = broker.sendToPeer("c", "r", Message.of("t", 3));
            assertThatThrownBy(third::join).hasCauseInstanceOf(MailboxFullException.class);
            broker.sendControl("c", "r", Message.of("signal", null)).join();
            assertThat(broker.held()).isEqualTo(2);
            assertThat(broker.inFlight()).isEqualTo(3);
            harness.runUntilStuck(100);
            assertThat(broker.inFlight()).isZero();
            assertThat(harness.realBroker().getMetrics().delivered()).isEqualTo(3);
        }
    }

    @Test
    void unknownPeers_failAtOnce_andSoDoesAClosedBroker() {
        DeterministicHarness harness = DeterministicHarness.create(1, m -> false);
        DeterministicBroker broker = harness.broker();
        assertThatThrownBy(() -> broker.sendToPeer("a", "nobody", Message.of("t", 1)).join())
                .hasCauseInstanceOf(UnknownPeerException.class);
        broker.onPeerMessage("r", m -> { });
        assertThat(broker.isRegistered("r")).isTrue();
        harness.close();
        assertThatThrownBy(() -> broker.sendControl("a", "r", Message.of("t", 1)).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(BrokerClosedException.class);
    }

    @Test
    void aMessageAcceptedBeforeARemoval_isStillDelivered_likeTheRealBroker() {
        try (DeterministicHarness harness = DeterministicHarness.create(1, m -> false)) {
            DeterministicBroker broker = harness.broker();
            List<Object> seen = new ArrayList<>();
            broker.onPeerMessage("r", m -> seen.add(m.payload()));
            broker.sendToPeer("a", "r", Message.of("t", 1));
            broker.removePeer("r");

            assertThat(broker.isRegistered("r")).isFalse();
            assertThat(broker.sendToPeer("a", "r", Message.of("t", 2)))
                    .isCompletedExceptionally();
            harness.runUntilStuck(10);
            assertThat(seen).containsExactly(1);
            assertThat(broker.refusals()).isEmpty();
            assertThat(broker.inFlight()).isZero();
            assertThat(broker.delegate().isRegistered("r")).isFalse();
        }
    }


    @Test
    void broadcastsAreHeldPerPair_andKeepTheirRoutingType_topicsPassThrough() {
        try (DeterministicHarness harness = DeterministicHarness.create(5, m -> false)) {
            DeterministicBroker broker = harness.broker();
            List<Message> received = new ArrayList<>();
            List<Message> published = new ArrayList<>();
            List<Message> accepted = new ArrayList<>();
            List<Message> acknowledged = new ArrayList<>();
            broker.onPeerMessage("x", received::add);
            broker.onPeerMessage("y", received::add);
            broker.onPublish("x", accepted::add);
            broker.onAcknowledge("x", acknowledged::add);
            broker.subscribe("news", published::add);
            assertThat(broker.broadcastToMesh("a", List.of("x", "y"), Message.of("hi", null)))
                    .isDone();
            assertThat(broker.broadcastToMesh("a", List.of("x", "nobody"), Message.of("hi", null)))
                    .isCompletedExceptionally();
            broker.publish("news", Message.of("n", null)).join();
            harness.runUntilStuck(100);
            assertThat(received).hasSize(3)
                    .allSatisfy(m -> assertThat(m.routingType()).isEqualTo(RoutingType.BROADCAST));
            assertThat(published).hasSize(1);
            assertThat(accepted).hasSize(2);
            assertThat(acknowledged).hasSize(2);
            broker.unsubscribe("news", published::add);
            assertThat(broker.getMetrics().delivered("hi")).isEqualTo(3);
            assertThat(broker.delegate()).isSameAs(harness.realBroker());
        }
    }

    @Test
    void dispatcher_isConfinedToItsThread() throws Exception {
        DeterministicDispatcher dispatcher = new DeterministicDispatcher();
        List<String> ran = new ArrayList<>();
        dispatcher.execute(() -> ran.add("one"));
        assertThat(dispatcher.runOldest()).isTrue();
        assertThat(dispatcher.runOldest()).isFalse();
        assertThat(dispatcher.ran()).isEqualTo(1);
        CompletableFuture<Void> elsewhere = CompletableFuture.runAsync(
                () -> dispatcher.execute(() -> ran.add("two")));
        assertThatThrownBy(elsewhere::join).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("would not replay");
        assertThat(ran).containsExactly("one");
    }

    @Test
    void policy_rejectsProbabilitiesOutsideZeroToOne() {
        assertThatThrownBy(() -> new DeterministicPolicy(1.5, 0, DeterministicPolicy.Order.RANDOM))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeterministicPolicy(0.5, -1, DeterministicPolicy.Order.OLDEST))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DeterministicPolicy.UNIFORM.deferral()).isZero();
    }

    @Test
    void ledger_refusesATaskEndingTwice() {
        TaskLedger ledger = new TaskLedger();
        int task = ledger.create();
        assertThat(ledger.allEnded()).isFalse();
        ledger.end(task);
        assertThat(ledger.allEnded()).isTrue();
        assertThat(ledger.created()).isEqualTo(1);
        assertThat(ledger.ended()).isEqualTo(1);
        assertThatThrownBy(() -> ledger.end(task)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ledger.end(5)).isInstanceOf(IllegalStateException.class);
    }
}
