package io.github.hivemesh.broker;

/** A message was addressed to a peer that has no registered handler on this broker. */
public class UnknownPeerException extends BrokerException {

    private static final long serialVersionUID = 1L;

    /** The id the message was addressed to. */
    private final String peerId;

    /**
     * An exception naming the unknown peer.
     *
     * @param peerId the id the message was addressed to
     */
    public UnknownPeerException(String peerId) {
        super("unknown peer '" + peerId + "': no handler is registered for it");
        this.peerId = peerId;
    }

    /** {@return the id the message was addressed to} */
    public String peerId() {
        return peerId;
    }
}
