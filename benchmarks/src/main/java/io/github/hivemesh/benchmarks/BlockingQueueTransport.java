package io.github.hivemesh.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.IntFunction;

/**
 * Baseline: one JDK {@link BlockingQueue} ({@link ArrayBlockingQueue} or
 * {@link LinkedBlockingQueue}, both bounded) and one consumer thread per recipient, blocked in
 * {@code take()} when empty — the textbook producer/consumer handoff.
 */
final class BlockingQueueTransport extends HandoffTransport {

    private static final Integer STOP = -1;

    private final List<BlockingQueue<Integer>> queues = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private final Integer[] boxed = new Integer[MAX_SENDERS];

    /** One {@link ArrayBlockingQueue} of {@code capacity} per recipient. */
    static BlockingQueueTransport arrayBlockingQueue(int recipients, int capacity) {
        return new BlockingQueueTransport(recipients, capacity, ArrayBlockingQueue::new, "abq");
    }

    /** One bounded {@link LinkedBlockingQueue} of {@code capacity} per recipient. */
    static BlockingQueueTransport linkedBlockingQueue(int recipients, int capacity) {
        return new BlockingQueueTransport(recipients, capacity, LinkedBlockingQueue::new, "lbq");
    }

    private BlockingQueueTransport(int recipients, int capacity,
            IntFunction<BlockingQueue<Integer>> queueOfCapacity, String name) {
        super(recipients);
        for (int s = 0; s < MAX_SENDERS; s++) {
            boxed[s] = s;
        }
        for (int r = 0; r < recipients; r++) {
            int recipient = r;
            BlockingQueue<Integer> queue = queueOfCapacity.apply(capacity);
            queues.add(queue);
            Thread consumer = new Thread(() -> {
                try {
                    while (true) {
                        Integer sender = queue.take();
                        if (sender.equals(STOP)) {
                            return;
                        }
                        onReceive(recipient, sender);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, name + "-consumer-" + r);
            consumer.setDaemon(true);
            consumer.start();
            consumers.add(consumer);
        }
    }

    @Override
    void send(int sender, int recipient) {
        try {
            queues.get(recipient).put(boxed[sender]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (int r = 0; r < recipients; r++) {
            try {
                queues.get(r).put(STOP);
                consumers.get(r).join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
