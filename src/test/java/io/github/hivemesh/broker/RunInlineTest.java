package io.github.hivemesh.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.testing.ManualExecutor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunInlineTest {

    @Test
    void chainStartedInline_runsOnTheCallingThread_withoutTheDispatcher() {
        ManualExecutor dispatcher = new ManualExecutor();
        try (InProcessMessageBroker broker = new InProcessMessageBroker(
                MessageBrokerConfig.builder().dispatcher(dispatcher).build())) {
            List<String> seen = new CopyOnWriteArrayList<>();
            Thread caller = Thread.currentThread();
            // a -> b -> c, each hop sent from the previous handler
            broker.onPeerMessage("a", m -> {
                seen.add("a:" + (Thread.currentThread() == caller));
                broker.sendControl("a", "b", Message.of("hop", null));
            });
            broker.onPeerMessage("b", m -> {
                seen.add("b:" + (Thread.currentThread() == caller));
                broker.sendControl("b", "c", Message.of("hop", null));
            });
            broker.onPeerMessage("c", m -> seen.add("c:" + (Thread.currentThread() == caller)));

            broker.runInline(() -> broker.sendControl("x", "a", Message.of("start", null)));

            assertThat(seen).containsExactly("a:true", "b:true", "c:true");
            assertThat(dispatcher.pending()).isZero();
        }
    }

    @Test
    void endlessChain_isHandedToTheDispatcherAfterTheTurnLimit() {
        ManualExecutor dispatcher = new ManualExecutor();
        try (InProcessMessageBroker broker = new InProcessMessageBroker(
                MessageBrokerConfig.builder().dispatcher(dispatcher).build())) {
            AtomicInteger hops = new AtomicInteger();
            // ping and pong bounce one message: every hop is a turn of another mailbox
            broker.onPeerMessage("ping", m -> {
                if (hops.incrementAndGet() < 1_000) {
                    broker.sendControl("ping", "pong", Message.of("hop", null));
                }
            });
            broker.onPeerMessage("pong", m -> {
                if (hops.incrementAndGet() < 1_000) {
                    broker.sendControl("pong", "ping", Message.of("hop", null));
                }
            });

            broker.runInline(() -> broker.sendControl("x", "ping", Message.of("start", null)));

            assertThat(hops.get()).isEqualTo(InProcessMessageBroker.INLINE_TURNS);
            assertThat(dispatcher.pending()).isEqualTo(1);
            dispatcher.runAll();
            assertThat(hops.get()).isEqualTo(1_000);
        }
    }

    @Test
    void inlineOnADispatcherThread_orNested_justRunsTheAction() {
        try (InProcessMessageBroker broker = new InProcessMessageBroker()) {
            AtomicInteger delivered = new AtomicInteger();
            broker.onPeerMessage("b", m -> delivered.incrementAndGet());
            broker.onPeerMessage("a", m -> broker.runInline(() -> broker.runInline(
                    () -> broker.sendControl("a", "b", Message.of("t", null)))));

            broker.sendControl("x", "a", Message.of("t", null));

            await().until(() -> delivered.get() == 1);
        }
    }
}
