package io.github.hivemesh.benchmarks;

import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.MailboxFullException;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageBrokerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The library's broker with its default configuration (own dispatcher pool). */
final class HiveMeshTransport extends HandoffTransport {

    private final InProcessMessageBroker broker;
    private final String[] senderIds = new String[MAX_SENDERS];
    private final String[] recipientIds;
    private final Message[][] messages;
    private final Message[] broadcastMessages = new Message[MAX_SENDERS];
    private final List<String> neighbours = new ArrayList<>();

    HiveMeshTransport(int recipients) {
        super(recipients);
        broker = new InProcessMessageBroker(MessageBrokerConfig.defaults());
        recipientIds = new String[recipients];
        messages = new Message[MAX_SENDERS][recipients];
        for (int r = 0; r < recipients; r++) {
            int recipient = r;
            recipientIds[r] = "peer-" + r;
            neighbours.add(recipientIds[r]);
            broker.onPeerMessage(recipientIds[r],
                    m -> onReceive(recipient, (Integer) m.payload()));
        }
        for (int s = 0; s < MAX_SENDERS; s++) {
            senderIds[s] = "sender-" + s;
            broadcastMessages[s] = Message.of("bench", s);
            for (int r = 0; r < recipients; r++) {
                // addressed up front, so the broker delivers the instance without copying
                messages[s][r] = Message.of("bench", s, senderIds[s], recipientIds[r]);
            }
        }
    }

    @Override
    void send(int sender, int recipient) {
        while (refusedForSpace(broker.sendToPeer(senderIds[sender], recipientIds[recipient],
                messages[sender][recipient]))) {
            // a refused message was not enqueued: back off and resend, as a real sender would
            Thread.yield();
        }
    }

    @Override
    void broadcast(int sender) {
        broker.broadcastToMesh(senderIds[sender], neighbours, broadcastMessages[sender]).join();
    }

    /** False when accepted; true when the mailbox was full; throws on any other refusal. */
    private static boolean refusedForSpace(CompletableFuture<Void> sent) {
        if (!sent.isCompletedExceptionally()) {
            return false;
        }
        try {
            sent.join();
            return false;
        } catch (CompletionException e) {
            if (e.getCause() instanceof MailboxFullException) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
