package io.github.hivemesh.benchmarks;

import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Baseline: one LMAX Disruptor per recipient — a multi-producer ring buffer of preallocated
 * slots and one event-handler thread. The handler waits with {@link SleepingWaitStrategy}
 * (spin, then yield, then park 100 ns): the same back-off as the JCTools consumer, because a
 * busy-spinning consumer would take one of the two shared cores from the producers.
 */
final class DisruptorTransport extends HandoffTransport {

    /** A preallocated ring-buffer slot: the sender of the message it holds. */
    static final class Slot {
        int sender;
    }

    private static final EventTranslatorOneArg<Slot, Integer> WRITE_SENDER =
            (slot, sequence, sender) -> slot.sender = sender;

    private final List<Disruptor<Slot>> disruptors = new ArrayList<>();
    private final List<RingBuffer<Slot>> rings = new ArrayList<>();
    private final Integer[] boxed = new Integer[MAX_SENDERS];

    DisruptorTransport(int recipients, int capacity) {
        super(recipients);
        for (int s = 0; s < MAX_SENDERS; s++) {
            boxed[s] = s;
        }
        int ringSize = Integer.highestOneBit(capacity - 1) << 1;
        for (int r = 0; r < recipients; r++) {
            int recipient = r;
            AtomicInteger threads = new AtomicInteger();
            Disruptor<Slot> disruptor = new Disruptor<>(Slot::new, ringSize, task -> {
                Thread thread = new Thread(task,
                        "disruptor-" + recipient + "-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }, ProducerType.MULTI, new SleepingWaitStrategy());
            disruptor.handleEventsWith((slot, sequence, endOfBatch) ->
                    onReceive(recipient, slot.sender));
            rings.add(disruptor.start());
            disruptors.add(disruptor);
        }
    }

    @Override
    void send(int sender, int recipient) {
        // blocks (parking 1 ns at a time) while the ring is full, like a bounded queue's put
        rings.get(recipient).publishEvent(WRITE_SENDER, boxed[sender]);
    }

    @Override
    public void close() {
        for (Disruptor<Slot> disruptor : disruptors) {
            disruptor.shutdown();
        }
    }
}
