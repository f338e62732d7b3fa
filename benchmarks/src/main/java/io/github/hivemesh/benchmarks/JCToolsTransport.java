package io.github.hivemesh.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscArrayQueue;

/**
 * Baseline: one JCTools {@link MpscArrayQueue} and one consumer thread per recipient. An empty
 * consumer spins, then yields, then parks briefly, the usual back-off for MPSC consumers that
 * must leave the cores to producers on a small machine.
 */
final class JCToolsTransport extends HandoffTransport {

    private final List<MpscArrayQueue<Integer>> queues = new ArrayList<>();
    private final List<Thread> consumers = new ArrayList<>();
    private final Integer[] boxed = new Integer[MAX_SENDERS];
    private volatile boolean running = true;

    JCToolsTransport(int recipients, int capacity) {
        super(recipients);
        for (int s = 0; s < MAX_SENDERS; s++) {
            boxed[s] = s;
        }
        for (int r = 0; r < recipients; r++) {
            int recipient = r;
            MpscArrayQueue<Integer> queue = new MpscArrayQueue<>(capacity);
            queues.add(queue);
            Thread consumer = new Thread(() -> {
                int idle = 0;
                while (running) {
                    Integer sender = queue.relaxedPoll();
                    if (sender != null) {
                        onReceive(recipient, sender);
                        idle = 0;
                    } else if (++idle < 100) {
                        Thread.onSpinWait();
                    } else if (idle < 200) {
                        Thread.yield();
                    } else {
                        LockSupport.parkNanos(1_000);
                    }
                }
            }, "jctools-consumer-" + r);
            consumer.setDaemon(true);
            consumer.start();
            consumers.add(consumer);
        }
    }

    @Override
    void send(int sender, int recipient) {
        MpscArrayQueue<Integer> queue = queues.get(recipient);
        while (!queue.relaxedOffer(boxed[sender])) {
            Thread.yield();
        }
    }

    @Override
    public void close() {
        running = false;
        for (Thread consumer : consumers) {
            try {
                consumer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
