package io.github.hivemesh.benchmarks;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One way of moving a message from a sender thread to a receiver's handler, so the broker and
 * its baselines run the same benchmark code. Receivers count what they got per sender; a
 * sender waits on those counts to measure end-to-end handoff, not just enqueueing.
 */
abstract class HandoffTransport implements AutoCloseable {

    static final int MAX_SENDERS = 8;

    /**
     * Longs between two counters (and before the first): 128 bytes, so each counter has its
     * cache lines to itself. Unpadded, a consumer's store to one sender's count invalidated the
     * line every waiting sender spins on — and the ids or other objects allocated next to the
     * array — which charged the harness's own false sharing to whichever transport it measured.
     */
    private static final int PAD = 16;

    /** Counts per (recipient, sender), each slot {@link #PAD}-spaced; one writer, the recipient. */
    final AtomicLongArray received;
    final int recipients;

    /** The broker under test; every other name is a baseline. */
    static final String HIVEMESH = "hivemesh";

    /**
     * A transport by its benchmark parameter name: {@value #HIVEMESH} or one of the baselines
     * ({@code ArrayBlockingQueue}, {@code LinkedBlockingQueue}, {@code JCTools-MPSC},
     * {@code Disruptor}, {@code Guava-AsyncEventBus}, {@code Pekko-typed}). Bounded ones get
     * {@code capacity} slots per recipient.
     */
    static HandoffTransport create(String name, int recipients, int capacity) {
        return switch (name) {
            case HIVEMESH -> new HiveMeshTransport(recipients);
            case "ArrayBlockingQueue" ->
                    BlockingQueueTransport.arrayBlockingQueue(recipients, capacity);
            case "LinkedBlockingQueue" ->
                    BlockingQueueTransport.linkedBlockingQueue(recipients, capacity);
            case "JCTools-MPSC" -> new JCToolsTransport(recipients, capacity);
            case "Disruptor" -> new DisruptorTransport(recipients, capacity);
            case "Guava-AsyncEventBus" -> new EventBusTransport(recipients);
            case "Pekko-typed" -> new PekkoTransport(recipients);
            default -> throw new IllegalArgumentException("unknown transport " + name);
        };
    }

    HandoffTransport(int recipients) {
        this.recipients = recipients;
        this.received = new AtomicLongArray((recipients * MAX_SENDERS + 2) * PAD);
    }

    /** Called by a recipient for a message from {@code sender}. */
    final void onReceive(int recipient, int sender) {
        int slot = slot(recipient, sender);
        received.lazySet(slot, received.get(slot) + 1);
    }

    private static int slot(int recipient, int sender) {
        return (1 + recipient * MAX_SENDERS + sender) * PAD;
    }

    /** Hands one message from {@code sender} to {@code recipient}, waiting if it must. */
    abstract void send(int sender, int recipient);

    /** Hands one message from {@code sender} to every recipient. */
    void broadcast(int sender) {
        for (int r = 0; r < recipients; r++) {
            send(sender, r);
        }
    }

    /** Spins (politely: two cores are shared with the consumers) until the count is reached. */
    final void awaitReceived(int recipient, int sender, long target) {
        int slot = slot(recipient, sender);
        int spins = 0;
        while (received.get(slot) < target) {
            if (++spins % 64 == 0) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public abstract void close();
}
