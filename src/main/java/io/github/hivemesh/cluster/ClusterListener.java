package io.github.hivemesh.cluster;

/**
 * What a {@link ClusterTransport} tells its user: views and messages.
 *
 * <p><b>Threads.</b> Called on a thread of the transport (a JGroups receiver thread; the
 * harness thread in the simulation), <em>one call at a time</em>: calls never overlap and each
 * happens-before the next, so views and messages reach the listener in one total order, the
 * transport's delivery order. A call must not block: hand the work to a mailbox and return. A
 * listener that blocks stalls every delivery of its member (and, through flow control, its
 * senders); one that throws has the exception logged and counted
 * ({@link ClusterTransportMetrics#listenerFailures()}) and delivery goes on.
 *
 * <p>A listener may call {@link ClusterTransport#send} and
 * {@link ClusterTransport#sendToAll} (a send may briefly wait for flow-control credits) and
 * {@link ClusterTransport#view()}, which answers the last view passed to {@link #onView}.
 */
public interface ClusterListener {

    /**
     * A new view: from now until the next call of {@code onView}, {@link #onMessage} is called
     * only for senders among {@code view.members()}. The first call comes before
     * {@link ClusterTransport#start} returns.
     *
     * @param view the new view
     */
    void onView(ClusterView view);

    /**
     * A message from {@code from}, a member of the last view passed to {@link #onView} (never
     * this member itself).
     *
     * @param from the sending member
     * @param payload the bytes given to {@code send}; the listener owns the array
     */
    void onMessage(MemberId from, byte[] payload);
}
