package io.github.hivemesh.completion;

import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.Message;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;

/**
 * How a detector sends a Dijkstra–Scholten signal: the coordinator provides it, so the detector
 * never reaches into another peer's objects. The acknowledgment goes from
 * {@link CompletionProbe#recipientId()} (the signalling peer) to
 * {@link CompletionProbe#senderId()} (whose deficit it decrements), which must hand it to its
 * {@link CompletionNode#onSignal} from its own mailbox.
 *
 * <p>Called from the signalling peer's mailbox. Must not call back into the detector
 * synchronously on the same thread (a broker enqueues; it does not deliver inline).
 */
@FunctionalInterface
public interface SignalTransport {

    /**
     * Sends one acknowledgment to {@code acknowledgment.senderId()}.
     *
     * @param acknowledgment the acknowledgment to deliver
     */
    void send(CompletionProbe acknowledgment);

    /**
     * Sends one signal acknowledging {@code signal.count()} basic messages at once, to
     * {@code signal.senderId()}; its recipient hands it to its node of {@code signal.rootId()}'s
     * tree ({@link CompletionNode#onSignal(CompletionSignal)}). A peer sends through this
     * method when it combines acknowledgments ({@link DistributedCompletionConfig#signalBatchSize()}
     * above 1) and for the trees of other roots ({@link CompletionPeer#tree}).
     *
     * <p>The default sends each acknowledgment through {@link #send(CompletionProbe)}, which
     * drops the root: right only while every signal belongs to the detector's own root's tree.
     * A transport of a peer that takes part in other roots' trees must override it and carry
     * the root.
     *
     * @param signal the acknowledgments to send, all from one recipient to one sender
     */
    default void send(CompletionSignal signal) {
        Objects.requireNonNull(signal, "signal");
        for (int i = 0; i < signal.count(); i++) {
            send(signal.acknowledgment(i));
        }
    }

    /**
     * {@return the standard transport: each signal is a control message of type
     * {@link IDistributedCompletionDetector#SIGNAL_MESSAGE_TYPE} with the acknowledgment as its
     * payload, sent with {@link IMessageBroker#sendControl} (never refused for space, FIFO with the
     * basic messages of the same pair)} A refused signal (unknown endpoint, closed broker) is
     * logged: completion of that busy period will then only be reported by a timeout.
     *
     * @param broker the broker
     */
    static SignalTransport overBroker(IMessageBroker broker) {
        Objects.requireNonNull(broker, "broker");
        return acknowledgment -> {
            Objects.requireNonNull(acknowledgment, "acknowledgment");
            CompletableFuture<Void> sent = broker.sendControl(acknowledgment.recipientId(),
                    acknowledgment.senderId(),
                    Message.of(IDistributedCompletionDetector.SIGNAL_MESSAGE_TYPE, acknowledgment));
            // the broker's fast path returns a shared completed future: nothing to chain then
            if (!sent.isDone() || sent.isCompletedExceptionally()) {
                sent.whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LoggerFactory.getLogger(SignalTransport.class)
                                .warn("completion signal {} was not sent", acknowledgment, failure);
                    }
                });
            }
        };
    }
}
