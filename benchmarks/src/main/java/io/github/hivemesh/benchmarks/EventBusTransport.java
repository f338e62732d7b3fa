package io.github.hivemesh.benchmarks;

import com.google.common.eventbus.AllowConcurrentEvents;
import com.google.common.eventbus.AsyncEventBus;
import com.google.common.eventbus.Subscribe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Baseline: Guava {@link AsyncEventBus}, one bus per recipient, each with one subscriber and a
 * single-thread executor (so a recipient's handler runs serially and in order, like a
 * mailbox). Every post hands one task per subscriber to the executor's unbounded queue.
 */
final class EventBusTransport extends HandoffTransport {

    private final List<AsyncEventBus> buses = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();
    private final Integer[] boxed = new Integer[MAX_SENDERS];

    /** The subscriber of one recipient's bus. */
    final class Recipient {
        private final int index;

        Recipient(int index) {
            this.index = index;
        }

        // one thread per bus runs this, so Guava need not serialise it again
        @Subscribe
        @AllowConcurrentEvents
        public void receive(Integer sender) {
            onReceive(index, sender);
        }
    }

    EventBusTransport(int recipients) {
        super(recipients);
        for (int s = 0; s < MAX_SENDERS; s++) {
            boxed[s] = s;
        }
        for (int r = 0; r < recipients; r++) {
            int recipient = r;
            ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "eventbus-" + recipient);
                thread.setDaemon(true);
                return thread;
            });
            AsyncEventBus bus = new AsyncEventBus("recipient-" + r, executor);
            bus.register(new Recipient(r));
            buses.add(bus);
            executors.add(executor);
        }
    }

    @Override
    void send(int sender, int recipient) {
        buses.get(recipient).post(boxed[sender]);
    }

    @Override
    public void close() {
        for (ExecutorService executor : executors) {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
