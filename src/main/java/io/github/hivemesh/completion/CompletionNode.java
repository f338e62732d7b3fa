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
     * The root of the engagement tree this node belongs to: the detector's own root for the
     * root and for a peer's {@link CompletionPeer#tree own tree}, another member's root for a
     * peer's part in that member's tree (cluster mode, see {@code docs/cluster.md}).
     *
     * @return the root's id
     */
    String rootId();

    /**
     * The epoch of this node's tree: the detector's for its own root; for another root's tree,
     * the epoch of the basic message of that tree this peer received last. A basic message is
     * stamped with its sender's tree epoch and carries it to its recipient.
     *
     * @return the tree's epoch
     */
    long epoch();

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

    /**
     * Rule 3 for a signal that acknowledges several basic messages at once: each of its
     * acknowledgments is counted (or ignored) as by {@link #onSignal(CompletionProbe)}, then
     * the participant tries to detach once. Same thread as {@link #onSignal(CompletionProbe)}.
     * A peer's own node hands a signal of another root's tree to its node of that tree
     * ({@link CompletionPeer#tree}); any other node ignores, and counts as ignored, a signal
     * that is not of its own tree.
     *
     * @param signal the acknowledgments it carries
     */
    void onSignal(CompletionSignal signal);
}
