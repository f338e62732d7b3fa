package io.github.hivemesh.completion;

/**
 * One peer's part of Dijkstra–Scholten, driven by the peer from inside its own mailbox.
 *
 * <h2>Calling thread</h2>
 * Every method must be called from the peer's mailbox (its serial actor), never concurrently
 * and never from another thread: the peer's parent, deficit and busy flag are touched only
 * there, without locks. A session running on a worker thread that delegates a subtask posts the
 * delegation to its peer's mailbox, which calls {@link #onSend} and sends. Other threads read
 * published snapshots through {@link IDistributedCompletionDetector}.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>Before sending a basic message: {@link #onSend}; if the broker refuses it,
 *       {@link #onSendFailed}.</li>
 *   <li>On a basic message: {@link #onReceive} before queueing or running the task.</li>
 *   <li>On a signal message: {@link #onSignal}.</li>
 *   <li>Whenever the peer has no queued and no running task any more: {@link #onIdle}.</li>
 * </ol>
 * Signals are sent through the detector's {@link SignalTransport}, from the peer's mailbox.
 */
public interface CompletionPeer extends CompletionNode {

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if the peer is neutral: only an engaged peer (one with a
     *                               task) may send basic messages; hold the task at the
     *                               {@link CompletionRoot} instead
     */
    @Override
    void onSend(String recipientId, long messageId);

    /**
     * Rule 2: a basic message from {@code senderId} arrived. The peer is busy from now until
     * its next {@link #onIdle}. A neutral peer becomes engaged with {@code senderId} as its
     * parent and keeps that signal back; an engaged one signals {@code senderId} at once.
     *
     * @param senderId  the basic message's sender (a peer or the root)
     * @param messageId its {@code Message.messageId()}
     */
    void onReceive(String senderId, long messageId);

    /**
     * {@link #onReceive(String, long)} for a basic message stamped with {@code epoch}, the
     * epoch of its tree's root as its sender knew it (see {@link #epoch()}); this peer's signal
     * for it carries the same epoch. A message of another member's root must come with it.
     *
     * @param senderId  who sent the basic message
     * @param messageId its id, unique per sender
     * @param epoch     its tree's epoch as the sender knew it
     */
    void onReceive(String senderId, long messageId, long epoch);

    /**
     * Rule 4: the peer has no queued and no running task. If it is engaged and its deficit is
     * zero it signals its parent and becomes neutral; otherwise it detaches later, when the
     * last signal arrives. Calling it while a task is queued or running breaks the algorithm.
     */
    void onIdle();

    /**
     * The peer has local work again without having received a basic message — one of its own
     * basic messages came back undelivered (its recipient had gone) and it must place the task
     * again: it is busy until its next {@link #onIdle}, so withdrawing that message
     * ({@link #onSendFailed}) cannot detach it meanwhile.
     *
     * @throws IllegalStateException if the peer is neutral (a peer with a message out is not)
     */
    void onBusy();

    /** {@return whether the peer is engaged (has a parent) now, in this node's tree} */
    boolean isEngaged();

    /**
     * Whether the peer is neutral in every tree it is part of, with nothing outstanding: it may
     * be forgotten. Any thread.
     *
     * @return whether the peer is neutral in every tree
     */
    boolean isNeutral();

    /**
     * The peer's part in the engagement tree of {@code rootId} (cluster mode: each member's
     * root has a tree of its own, and a peer takes part in several): this node for the
     * detector's own root, otherwise a node created on first use and kept. Every hook of that
     * tree's work goes to that node: its basic messages, their signals, and its {@link #onIdle}
     * once no work of that root is left at the peer — not before, and regardless of the other
     * roots' work. Its signals are sent through {@link SignalTransport#send(CompletionSignal)},
     * carrying that root. Call it on the node the detector gave out.
     *
     * @param rootId the root of the tree
     * @return this peer's node of that tree
     * @throws IllegalStateException on a node of another root's tree
     */
    CompletionPeer tree(String rootId);
}
