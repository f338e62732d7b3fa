package io.github.hivemesh.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageBrokerConfig;
import io.github.hivemesh.completion.CompletionProbe.Type;
import io.github.hivemesh.testing.ManualExecutor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalTransportTest {

    private final ManualExecutor dispatcher = new ManualExecutor();
    private final InProcessMessageBroker broker = new InProcessMessageBroker(MessageBrokerConfig
            .builder().dispatcher(dispatcher).mailboxCapacity(1).build());

    @Test
    void overBroker_sendsAControlMessage_fromTheSignallerToTheDeficitHolder_evenIntoAFullMailbox() {
        List<Message> received = new ArrayList<>();
        broker.onPeerMessage("p", received::add);
        broker.onPeerMessage("q", m -> { });
        broker.sendToPeer("x", "p", Message.of("task", null)).join();   // p's mailbox is full now
        CompletionProbe ack = new CompletionProbe(7, "p", "q", Type.ACKNOWLEDGMENT, 2);
        SignalTransport.overBroker(broker).send(ack);
        dispatcher.runAll();
        assertThat(received).hasSize(2);
        Message signal = received.get(1);
        assertThat(signal.type()).isEqualTo(IDistributedCompletionDetector.SIGNAL_MESSAGE_TYPE);
        assertThat(signal.payload()).isEqualTo(ack);
        assertThat(signal.senderId()).isEqualTo("q");
        assertThat(signal.recipientId()).isEqualTo("p");
        assertThat(broker.getMetrics().delivered(IDistributedCompletionDetector.SIGNAL_MESSAGE_TYPE))
                .isEqualTo(1);
    }

    @Test
    void overBroker_aRefusedSignalIsLogged_notThrownIntoThePeer() {
        SignalTransport transport = SignalTransport.overBroker(broker);
        transport.send(new CompletionProbe(7, "gone", "q", Type.ACKNOWLEDGMENT, 0));
        assertThat(broker.getMetrics().refused()).isEqualTo(1);
        assertThatThrownBy(() -> SignalTransport.overBroker(null))
                .isInstanceOf(NullPointerException.class);
    }
}
