package io.github.hivemesh.cluster;

/**
 * Told by a {@link ClusterMessageBroker} how the other members' endpoints come and go: what
 * placement and discovery across members follow (a member that joins announces its agents and
 * their capabilities; a member that leaves the view takes its agents out).
 *
 * <p>Called on the transport's thread, one call at a time, in the order the changes were
 * learnt; a call must not block (hand the change to a mailbox). A listener that throws is
 * logged and the broker goes on.
 */
public interface ClusterDirectoryListener {

    /**
     * {@code endpoint} is hosted by its member from now on, with these capabilities: it is new,
     * or its member announced it again with other capabilities.
     *
     * @param endpoint the endpoint as its member announced it
     */
    void onAnnounced(RemoteEndpoint endpoint);

    /**
     * {@code endpoint} is gone: its member removed it ({@code memberLeft} false), or the member
     * left this member's view ({@code memberLeft} true: it crashed, hung, was cut off or left).
     *
     * @param endpoint   the endpoint as it was last announced
     * @param memberLeft whether its member left the view (rather than removing the endpoint)
     */
    void onLeft(RemoteEndpoint endpoint, boolean memberLeft);
}
