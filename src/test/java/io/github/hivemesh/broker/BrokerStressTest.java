package io.github.hivemesh.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several sender threads, many peers, a small dispatcher pool: every message is delivered
 * exactly once and in order per sender→receiver pair, with and without full mailboxes.
 */
class BrokerStressTest {

    private static final int SENDERS = 4;
    private static final int PEERS = 32;
    private static final int MESSAGES_PER_SENDER = 20_000;

    /** Payload: who sent it and its sequence number on that pair. */
    private record Stamp(int sender, long seq) {
    }

    /** What one peer saw: per sender, the next sequence number it expects. */
    private static final class Receiver {
        final long[] next = new long[SENDERS];
        final AtomicLong received = new AtomicLong();
        volatile String violation;

        void onMessage(Message message) {
            Stamp stamp = (Stamp) message.payload();
            // handlers of one peer never run concurrently, so plain fields are enough
            if (stamp.seq() != next[stamp.sender()]) {
                violation = "peer " + message.recipientId() + " got seq " + stamp.seq()
                        + " from sender " + stamp.sender() + ", expected " + next[stamp.sender()];
            }
            next[stamp.sender()] = stamp.seq() + 1;
            received.incrementAndGet();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void everyMessageDeliveredExactlyOnce_inOrderPerPair(long seed) throws Exception {
        run(seed, MessageBrokerConfig.builder().dispatcherThreads(2).dispatchBatchSize(32)
                .mailboxCapacity(1 << 20).build());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {4, 5})
    void tinyMailboxes_refuseUnderPressure_yetLoseAndReorderNothing(long seed) throws Exception {
        run(seed, MessageBrokerConfig.builder().dispatcherThreads(2).dispatchBatchSize(4)
                .mailboxCapacity(8).build());
    }

    private void run(long seed, MessageBrokerConfig config) throws Exception {
        Receiver[] receivers = new Receiver[PEERS];
        AtomicLong refusals = new AtomicLong();
        long expected;
        try (InProcessMessageBroker broker = new InProcessMessageBroker(config)) {
            for (int p = 0; p < PEERS; p++) {
                Receiver receiver = new Receiver();
                receivers[p] = receiver;
                broker.onPeerMessage("peer-" + p, receiver::onMessage);
            }
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> senders = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                senders.add(CompletableFuture.runAsync(() -> {
                    SplittableRandom random = new SplittableRandom(seed * 31 + sender);
                    long[] seq = new long[PEERS];
                    awaitLatch(start);
                    for (int i = 0; i < MESSAGES_PER_SENDER; i++) {
                        int peer = random.nextInt(PEERS);
                        boolean control = random.nextInt(4) == 0;
                        Message message = Message.of("m", new Stamp(sender, seq[peer]));
                        // a refused user message was not enqueued: resend the same one
                        while (true) {
                            CompletableFuture<Void> sent = control
                                    ? broker.sendControl("s" + sender, "peer-" + peer, message)
                                    : broker.sendToPeer("s" + sender, "peer-" + peer, message);
                            if (!sent.isCompletedExceptionally()) {
                                break;
                            }
                            refusals.incrementAndGet();
                            Thread.onSpinWait();
                        }
                        seq[peer]++;
                    }
                }));
            }
            start.countDown();
            CompletableFuture.allOf(senders.toArray(new CompletableFuture<?>[0])).join();
            expected = (long) SENDERS * MESSAGES_PER_SENDER;
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> broker.getMetrics().delivered() == expected);

            BrokerMetrics metrics = broker.getMetrics();
            assertThat(metrics.accepted()).as("seed %d", seed).isEqualTo(expected);
            assertThat(metrics.refused()).as("seed %d", seed).isEqualTo(refusals.get());
        }
        long total = 0;
        for (Receiver receiver : receivers) {
            assertThat(receiver.violation).as("seed %d", seed).isNull();
            total += receiver.received.get();
        }
        assertThat(total).as("seed %d", seed).isEqualTo(expected);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
