package io.github.hivemesh.broker;

/**
 * A user message was refused because the recipient's mailbox holds
 * {@link MessageBrokerConfig#mailboxCapacity()} user messages already. Nothing was enqueued: the
 * sender still owns the message and may retry.
 */
public class MailboxFullException extends BrokerException {

    private static final long serialVersionUID = 1L;

    /** The recipient whose mailbox is full. */
    private final String peerId;
    /** The mailbox capacity that was reached. */
    private final int capacity;

    /**
     * An exception naming the full mailbox and its capacity.
     *
     * @param peerId the recipient whose mailbox is full
     * @param capacity the mailbox capacity that was reached
     */
    public MailboxFullException(String peerId, int capacity) {
        super("mailbox of peer '" + peerId + "' is full (" + capacity
                + " user messages queued); the message was not enqueued");
        this.peerId = peerId;
        this.capacity = capacity;
    }

    /** {@return the recipient whose mailbox is full} */
    public String peerId() {
        return peerId;
    }

    /** {@return the mailbox capacity that was reached} */
    public int capacity() {
        return capacity;
    }
}
