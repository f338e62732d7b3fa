package io.github.hivemesh.broker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

/**
 * One endpoint's mailbox: a multi-producer, single-consumer queue drained in batches on the
 * broker's dispatcher, one thread at a time.
 *
 * <h2>Queue</h2>
 * JCTools' {@link MpscUnboundedVarHandleArrayQueue} (the VarHandle build, no
 * {@code sun.misc.Unsafe}): producers claim a slot by CAS on the producer index and store the
 * element into an array chunk; a full chunk links to a new one, so the queue is unbounded and
 * allocates one chunk per {@value #CHUNK} - 1 messages rather than one node per message. FIFO
 * per producer follows because each producer's claims come in program order. A user message is
 * queued as the {@link Message} itself; a control message in a small {@link Control} wrapper,
 * so the consumer knows which messages release a slot of the user bound. (Measured against the
 * hand-written linked queue this replaced: {@code docs/benchmarks.md}.)
 *
 * <h2>Scheduling</h2>
 * {@code state} is IDLE or SCHEDULED. A producer that enqueues and sees IDLE moves it to
 * SCHEDULED and submits the mailbox; the consumer, when out of messages or batch, stores IDLE
 * and then looks at the queue again. Both sides do a volatile write followed by a volatile read
 * of the other side's field (the queue's producer index vs. {@code state}), so at least one of
 * them sees the other's write: a message is never left behind by an idle mailbox.
 *
 * <h2>Bound</h2>
 * User messages reserve a slot by CAS on {@code userAccepted} against
 * {@code userDelivered + capacity}; control messages skip the bound. {@code userDelivered} has
 * a single writer, the draining thread.
 */
final class Mailbox extends MailboxLayout.PadAfterConsumer implements Runnable {

    private static final int IDLE = 0;
    private static final int SCHEDULED = 1;

    private static final MessageHandler[] NO_HANDLERS = new MessageHandler[0];
    private static final Object[] NO_CALLBACKS = new Object[0];

    /** Slots per array chunk of the queue (one is the link to the next chunk). */
    static final int CHUNK = 256;

    private static final VarHandle STATE;
    private static final VarHandle USER_ACCEPTED;
    private static final VarHandle USER_DELIVERED;
    private static final VarHandle CONTROL_ACCEPTED;
    private static final VarHandle DELIVERED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(MailboxLayout.ColdFields.class, "state", int.class);
            USER_ACCEPTED = lookup.findVarHandle(MailboxLayout.ProducerFields.class, "userAccepted",
                    long.class);
            USER_DELIVERED = lookup.findVarHandle(MailboxLayout.ConsumerFields.class, "userDelivered",
                    long.class);
            CONTROL_ACCEPTED = lookup.findVarHandle(MailboxLayout.ProducerFields.class,
                    "controlAccepted", long.class);
            DELIVERED = lookup.findVarHandle(MailboxLayout.ConsumerFields.class, "delivered",
                    long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A control message in the queue (user messages are queued as themselves). */
    private record Control(Message message) {
    }

    final String id;
    /** User messages as themselves, control messages wrapped in {@link Control}. */
    private final MessagePassingQueue<Object> queue = new MpscUnboundedVarHandleArrayQueue<>(CHUNK);
    private final InProcessMessageBroker broker;
    private final int capacity;

    /** Consumer-only cache of the last type's counter: types repeat, so lookups are rare. */
    private String lastType;
    private TypeCount lastTypeCount;
    /** Delivered count per message type; each count has one writer, the draining thread. */
    private final ConcurrentHashMap<String, TypeCount> deliveredByType = new ConcurrentHashMap<>();

    Mailbox(String id, InProcessMessageBroker broker, int capacity) {
        this.id = id;
        this.broker = broker;
        this.capacity = capacity;
        this.handlers = NO_HANDLERS;
        this.acceptCallbacks = NO_CALLBACKS;
        this.ackCallbacks = NO_CALLBACKS;
        this.producerLimit = capacity;
    }

    boolean hasHandlers() {
        return handlers.length > 0 && !removed;
    }

    synchronized void addHandler(MessageHandler handler) {
        handlers = append(handlers, handler);
        removed = false;
    }

    synchronized boolean removeHandler(MessageHandler handler) {
        MessageHandler[] current = handlers;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == handler) {
                MessageHandler[] next = new MessageHandler[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                handlers = next;
                return true;
            }
        }
        return false;
    }

    void markRemoved() {
        removed = true;
    }

    synchronized void addAcceptCallback(Consumer<Message> callback) {
        acceptCallbacks = append(acceptCallbacks, callback);
    }

    synchronized void addAckCallback(Consumer<Message> callback) {
        ackCallbacks = append(ackCallbacks, callback);
    }

    /**
     * Enqueues a message. Called from any thread.
     *
     * @return null when accepted, otherwise the reason it was refused (nothing was enqueued)
     */
    BrokerException offer(Message message, boolean control) {
        if (control) {
            CONTROL_ACCEPTED.getAndAdd(this, 1L);
        } else if (!reserveUserSlot()) {
            return new MailboxFullException(id, capacity);
        }
        // the producer-index CAS orders the claim; the element's release store publishes it
        queue.offer(control ? new Control(message) : message);
        Object[] callbacks = acceptCallbacks;
        if (callbacks.length > 0) {
            broker.runCallbacks(this, callbacks, message);
        }
        return schedule() ? null : new BrokerException("the dispatcher rejected mailbox '" + id
                + "'; the message is queued but will be delivered only if the mailbox runs again");
    }

