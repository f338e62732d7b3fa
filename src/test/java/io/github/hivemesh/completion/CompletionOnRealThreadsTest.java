package io.github.hivemesh.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageBrokerConfig;
import io.github.hivemesh.broker.MessageHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The detector on real threads: the production broker with its own dispatcher pool, peers that
 * delegate a binary tree of subtasks to random peers, and several user threads submitting at
 * once. When a waiter completes, every task created so far must have ended.
 */
class CompletionOnRealThreadsTest {

    private static final int PEERS = 6;
    private static final int DEPTH = 7;
    private static final int SUBMITTERS = 3;
    private static final int SUBMISSIONS = 20;

    /** Runs each task inline and delegates two children until the tree is deep enough. */
    private static final class TreePeer implements MessageHandler {
        private final String id;
        private final CompletionPeer node;
        private final IMessageBroker broker;
        private final AtomicLong created;
        private final AtomicLong ended;
        private final SplittableRandom random;

        TreePeer(String id, IDistributedCompletionDetector detector, IMessageBroker broker,
                AtomicLong created, AtomicLong ended, long seed) {
            this.id = id;
            this.node = detector.addPeer(id);
            this.broker = broker;
            this.created = created;
            this.ended = ended;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public void onMessage(Message message) {
            if (IDistributedCompletionDetector.SIGNAL_MESSAGE_TYPE.equals(message.type())) {
                node.onSignal((CompletionProbe) message.payload());
                return;
            }
            node.onReceive(message.senderId(), message.messageId());
            int depth = (Integer) message.payload();
            if (depth < DEPTH) {
                for (int child = 0; child < 2; child++) {
                    created.incrementAndGet();
                    Message task = Message.of("task", depth + 1);
                    String target = "peer-" + random.nextInt(PEERS);
                    node.onSend(target, task.messageId());
                    broker.sendToPeer(id, target, task);
                }
            }
            ended.incrementAndGet();
            node.onIdle();     // the task ran inline: nothing is queued or running here now
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void completionReported_onlyAfterEveryTaskEnded_withConcurrentSubmitters(long seed)
            throws Exception {
        AtomicLong created = new AtomicLong();
        AtomicLong ended = new AtomicLong();
        try (InProcessMessageBroker broker = new InProcessMessageBroker(MessageBrokerConfig
                .builder().dispatcherThreads(2).dispatchBatchSize(8).build())) {
            IDistributedCompletionDetector detector = DistributedCompletionDetector
                    .createDistributedCompletionDetector("swarm", "root",
                            SignalTransport.overBroker(broker),
                            DistributedCompletionConfig.defaults());
            CompletionRoot root = detector.root();
            broker.onPeerMessage("root", m -> root.onSignal((CompletionProbe) m.payload()));
            for (int p = 0; p < PEERS; p++) {
                broker.onPeerMessage("peer-" + p, new TreePeer("peer-" + p, detector, broker,
                        created, ended, seed * 100 + p));
            }
            List<Long> endedAtCompletion = new ArrayList<>();
            List<Long> createdAtCompletion = new ArrayList<>();
            root.hold();   // the user's batch: nothing may complete before it is all submitted
            CompletableFuture<Boolean> done =
                    detector.detectCompletion("swarm", Duration.ofMinutes(1));
            done.thenRun(() -> {
                endedAtCompletion.add(ended.get());
                createdAtCompletion.add(created.get());
            });
            List<CompletableFuture<Void>> submitters = new ArrayList<>();
            for (int s = 0; s < SUBMITTERS; s++) {
                int submitter = s;
                submitters.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < SUBMISSIONS; i++) {
                        created.incrementAndGet();
                        Message task = Message.of("task", 0);
                        String target = "peer-" + ((submitter + i) % PEERS);
                        root.onSend(target, task.messageId());
                        broker.sendToPeer("root", target, task);
                    }
                }));
            }
            CompletableFuture.allOf(submitters.toArray(CompletableFuture[]::new)).join();
            root.release();
            await().atMost(Duration.ofSeconds(30)).until(done::isDone);
            long perRootTask = (1L << (DEPTH + 1)) - 1;
            assertThat(done.join()).isTrue();
            assertThat(createdAtCompletion).containsExactly(SUBMITTERS * SUBMISSIONS * perRootTask);
            assertThat(endedAtCompletion).isEqualTo(createdAtCompletion);
            assertThat(broker.getMetrics().delivered(IDistributedCompletionDetector.SIGNAL_MESSAGE_TYPE))
                    .isEqualTo(broker.getMetrics().delivered("task"));
            assertThat(detector.getMetrics().completedPeers()).isEqualTo(PEERS);
        }
    }
}
