package io.github.hivemesh.completion;

/**
 * The virtual root R of the engagement tree: the coordinator. It sends the submitted tasks as
 * basic messages, and it also holds the tasks that are <em>pending at the root</em> (waiting on
 * dependencies, on a paused agent, or on mailbox space). The swarm is quiescent exactly when
 * R's deficit is zero and R holds no pending task.
 *
 * <h2>Calling thread</h2>
 * Thread-safe: {@link #onSend}, {@link #hold()} and {@link #release()} are called from user
 * threads (submit) or from any peer's mailbox (a peer parking a subtask), and
 * {@link #onSignal} from the root endpoint's mailbox. The counts are atomics.
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li>A task sent at once: {@link #onSend}, then {@code sendToPeer}.</li>
 *   <li>A task that must wait: {@link #hold()} when it is accepted; when it can go,
 *       {@link #onSend} and {@code sendToPeer} <em>first</em> and {@link #release()} after;
 *       if it ends without being sent (a dependency failed, it was cancelled),
 *       {@link #release()} only.</li>
 *   <li>Each signal addressed to the root endpoint: {@link #onSignal}.</li>
 * </ul>
 * Keeping that order means the outstanding count never touches zero while a task exists.
 */
public interface CompletionRoot extends CompletionNode {

    /** {@inheritDoc} Any thread. */
    @Override
    void onSend(String recipientId, long messageId);

    /** Holds one task pending at the root; the swarm is not quiescent while any is held. */
    void hold();

    /**
     * Releases one held task: it was sent (after {@link #onSend}) or it ended unsent.
     *
     * @throws IllegalStateException if nothing is held
     */
    void release();

    /** {@return tasks held pending at the root now} */
    int pending();
}