    private boolean reserveUserSlot() {
        while (true) {
            long accepted = userAccepted;
            if (accepted >= producerLimit) {
                long limit = userDelivered + capacity;
                producerLimit = limit;
                if (accepted >= limit) {
                    return false;
                }
            }
            if (USER_ACCEPTED.compareAndSet(this, accepted, accepted + 1)) {
                return true;
            }
        }
    }

    /** Submits the mailbox unless it is already scheduled; false if the executor refused. */
    private boolean schedule() {
        if (state == IDLE && STATE.compareAndSet(this, IDLE, SCHEDULED)) {
            if (InProcessMessageBroker.runLocally(this)) {
                return true;
            }
            try {
                broker.dispatcher().execute(this);
            } catch (RejectedExecutionException e) {
                state = IDLE;
                return false;
            }
        }
        return true;
    }

    /** Delivers up to one batch of messages. Runs on the dispatcher, one thread at a time. */
    @Override
    public void run() {
        Mailbox outer = InProcessMessageBroker.enterDispatch(this);
        int unpublished = 0;
        int users = 0;
        try {
            int batch = broker.batchSize();
            for (int n = 0; n < batch; n++) {
                if (n == batch - 1 && !queue.isEmpty() && broker.nobodyElseWaits()) {
                    // a full batch, more to come, and no other mailbox wants this thread: go on
                    // here rather than resubmit, which would wake the pool's other thread and
                    // move this mailbox (and its cache lines) between cores
                    n = 0;
                }
                // relaxedPoll may miss an element whose producer has claimed its slot but not
                // stored it yet; the IDLE / isEmpty handshake in finally catches that one
                Object next = queue.relaxedPoll();
                // spin for more only while streaming: a lone message is usually one step of
                // a chain whose next step needs this thread
                if (next == null && (n < 2 || (next = awaitNext()) == null)) {
                    break;
                }
                Message message;
                if (next instanceof Control wrapped) {
                    message = wrapped.message();
                } else {
                    message = (Message) next;
                    users++;
                }
                deliver(message);
                if (++unpublished == 64) {
                    publishCounts(unpublished, users);
                    unpublished = 0;
                    users = 0;
                }
            }
        } finally {
            publishCounts(unpublished, users);
            InProcessMessageBroker.exitDispatch(outer);
            state = IDLE;
            // volatile store of state, then volatile read of the producer index: pairs with
            // offer(), whose index CAS comes before its read of state
            if (!queue.isEmpty()) {
                schedule();
            }
        }
    }

    /**
     * Publishes delivered counts every 64 messages and at the end of a turn rather than per
     * message: fewer stores to a line producers read. Single writer (the draining thread), so
     * a release store suffices.
     */
    private void publishCounts(int messages, int userMessages) {
        if (messages > 0) {
            DELIVERED.setRelease(this, delivered + messages);
        }
        if (userMessages > 0) {
            USER_DELIVERED.setRelease(this, userDelivered + userMessages);
        }
    }

    /**
     * Spins a little for the next message before giving the thread back: a sender that is
     * streaming will usually link one within a microsecond, and resubmitting an idle mailbox
     * costs a thread wake-up, which is far dearer.
     */
    private Object awaitNext() {
        for (int spins = broker.idleSpins(); spins > 0; spins--) {
            Thread.onSpinWait();
            Object next = queue.relaxedPoll();
            if (next != null) {
                return next;
            }
        }
        return null;
    }

    private void deliver(Message message) {
        MessageHandler[] current = handlers;
        for (MessageHandler handler : current) {
            try {
                handler.onMessage(message);
            } catch (Throwable t) {
                broker.handlerFailed(id, message, t);
            }
        }
        if (broker.countsByType()) {
            String type = message.type();
            if (type != lastType) {
                lastType = type;
                lastTypeCount = deliveredByType.computeIfAbsent(type, t -> new TypeCount());
            }
            lastTypeCount.increment();
        }
        Object[] callbacks = ackCallbacks;
        if (callbacks.length > 0) {
            broker.runCallbacks(this, callbacks, message);
        }
    }

    /** User messages queued now (approximate while producers run). */
    long queuedUserMessages() {
        return userAccepted - userDelivered;
    }

    /** Messages accepted so far. */
    long accepted() {
        return userAccepted + controlAccepted;
    }

    /** Messages delivered so far. */
    long delivered() {
        return delivered;
    }

    /** Adds this mailbox's per-type delivered counts to {@code totals}. */
    void addDeliveredByType(Map<String, Long> totals) {
        deliveredByType.forEach((type, count) -> totals.merge(type, count.value, Long::sum));
    }

    /** A count with a single writer, read by any thread. */
    private static final class TypeCount {
        private static final VarHandle VALUE;

        static {
            try {
                VALUE = MethodHandles.lookup().findVarHandle(TypeCount.class, "value", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        volatile long value;

        void increment() {
            VALUE.setRelease(this, value + 1);
        }
    }

    private static <T> T[] append(T[] array, T element) {
        T[] copy = java.util.Arrays.copyOf(array, array.length + 1);
        copy[array.length] = element;
        return copy;
    }
}
