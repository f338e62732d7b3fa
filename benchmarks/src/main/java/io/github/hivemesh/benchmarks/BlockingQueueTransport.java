package io.github.hivemesh.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** Baseline: one JDK {@link ArrayBlockingQueue} and one consumer thread per recipient. */
final class BlockingQueueTransport extends HandoffTransport {

    private static final Integer STOP = -1;

    private final List<BlockingQueue<Integer>> queues = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private final Integer[] boxed = new Integer[MAX_SENDERS];

    BlockingQueueTransport(int recipients, int capacity) {
        super(recipients);
        for (int s = 0; s < MAX_SENDERS; s++) {
            boxed[s] = s;
        }
        for (int r = 0; r < recipients; r++) {
            int recipient = r;
            BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(capacity);
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
            }, "abq-consumer-" + r);
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
