package io.github.hivemesh.cluster;

import java.util.List;
import java.util.Objects;

/**
 * Membership and messaging between the members of one cluster: what cluster mode (the cluster
 * broker, completion across members, failure handling) stands on. JGroups is the engine
 * ({@code io.github.hivemesh.cluster.jgroups}); tests put a seeded simulation in its place.
 * Payloads are opaque bytes: encoding is the caller's.
 *
 * <h2>Guarantees</h2>
 * For members A and B (each an incarnation, see {@link MemberId}):
 * <ol>
 * <li><b>Views.</b> A transport delivers views with strictly increasing ids, each containing the
 * member itself. Once a member is missing from a view delivered here after being in an earlier
 * one (it left, crashed, hung or is across a partition), it has <em>departed</em> for this
 * transport for good: no later view has it among its members (an engine's merge that brings
 * it back lists it as {@link ClusterView#fenced() fenced}), nothing more from it is delivered
 * and nothing can be sent to it. A merge view also departs the members of this member's view
 * that it shows in a subgroup without this member: they went on without it (it hung or was cut
 * off), so fencing is symmetric and a resumed zombie fences those that excluded it. A process
 * comes back only as a new incarnation. Members that
 * can talk to each other converge on the same view; views at different members may differ for
 * a while, and each side of a partition has its own.</li>
 * <li><b>FIFO per pair, without gaps.</b> What B delivers from A — {@link #send} and
 * {@link #sendToAll} alike, one stream per pair — is a prefix of what A sent to B, in A's send
 * order, each message once.</li>
 * <li><b>Reliable while both stay.</b> A message for which {@code send} returned true is
 * delivered to B unless, before it arrives, B installs a view without A, A installs a view
 * without B (A stops retransmitting), or either transport closes. The engine retransmits
 * what the network lost until then.</li>
 * <li><b>Messages to a member that left</b> are lost without notice beyond the view:
 * {@code send} returns false when the recipient is not in the sender's current view, and a
 * message on its way when its recipient or sender departs is dropped.</li>
 * <li><b>Views and messages at one member</b> reach the {@link ClusterListener} one call at a
 * time, in one order: after {@code onView(V)}, {@code onMessage} is called only for senders
 * in V. A message is delivered in the view current at its delivery, which need not be the view
 * it was sent in (no virtual synchrony): a member cannot know whether its last messages before
 * it was excluded were delivered. A message from a joiner whose view has not reached this
 * member yet waits (bounded) for that view and is delivered just after it.</li>
 * <li>A member never sends to or receives from itself: local delivery is the in-process
 * broker's business.</li>
 * </ol>
 * What breaks these is counted, never thrown on an engine thread: see
 * {@link ClusterTransportMetrics}. {@code docs/cluster.md} maps each guarantee to the JGroups
 * protocol that gives it.
 *
 * <h2>Lifecycle and threads</h2>
 * A transport is started once and closed once; to rejoin (a new incarnation), create a new one.
 * {@link #send}, {@link #sendToAll}, {@link #view()}, {@link #self()} and {@link #metrics()}
 * are thread-safe. The transport's threads are the engine's; {@link #close()} stops them.
 */
public interface ClusterTransport extends AutoCloseable {

    /**
     * {@return a transport for {@code config}: from its {@link ClusterConfig#transportFactory()},
     * else JGroups ({@link ClusterTransportFactory#jgroups()})}
     *
     * @param config the settings
     * @throws ClusterException if no factory is given and JGroups is not on the class path
     */
    static ClusterTransport create(ClusterConfig config) {
        Objects.requireNonNull(config, "config");
        return config.transportFactory().orElseGet(ClusterTransportFactory::jgroups)
                .create(config);
    }

    /**
     * Joins the cluster, or forms a cluster of one when no member answers within the join
     * timeout, and returns the first view, which {@code listener} has already been given.
     * Blocks the calling thread while it joins.
     *
     * @param listener receives the views and the messages from now on
     * @return the first view
     * @throws ClusterException       if the engine cannot start or join
     * @throws TlsRequiredException   if TLS is required and not configured
     * @throws IllegalStateException  if this transport was started before
     */
    ClusterView start(ClusterListener listener);

    /** {@return this member's id, drawn at {@link #start}; fails before} */
    MemberId self();

    /** {@return the last view given to the listener; fails before {@link #start}} */
    ClusterView view();

    /**
     * Sends {@code payload} to {@code to}. Returns once the engine has taken the message (it
     * may briefly wait for flow-control credits); delivery follows the guarantees above.
     *
     * @param to the receiving member
     * @param payload not modified by the transport, and must not be modified by the caller after
     *     the call
     * @return false (nothing sent) if {@code to} is not in the current view or this transport is
     *     closed
     * @throws IllegalArgumentException if {@code to} is this member or the payload is larger than
     *     {@link ClusterConfig#maxMessageSize()}
     * @throws IllegalStateException    before {@link #start}
     * @throws ClusterException         if the engine fails the send
     */
    boolean send(MemberId to, byte[] payload);

    /**
     * Sends {@code payload} to every other member of the current view, each as if by
     * {@link #send} (so FIFO with everything else sent to that member).
     *
     * @param payload not modified by the transport, and must not be modified by the caller after
     *     the call
     * @return the members it was sent to, in view order; empty when alone or closed
     * @throws IllegalArgumentException if the payload is too large
     * @throws IllegalStateException    before {@link #start}
     */
    List<MemberId> sendToAll(byte[] payload);

    /** {@return counts since start} */
    ClusterTransportMetrics metrics();

    /**
     * Leaves the cluster (the others see a view without this member at once, no failure
     * detection needed) and stops the engine's threads. Idempotent; no listener call starts
     * after it returns.
     */
    @Override
    void close();
}
