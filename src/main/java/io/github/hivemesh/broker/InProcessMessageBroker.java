package io.github.hivemesh.broker;

import io.github.hivemesh.internal.util.AcceptedFuture;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link IMessageBroker}: every endpoint is a mailbox in this JVM, drained serially
 * on a shared dispatcher executor. There is no thread per peer and no lock on the send path: a
 * send is a map lookup, a reservation CAS for user traffic, and a wait-free enqueue.
 *
 * <p>Thread-safe. Handlers run on the dispatcher; {@link #onPublish} callbacks on the sending
 * thread. See {@link IMessageBroker} for the delivery guarantees.
 *
 * <pre>{@code
 * try (InProcessMessageBroker broker = new InProcessMessageBroker(MessageBrokerConfig.defaults())) {
 *     broker.onPeerMessage("b", msg -> System.out.println(msg.payload()));
 *     broker.sendToPeer("a", "b", Message.of("greeting", "hello")).join();
 * }
 * }</pre>
 */
public final class InProcessMessageBroker implements IMessageBroker {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessMessageBroker.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final ThreadLocal<Mailbox> DISPATCHING = new ThreadLocal<>();
    /** Mailboxes made runnable on a thread inside {@link #runInline}, run by that thread. */
    private static final ThreadLocal<ArrayDeque<Mailbox>> INLINE = new ThreadLocal<>();
    /** Mailbox turns one {@link #runInline} takes before handing the rest to the dispatcher. */
    static final int INLINE_TURNS = 64;

    private final MessageBrokerConfig config;
    private final Executor dispatcher;
    private final ExecutorService ownedDispatcher;
    private final int batchSize;
    private final boolean countByType;
    private final int idleSpins;

    private final ConcurrentHashMap<String, Mailbox> peers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CopyOnWriteArrayList<Mailbox>> topics =
            new ConcurrentHashMap<>();
    /** Every mailbox ever created, removed ones too, so the counts never go backwards. */
    private final CopyOnWriteArrayList<Mailbox> allMailboxes = new CopyOnWriteArrayList<>();
    private final AtomicInteger subscriptionIds = new AtomicInteger();

    private final LongAdder refused = new LongAdder();
    private final LongAdder handlerFailures = new LongAdder();
    private volatile long undelivered;
    private volatile boolean closed;

    /** A broker with the default configuration and a dispatcher pool of its own. */
    public InProcessMessageBroker() {
        this(MessageBrokerConfig.defaults());
    }

    /**
     * A broker with the given configuration.
     *
     * @param config the configuration this broker was built with
     */
    public InProcessMessageBroker(MessageBrokerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.batchSize = config.dispatchBatchSize();
        this.countByType = config.countByType();
        this.idleSpins = config.idleSpins();
        if (config.dispatcher().isPresent()) {
            this.dispatcher = config.dispatcher().get();
            this.ownedDispatcher = null;
        } else {
            String prefix = "hivemesh-broker-" + INSTANCES.incrementAndGet() + "-dispatcher-";
            AtomicInteger threads = new AtomicInteger();
            // async (FIFO) mode: mailboxes rescheduled by a worker queue behind the others
            this.ownedDispatcher = new ForkJoinPool(config.dispatcherThreads(), pool -> {
                ForkJoinWorkerThread thread =
                        ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                thread.setName(prefix + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            }, null, true);
            this.dispatcher = ownedDispatcher;
        }
    }

    /** {@return the configuration this broker was built with} */
    public MessageBrokerConfig config() {
        return config;
    }

    @Override
    public CompletableFuture<Void> sendToPeer(String senderId, String recipientId,
            Message message) {
        return send(senderId, recipientId, message, RoutingType.P2P, false);
    }

    @Override
    public CompletableFuture<Void> sendControl(String senderId, String recipientId,
            Message message) {
        return send(senderId, recipientId, message, RoutingType.P2P, true);
    }

    private CompletableFuture<Void> send(String senderId, String recipientId, Message message,
            RoutingType routing, boolean control) {
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(recipientId, "recipientId");
        Objects.requireNonNull(message, "message");
        BrokerException refusal = deliverTo(peers.get(recipientId), recipientId,
                message.routed(senderId, recipientId, routing), control);
        return refusal == null ? AcceptedFuture.INSTANCE : CompletableFuture.failedFuture(refusal);
    }

    /** Offers to one mailbox and counts the outcome; null when accepted. */
    private BrokerException deliverTo(Mailbox mailbox, String recipientId, Message message,
            boolean control) {
        BrokerException refusal;
        if (closed) {
            refusal = new BrokerClosedException("broker is closed; message to '" + recipientId
                    + "' was not accepted");
        } else if (mailbox == null || !mailbox.hasHandlers()) {
            refusal = new UnknownPeerException(recipientId);
        } else {
            refusal = mailbox.offer(message, control);
            if (!(refusal instanceof MailboxFullException)) {
                // enqueued (a dispatcher that refused to run the mailbox does not unqueue it)
                return refusal;
            }
        }
        refused.increment();
        return refusal;
    }

    @Override
    public CompletableFuture<Void> broadcastToMesh(String senderId, Collection<String> neighbors,
            Message message) {
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(neighbors, "neighbors");
        Objects.requireNonNull(message, "message");
        Map<String, Throwable> failures = null;
        for (String neighbor : neighbors) {
            Objects.requireNonNull(neighbor, "neighbors contains null");
            BrokerException refusal = deliverTo(peers.get(neighbor), neighbor,
                    message.routed(senderId, neighbor, RoutingType.BROADCAST), false);
            if (refusal != null) {
                if (failures == null) {
                    failures = new LinkedHashMap<>();
                }
                failures.put(neighbor, refusal);
            }
        }
        return outcome(failures);
    }

    @Override
    public CompletableFuture<Void> publish(String topic, Message message) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(message, "message");
        List<Mailbox> subscribers = topics.get(topic);
        if (closed) {
            refused.increment();
            return CompletableFuture.failedFuture(new BrokerClosedException(
                    "broker is closed; publication on '" + topic + "' was not accepted"));
        }
        if (subscribers == null) {
            return AcceptedFuture.INSTANCE;
        }
        Map<String, Throwable> failures = null;
        for (Mailbox subscriber : subscribers) {
            BrokerException refusal = deliverTo(subscriber, subscriber.id,
                    message.routed(message.senderId(), subscriber.id, RoutingType.MULTICAST),
                    false);
            if (refusal != null) {
                if (failures == null) {
                    failures = new LinkedHashMap<>();
                }
                failures.put(subscriber.id, refusal);
            }
        }
        return outcome(failures);
    }

    private static CompletableFuture<Void> outcome(Map<String, Throwable> failures) {
        return failures == null ? AcceptedFuture.INSTANCE
                : CompletableFuture.failedFuture(new BroadcastException(failures));
    }

    @Override
    public void subscribe(String topic, MessageHandler handler) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(handler, "handler");
        Mailbox mailbox = newMailbox("topic:" + topic + "#" + subscriptionIds.incrementAndGet());
        mailbox.addHandler(handler);
        topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(mailbox);
    }

    @Override
    public void unsubscribe(String topic, MessageHandler handler) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(handler, "handler");
        List<Mailbox> subscribers = topics.get(topic);
        if (subscribers != null) {
            subscribers.removeIf(mailbox -> mailbox.removeHandler(handler));
        }
    }

    @Override
    public void onPeerMessage(String peerId, MessageHandler handler) {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(handler, "handler");
        mailbox(peerId).addHandler(handler);
    }

    @Override
    public void removePeer(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        Mailbox mailbox = peers.remove(peerId);
        if (mailbox != null) {
            mailbox.markRemoved();
        }
    }

    @Override
    public boolean isRegistered(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        Mailbox mailbox = peers.get(peerId);
        return mailbox != null && mailbox.hasHandlers();
    }

    @Override
    public void onPublish(String peerId, Consumer<Message> callback) {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(callback, "callback");
        mailbox(peerId).addAcceptCallback(callback);
    }

    @Override
    public void onAcknowledge(String peerId, Consumer<Message> callback) {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(callback, "callback");
        mailbox(peerId).addAckCallback(callback);
    }

    private Mailbox mailbox(String peerId) {
        return peers.computeIfAbsent(peerId, this::newMailbox);
    }

    private Mailbox newMailbox(String id) {
        Mailbox mailbox = new Mailbox(id, this, config.mailboxCapacity());
        allMailboxes.add(mailbox);
        return mailbox;
    }

    /**
     * Runs {@code action} on this thread, then — still on this thread, up to
     * {@value #INLINE_TURNS} mailbox turns — the mailboxes it made runnable and those they made
     * runnable in turn; anything left goes to the dispatcher. Mailboxes stay serial: a mailbox
     * runs here only because this thread moved it from idle to scheduled.
     *
     * <p>For a thread that is about to go idle (a session that has just returned): the chain of
     * messages it starts — "task done", then the completion signals up the tree — runs without
     * waking a dispatcher thread per hop. On a dispatcher thread, or nested, it just runs
     * {@code action}.
     */
    @Override
    public void runInline(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (INLINE.get() != null || DISPATCHING.get() != null) {
            action.run();
            return;
        }
        ArrayDeque<Mailbox> local = new ArrayDeque<>();
        INLINE.set(local);
        try {
            action.run();
            int turns = 0;
            for (Mailbox next = local.poll(); next != null; next = local.poll()) {
                if (turns++ < INLINE_TURNS) {
                    next.run();
                } else {
                    handOff(next);
                }
            }
        } finally {
            INLINE.remove();
            for (Mailbox left = local.poll(); left != null; left = local.poll()) {
                handOff(left);
            }
        }
    }

    /** Queues a just-scheduled mailbox on this thread if it is inside {@link #runInline}. */
    static boolean runLocally(Mailbox mailbox) {
        ArrayDeque<Mailbox> local = INLINE.get();
        if (local == null) {
            return false;
        }
        local.add(mailbox);
        return true;
    }

    private void handOff(Mailbox mailbox) {
        try {
            dispatcher.execute(mailbox);
        } catch (RejectedExecutionException e) {
            LOG.warn("the dispatcher rejected mailbox '{}'; its messages stay queued", mailbox.id);
        }
    }

    @Override
    public BrokerMetrics getMetrics() {
        Map<String, Long> byType = new LinkedHashMap<>();
        long acceptedNow = 0;
        long deliveredNow = 0;
        for (Mailbox mailbox : allMailboxes) {
            // delivered before accepted, so a snapshot never shows more delivered than accepted
            deliveredNow += mailbox.delivered();
            acceptedNow += mailbox.accepted();
            mailbox.addDeliveredByType(byType);
        }
        int endpoints = 0;
        for (Mailbox mailbox : peers.values()) {
            if (mailbox.hasHandlers()) {
                endpoints++;
            }
        }
        for (List<Mailbox> subscribers : topics.values()) {
            endpoints += subscribers.size();
        }
        return new BrokerMetrics(acceptedNow, deliveredNow, refused.sum(),
                handlerFailures.sum(), undelivered, endpoints, byType);
    }

    /**
     * User messages queued in a peer's mailbox now, for diagnostics and back-pressure decisions.
     *
     * @param peerId the peer's id
     * @return the number of user messages in the peer's mailbox
     * @throws UnknownPeerException if the peer is not registered
     */
    public long queuedUserMessages(String peerId) {
        Mailbox mailbox = peers.get(Objects.requireNonNull(peerId, "peerId"));
        if (mailbox == null) {
            throw new UnknownPeerException(peerId);
        }
        return mailbox.queuedUserMessages();
    }

    /** {@return whether the broker has been closed} */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        // A handler that closes the broker would wait for its own mailbox: don't.
        if (DISPATCHING.get() == null) {
            while (queued() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(100_000);
            }
        }
        long left = queued();
        if (left > 0) {
            undelivered = left;
            LOG.warn("broker closed with {} accepted message(s) not delivered within {}", left,
                    config.closeTimeout());
        }
        if (ownedDispatcher != null) {
            ownedDispatcher.shutdown();
            if (DISPATCHING.get() == null) {
                awaitTermination(deadline);
            }
        }
    }

    private void awaitTermination(long deadline) {
        try {
            long remaining = Math.max(0, deadline - System.nanoTime());
            if (!ownedDispatcher.awaitTermination(remaining, TimeUnit.NANOSECONDS)) {
                ownedDispatcher.shutdownNow();
                ownedDispatcher.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            ownedDispatcher.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private long queued() {
        long queued = 0;
        for (Mailbox mailbox : allMailboxes) {
            long deliveredNow = mailbox.delivered();
            queued += mailbox.accepted() - deliveredNow;
        }
        return queued;
    }

    // ---- called by Mailbox --------------------------------------------------------------

    Executor dispatcher() {
        return dispatcher;
    }

    int batchSize() {
        return batchSize;
    }

    boolean countsByType() {
        return countByType;
    }

    int idleSpins() {
        return idleSpins;
    }

    /**
     * Whether the calling thread is a worker of the broker's own pool with nothing else queued
     * for it or for the pool: then a streaming mailbox may keep the thread. Always false with
     * an injected dispatcher, whose other duties the broker cannot see.
     */
    boolean nobodyElseWaits() {
        return ownedDispatcher instanceof ForkJoinPool pool
                && Thread.currentThread() instanceof ForkJoinWorkerThread worker
                && worker.getPool() == pool
                && ForkJoinTask.getQueuedTaskCount() == 0 && !pool.hasQueuedSubmissions();
    }

    void handlerFailed(String endpoint, Message message, Throwable failure) {
        handlerFailures.increment();
        LOG.warn("handler of '{}' threw on message {} (type {}); delivery continues", endpoint,
                message.messageId(), message.type(), failure);
    }

    @SuppressWarnings("unchecked")
    void runCallbacks(Mailbox mailbox, Object[] callbacks, Message message) {
        for (Object callback : callbacks) {
            try {
                ((Consumer<Message>) callback).accept(message);
            } catch (Throwable t) {
                LOG.warn("callback of '{}' threw on message {}", mailbox.id, message.messageId(), t);
            }
        }
    }

    static Mailbox enterDispatch(Mailbox mailbox) {
        Mailbox outer = DISPATCHING.get();
        DISPATCHING.set(mailbox);
        return outer;
    }

    static void exitDispatch(Mailbox outer) {
        if (outer == null) {
            DISPATCHING.remove();
        } else {
            DISPATCHING.set(outer);
        }
    }

    /**
     * Lists registered peer ids (a snapshot).
     *
     * @return the ids of the registered peers
     */
    public List<String> peerIds() {
        List<String> ids = new ArrayList<>();
        peers.forEach((id, mailbox) -> {
            if (mailbox.hasHandlers()) {
                ids.add(id);
            }
        });
        return ids;
    }
}
