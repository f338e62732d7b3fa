package io.github.hivemesh.completion;

/**
 * The hooks every participant of a Dijkstra–Scholten computation calls: a peer
 * ({@link CompletionPeer}) or the root ({@link CompletionRoot}). A participant counts in its
 * <em>deficit</em> the basic messages it has sent and not yet had signalled back.
 *
 * <p>Which thread may call what is stated on the two subtypes.
 */
public interface CompletionNode {

    /** {@return the participant's endpoint id (where its signals are addressed)} */
    String id();

    /**
     * Rule 1: records a basic message (a task assignment) about to be sent to
     * {@code recipientId}. Call it <em>before</em> the message can be seen by anyone (before
     * {@code sendToPeer}), so the deficit never lags a message in flight.
     *
     * @param recipientId who will receive it (may be this participant itself)
     * @param messageId   the basic message's {@code Message.messageId()}
     */
    void onSend(String recipientId, long messageId);

    /**
     * Undoes {@link #onSend} for a basic message the broker refused (nothing was enqueued, so no
     * signal will come). The caller still owns the task: it ends it, keeps it queued, or holds it
     * at the root. Unknown ids are ignored.
     *
     * @param messageId the basic message's {@code Message.messageId()}
     */
    void onSendFailed(long messageId);

    /**
     * Rule 3: a signal arrived (the payload of a
     * {@link IDistributedCompletionDetector#SIGNAL_MESSAGE_TYPE} message): the deficit drops by
     * one, then the participant tries to detach. A signal of an older epoch, or for a message
     * id that is not outstanding here, is ignored and counted in
     * {@link CompletionDetectorMetrics#ignoredSignals()}.
     *
     * @param acknowledgment the signal, as it arrived
     */
    void onSignal(CompletionProbe acknowledgment);
}
