package io.github.hivemesh.testing;

import io.github.hivemesh.broker.BroadcastException;
import io.github.hivemesh.broker.BrokerClosedException;
import io.github.hivemesh.broker.BrokerMetrics;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.MailboxFullException;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageHandler;
import io.github.hivemesh.broker.UnknownPeerException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A test-only {@link IMessageBroker} decorator that reorders deliveries across senders while
 * keeping FIFO per sender→recipient pair: every point-to-point send is held in the FIFO channel
 * of its pair, and the {@link DeterministicHarness} releases channel heads into the real
 * {@link InProcessMessageBroker} in a seeded order. The production broker still delivers,
 * counts ({@link BrokerMetrics#delivered(String)}) and runs the mailboxes.
 *
 * <p>Semantics kept: a send to an unregistered peer or after {@link #close()} fails at once, and a
 * user message fails with {@link MailboxFullException} when the messages held for its recipient
 * plus those queued in its real mailbox reach the capacity, so release never overflows. A held
 * send's future completes at once (it is accepted into the channel); {@code onPublish}
 * callbacks fire when it reaches the real mailbox. Topic publications are not reordered.
 *
 * <p>Everything must go through this decorator: the in-flight oracle ({@link #inFlight()})
 * counts what it held and released against what the real broker's handlers have finished.
 * Not thread-safe: confined to the harness thread, like the {@link DeterministicDispatcher}.
 */
public final class DeterministicBroker implements IMessageBroker {

    private final InProcessMessageBroker delegate;
    private final int capacity;
    private final Map<String, Channel> channels = new HashMap<>();
    /** Non-empty channels; order is part of the schedule, so it is kept deterministic. */
    private final List<Channel> ready = new ArrayList<>();
    private final Map<String, Integer> heldUser = new HashMap<>();
    /** Peers removed while messages for them were held; removed once those are released. */
    private final Set<String> removing = new HashSet<>();
    private final Set<String> counted = new HashSet<>();
    private final List<String> refusals = new ArrayList<>();
    private long held;
    private long released;
    private long handled;
    private boolean closed;

    /** Decorates {@code delegate}, whose mailboxes must run on a deterministic dispatcher. */
    public DeterministicBroker(InProcessMessageBroker delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.capacity = delegate.config().mailboxCapacity();
    }

    /** One sender→recipient FIFO. */
    private static final class Channel {
        final String sender;
        final String recipient;
        final ArrayDeque<Held> queue = new ArrayDeque<>();

        Channel(String sender, String recipient) {
            this.sender = sender;
            this.recipient = recipient;
        }
    }

    private record Held(Message message, Kind kind) {
    }

    private enum Kind { USER, CONTROL, BROADCAST }

    @Override
    public CompletableFuture<Void> sendToPeer(String senderId, String recipientId,
            Message message) {
        return hold(senderId, recipientId, message, Kind.USER);
    }

    @Override
    public CompletableFuture<Void> sendControl(String senderId, String recipientId,
            Message message) {
        return hold(senderId, recipientId, message, Kind.CONTROL);
    }

    @Override
    public CompletableFuture<Void> broadcastToMesh(String senderId, Collection<String> neighbors,
            Message message) {
        Objects.requireNonNull(neighbors, "neighbors");
        Map<String, Throwable> failures = new LinkedHashMap<>();
        for (String neighbor : neighbors) {
            hold(senderId, neighbor, message, Kind.BROADCAST)
                    .whenComplete((ok, failure) -> {
                        if (failure != null) {
                            failures.put(neighbor, failure);
                        }
                    });
        }
        return failures.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new BroadcastException(failures));
    }

    private CompletableFuture<Void> hold(String senderId, String recipientId, Message message,
            Kind kind) {
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(recipientId, "recipientId");
        Objects.requireNonNull(message, "message");
        if (closed) {
            return CompletableFuture.failedFuture(new BrokerClosedException(
                    "broker is closed; message to '" + recipientId + "' was not accepted"));
        }
        if (!delegate.isRegistered(recipientId) || removing.contains(recipientId)) {
            return CompletableFuture.failedFuture(new UnknownPeerException(recipientId));
        }
        if (kind != Kind.CONTROL) {
            int heldForRecipient = heldUser.getOrDefault(recipientId, 0);
            if (heldForRecipient + delegate.queuedUserMessages(recipientId) >= capacity) {
                return CompletableFuture.failedFuture(
                        new MailboxFullException(recipientId, capacity));
            }
            heldUser.put(recipientId, heldForRecipient + 1);
        }
        Channel channel = channels.computeIfAbsent(senderId + '\u0000' + recipientId,
                key -> new Channel(senderId, recipientId));
        if (channel.queue.isEmpty()) {
            ready.add(channel);
        }
        channel.queue.add(new Held(message, kind));
        held++;
        return CompletableFuture.completedFuture(null);
    }

    // ---- driven by the harness ---------------------------------------------------------

    /** Channels holding at least one message. */
    public int readyChannels() {
        return ready.size();
    }

    /** Whether the head message of ready channel {@code index} matches. */
    public boolean headMatches(int index, Predicate<Message> predicate) {
        return predicate.test(ready.get(index).queue.peek().message());
    }

    /** Moves the head of ready channel {@code index} into the real broker. */
    public void release(int index) {
        Channel channel = ready.get(index);
        Held next = channel.queue.poll();
        if (channel.queue.isEmpty()) {
            ready.remove(index);
        }
        held--;
        released++;
        CompletableFuture<Void> accepted;
        switch (next.kind()) {
            case CONTROL:
                accepted = delegate.sendControl(channel.sender, channel.recipient, next.message());
                break;
            case BROADCAST:
                heldUser.merge(channel.recipient, -1, Integer::sum);
                accepted = delegate.broadcastToMesh(channel.sender, List.of(channel.recipient),
                        next.message());
                break;
            default:
                heldUser.merge(channel.recipient, -1, Integer::sum);
                accepted = delegate.sendToPeer(channel.sender, channel.recipient, next.message());
                break;
        }
        if (removing.contains(channel.recipient) && heldFor(channel.recipient) == 0) {
            removing.remove(channel.recipient);
            delegate.removePeer(channel.recipient);
        }
        if (accepted.isCompletedExceptionally()) {
            released--;
            accepted.whenComplete((ok, failure) -> refusals.add(channel.sender + " -> "
                    + channel.recipient + " " + next.message().type() + ": " + failure));
        }
    }

    private int heldFor(String recipient) {
        int count = 0;
        for (Channel channel : ready) {
            if (channel.recipient.equals(recipient)) {
                count += channel.queue.size();
            }
        }
        return count;
    }

    /** Messages held in channels plus released ones whose handlers have not returned yet. */
    public long inFlight() {
        return held + released - handled;
    }

    /** Messages held in channels. */
    public long held() {
        return held;
    }

    /** Releases the real broker refused (a peer removed while a message was held, ...). */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The production broker underneath. */
    public InProcessMessageBroker delegate() {
        return delegate;
    }

    // ---- passed through ----------------------------------------------------------------

    @Override
    public void onPeerMessage(String peerId, MessageHandler handler) {
        delegate.onPeerMessage(peerId, handler);
        if (counted.add(peerId)) {
            delegate.onAcknowledge(peerId, message -> handled++);
        }
    }

    @Override
    public CompletableFuture<Void> publish(String topic, Message message) {
        return delegate.publish(topic, message);
    }

    @Override
    public void subscribe(String topic, MessageHandler handler) {
        delegate.subscribe(topic, handler);
    }

    @Override
    public void unsubscribe(String topic, MessageHandler handler) {
        delegate.unsubscribe(topic, handler);
    }

    @Override
    public void removePeer(String peerId) {
        // like the real broker, whose accepted messages are still delivered after a removal:
        // the messages held for it here were accepted, so the removal waits for them
        if (heldFor(peerId) > 0) {
            removing.add(peerId);
            return;
        }
        delegate.removePeer(peerId);
    }

    @Override
    public boolean isRegistered(String peerId) {
        return delegate.isRegistered(peerId) && !removing.contains(peerId);
    }

    @Override
    public void onPublish(String peerId, Consumer<Message> callback) {
        delegate.onPublish(peerId, callback);
    }

    @Override
    public void onAcknowledge(String peerId, Consumer<Message> callback) {
        delegate.onAcknowledge(peerId, callback);
    }

    @Override
    public BrokerMetrics getMetrics() {
        return delegate.getMetrics();
    }

    @Override
    public void close() {
        closed = true;
        delegate.close();
    }
}
