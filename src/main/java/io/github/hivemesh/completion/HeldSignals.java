package io.github.hivemesh.completion;

import java.util.Arrays;

/**
 * The acknowledgments one peer holds back in one engagement tree, grouped by the sender of the
 * acknowledged basic messages, to be sent as one {@link CompletionSignal} per sender (see
 * {@link DistributedCompletionConfig#signalBatchSize()}). A peer sends few distinct senders'
 * messages between two idle moments (the root and its neighbours), so the groups are small
 * parallel arrays scanned linearly, and their id buffers are kept across flushes: holding an
 * acknowledgment allocates nothing once the groups have grown.
 *
 * <p>Mailbox-only, like the peer's other state; not thread-safe.
 */
final class HeldSignals {

    private final String rootId;
    private final String ownerId;
    private final int batchSize;
    private String[] senders = new String[2];
    private long[] epochs = new long[2];
    private long[][] ids = new long[2][];
    private int[] counts = new int[2];
    private int groups;
    private int held;

    HeldSignals(String rootId, String ownerId, int batchSize) {
        this.rootId = rootId;
        this.ownerId = ownerId;
        this.batchSize = batchSize;
    }

    /** Whether nothing is held. */
    boolean isEmpty() {
        return held == 0;
    }

    /** Acknowledgments held now. */
    int size() {
        return held;
    }

    /**
     * Holds the acknowledgment of basic message {@code messageId} from {@code senderId} of
     * {@code epoch}; sends that sender's group at once when it is full (or when its epoch
     * differs, which cannot happen while the tree's root is busy, but costs nothing to keep
     * exact).
     */
    void hold(String senderId, long messageId, long epoch, SignalTransport transport) {
        int g = group(senderId);
        if (counts[g] > 0 && epochs[g] != epoch) {
            send(g, transport);
        }
        epochs[g] = epoch;
        ids[g][counts[g]++] = messageId;
        held++;
        if (counts[g] == batchSize) {
            send(g, transport);
        }
    }

    /**
     * Sends every group, {@code parent}'s last, with {@code parentMessage} (the held-back
     * acknowledgment of the engaging message, may be null) riding in the parent's group when
     * their epochs agree.
     */
    void flush(CompletionProbe parentMessage, SignalTransport transport) {
        int parentGroup = -1;
        for (int g = 0; g < groups; g++) {
            if (parentMessage != null && senders[g].equals(parentMessage.senderId())) {
                parentGroup = g;
            } else if (counts[g] > 0) {
                send(g, transport);
            }
        }
        if (parentMessage == null) {
            return;
        }
        if (parentGroup >= 0 && counts[parentGroup] > 0
                && epochs[parentGroup] == parentMessage.epoch()
                && counts[parentGroup] < ids[parentGroup].length) {
            ids[parentGroup][counts[parentGroup]++] = parentMessage.messageId();
            held++;
            send(parentGroup, transport);
            return;
        }
        if (parentGroup >= 0 && counts[parentGroup] > 0) {
            send(parentGroup, transport);
        }
        transport.send(new CompletionSignal(rootId, parentMessage.epoch(),
                parentMessage.senderId(), ownerId, new long[] {parentMessage.messageId()}));
    }

    private void send(int g, SignalTransport transport) {
        long[] batch = Arrays.copyOf(ids[g], counts[g]);
        held -= counts[g];
        counts[g] = 0;
        transport.send(new CompletionSignal(rootId, epochs[g], senders[g], ownerId, batch));
    }

    private int group(String senderId) {
        for (int g = 0; g < groups; g++) {
            if (senders[g].equals(senderId)) {
                return g;
            }
        }
        // reuse an empty group before growing
        for (int g = 0; g < groups; g++) {
            if (counts[g] == 0) {
                senders[g] = senderId;
                return g;
            }
        }
        if (groups == senders.length) {
            int size = groups * 2;
            senders = Arrays.copyOf(senders, size);
            epochs = Arrays.copyOf(epochs, size);
            ids = Arrays.copyOf(ids, size);
            counts = Arrays.copyOf(counts, size);
        }
        senders[groups] = senderId;
        // one more than a batch: room for the parent's acknowledgment at detach
        ids[groups] = new long[batchSize + 1];
        return groups++;
    }
}
