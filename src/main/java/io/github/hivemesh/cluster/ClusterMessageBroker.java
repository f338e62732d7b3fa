package io.github.hivemesh.cluster;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.broker.BroadcastException;
import io.github.hivemesh.broker.BrokerClosedException;
import io.github.hivemesh.broker.BrokerMetrics;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageHandler;
import io.github.hivemesh.broker.RoutingType;
import io.github.hivemesh.broker.UnknownPeerException;
import io.github.hivemesh.internal.wire.WireCodecs;
import io.github.hivemesh.wire.PayloadCodec;
import io.github.hivemesh.wire.UnsupportedPayloadException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * An {@link IMessageBroker} for one member of a cluster: endpoints hosted here are served by a
 * local broker (their mailboxes, handlers and callbacks), endpoints hosted by another member are
 * reached through the {@link ClusterTransport} — the SPI, never an engine directly, so the
 * simulated cluster stands in for JGroups in tests.
 *
 * <h2>How it works</h2>
 * Each member tells the others which endpoints it hosts, with their capabilities: on
 * registration ({@link #onPeerMessage}), on {@link #announce} (an agent's capabilities) and on
 * removal it sends the change to every member of its view, and it sends its whole list to each
 * member that joins its view. A member that leaves the view takes its endpoints with it. What
 * the other members host is {@link #remoteEndpoints()}, and a
 * {@link ClusterDirectoryListener} hears of every change: membership drives discovery. A message for a remote endpoint travels as one frame
 * ({@code BrokerFrameCodec}, see {@code docs/cluster.md}): its type, sender,
 * recipient, id, time, metadata and routing, and its payload — a wire message through the wire
 * codecs, or a value of the {@link PayloadCodec}; anything else fails the send at once
 * ({@link UnsupportedPayloadException}) and nothing is sent. The receiving member puts it into
 * the recipient's mailbox with the same sender and message id (a message id is unique per
 * sending member, which is all Dijkstra–Scholten needs: the id is acknowledged back to the
 * sender that chose it) and the same kind of send (user traffic or control).
 *
 * <h2>Semantics across members</h2>
 * <ul>
 *   <li>FIFO per sender→recipient pair holds across members: the transport is FIFO per member
 *       pair and its listener is serial.</li>
 *   <li>A remote send's future completes when the transport has taken the frame, not when the
 *       recipient's mailbox accepted it; it fails with {@link UnknownPeerException} when no
 *       member of the view hosts the recipient, and with {@link BrokerClosedException} after
 *       {@link #close()}. A message the recipient's member then cannot accept (its mailbox is
 *       full, the endpoint went away meanwhile, or the recipient's member leaves before it
 *       arrives) is dropped there and counted ({@link ClusterBrokerMetrics#refusedOnArrival()});
 *       the sender is not told yet — returning such messages to their sender is part of
 *       cluster failure handling (issue 20, part 2).</li>
 *   <li>A member speaks only for its endpoints: a frame whose sender endpoint another member
 *       hosts, or whose recipient is not hosted here, is dropped and counted, as is a frame
 *       that does not decode ({@link ClusterBrokerMetrics#dropped()}).</li>
 *   <li>{@link #publish} reaches the topic's subscribers on every member of the view;
 *       subscriptions and {@link #onPublish}/{@link #onAcknowledge} callbacks are member-local
 *       (they see what this member's mailboxes accept and deliver). {@link #getMetrics()} is
 *       this member's local broker's.</li>
 *   <li>An endpoint id is hosted by one member at a time: registering one that another member
 *       hosts fails.</li>
 * </ul>
 *
 * <h2>Threads and ownership</h2>
 * Thread-safe. The transport's listener (this broker) only enqueues into local mailboxes, so it
 * never blocks a transport thread. The broker owns the transport and the local broker it was
 * started with: {@link #close()} leaves the cluster and closes both.
 */
public final class ClusterMessageBroker implements IMessageBroker {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMessageBroker.class);
    private static final CompletableFuture<Void> SENT = CompletableFuture.completedFuture(null);

    private final ClusterTransport transport;
    private final IMessageBroker local;
    private final BrokerFrameCodec frames;
    private final Listener listener = new Listener();
    /** Endpoints hosted here, with the capabilities announced for them. */
    private final ConcurrentHashMap<String, Set<String>> hosted = new ConcurrentHashMap<>();
    /** Endpoints hosted by other members of the view. Written by the listener only. */
    private final ConcurrentHashMap<String, RemoteEndpoint> remote = new ConcurrentHashMap<>();
    private final List<ClusterDirectoryListener> directoryListeners = new CopyOnWriteArrayList<>();
    /** Serializes what this member announces, so a removal is never overtaken by its add. */
    private final Object announcing = new Object();
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder framesReceived = new LongAdder();
    private final LongAdder refusedOnArrival = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    /**
     * Members whose drops, and whose refused messages, were logged: a member is named at WARN
     * once per kind, then at DEBUG, so a member sending bad frames fills the counters, not the
     * log. Members that left the view are forgotten.
     */
    private final Set<MemberId> droppedLogged = ConcurrentHashMap.newKeySet();
    private final Set<MemberId> refusedLogged = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private ClusterMessageBroker(ClusterTransport transport, IMessageBroker local,
            PayloadCodec payloads, DecodeLimits limits) {
        this.transport = transport;
        this.local = local;
        this.frames = new BrokerFrameCodec(new WireCodecs(payloads), limits);
    }

    /**
     * Starts {@code transport} (joining the cluster; blocks while it joins) with a broker over it
     * and {@code local}, which serves the endpoints of this member. Both are owned by the broker
     * from now on.
     *
     * @param transport a transport not started yet
     * @param local     the broker of this member's endpoints (usually an
     *                  {@code InProcessMessageBroker})
     * @param payloads  encodes payloads that are not wire messages
     * @param limits    applied to every frame received
     * @return the broker, its transport started
     * @throws ClusterException      if the transport cannot start
     * @throws IllegalStateException if the transport was started before
     */
    public static ClusterMessageBroker start(ClusterTransport transport, IMessageBroker local,
            PayloadCodec payloads, DecodeLimits limits) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(payloads, "payloads");
        Objects.requireNonNull(limits, "limits");
        ClusterMessageBroker broker = new ClusterMessageBroker(transport, local, payloads, limits);
        transport.start(broker.listener);
        return broker;
    }

    /** {@return this member} */
    public MemberId self() {
        return transport.self();
    }

    /** {@return the member's current view} */
    public ClusterView view() {
        return transport.view();
    }

    /**
     * Which member hosts {@code endpointId}.
     *
     * @param endpointId an endpoint id
     * @return the member, or empty when none of the view does, or this one
     */
    public Optional<MemberId> hostOf(String endpointId) {
        Objects.requireNonNull(endpointId, "endpointId");
        RemoteEndpoint endpoint = remote.get(endpointId);
        return Optional.ofNullable(endpoint == null ? null : endpoint.member());
    }

    /** {@return the endpoints the other members of the view host now, as they announced them} */
    public List<RemoteEndpoint> remoteEndpoints() {
        return List.copyOf(remote.values());
    }

    /**
     * Tells {@code listener} of every change to {@link #remoteEndpoints()} from now on (call it
     * before the first endpoint can arrive, e.g. before registering this member's own, to miss
     * none; {@link #remoteEndpoints()} gives what is there already).
     *
     * @param listener told of announcements and departures; called on the transport's thread
     */
    public void addDirectoryListener(ClusterDirectoryListener listener) {
        directoryListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Announces {@code capabilities} for {@code endpointId}, an endpoint hosted here, to every
     * member of the view (and to every member that joins later), replacing what was announced
     * for it: how a member's agents and what they can do become known across the cluster.
     *
     * @param endpointId   an endpoint hosted here
     * @param capabilities what it can do; empty for an endpoint that runs no tasks
     * @throws IllegalArgumentException if {@code endpointId} is not hosted here
     */
    public void announce(String endpointId, Set<String> capabilities) {
        Objects.requireNonNull(endpointId, "endpointId");
        Set<String> copy = Set.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
        synchronized (announcing) {
            if (hosted.replace(endpointId, copy) == null) {
                throw new IllegalArgumentException("endpoint '" + endpointId
                        + "' is not hosted by this member: register it first");
            }
            if (!closed) {
                announce(BrokerFrame.up(Map.of(endpointId, copy)));
            }
        }
    }

    // ---- sending ------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> sendToPeer(String senderId, String recipientId,
            Message message) {
        return send(senderId, recipientId, message, false, RoutingType.P2P);
    }

    @Override
    public CompletableFuture<Void> sendControl(String senderId, String recipientId,
            Message message) {
        return send(senderId, recipientId, message, true, RoutingType.P2P);
    }

    @Override
    public CompletableFuture<Void> broadcastToMesh(String senderId, Collection<String> neighbors,
            Message message) {
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(neighbors, "neighbors");
        Objects.requireNonNull(message, "message");
        List<String> here = new ArrayList<>();
        Map<String, CompletableFuture<Void>> there = new LinkedHashMap<>();
        for (String neighbor : neighbors) {
            if (hosted.containsKey(Objects.requireNonNull(neighbor, "neighbor"))) {
                here.add(neighbor);
            } else {
                there.put(neighbor, send(senderId, neighbor, message, false,
                        RoutingType.BROADCAST));
            }
        }
        CompletableFuture<Void> localPart = here.isEmpty() ? SENT
                : local.broadcastToMesh(senderId, here, message);
        Map<String, Throwable> failures = new LinkedHashMap<>();
        there.forEach((neighbor, sent) -> {
            // a remote send's future is complete when send returns
            if (sent.isCompletedExceptionally()) {
                failures.put(neighbor, sent.handle((ok, e) -> e).join());
            }
        });
        if (failures.isEmpty()) {
            return localPart;
        }
        CompletableFuture<Void> all = new CompletableFuture<>();
        localPart.whenComplete((ok, e) -> {
            Throwable cause = e instanceof CompletionException ? e.getCause() : e;
            if (cause instanceof BroadcastException refusedHere) {
                failures.putAll(refusedHere.failures());
            } else if (cause != null) {
                here.forEach(neighbor -> failures.put(neighbor, cause));
            }
            all.completeExceptionally(new BroadcastException(failures));
        });
        return all;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, Message message) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(message, "message");
        if (closed) {
            return closedFuture();
        }
        CompletableFuture<Void> here = local.publish(topic, message);
        byte[] bytes;
        try {
            bytes = frames.encode(BrokerFrame.topic(stamped(message,
                    message.senderId() != null ? message.senderId() : "", topic,
                    RoutingType.MULTICAST)));
        } catch (UnsupportedPayloadException | ArtifactFormatException e) {
            return CompletableFuture.failedFuture(e);
        }
        framesSent.add(transport.sendToAll(bytes).size());
        return here;
    }

    private CompletableFuture<Void> send(String senderId, String recipientId, Message message,
            boolean control, RoutingType routing) {
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(recipientId, "recipientId");
        Objects.requireNonNull(message, "message");
        if (closed) {
            return closedFuture();
        }
        if (hosted.containsKey(recipientId) || !remote.containsKey(recipientId)) {
            // here, or nowhere (the local broker refuses it with the usual exception)
            return control ? local.sendControl(senderId, recipientId, message)
                    : local.sendToPeer(senderId, recipientId, message);
        }
        RemoteEndpoint endpoint = remote.get(recipientId);
        if (endpoint == null) {
            return CompletableFuture.failedFuture(new UnknownPeerException(recipientId));
        }
        MemberId host = endpoint.member();
        byte[] bytes;
        try {
            bytes = frames.encode(BrokerFrame.direct(stamped(message, senderId, recipientId,
                    routing), control));
        } catch (UnsupportedPayloadException | ArtifactFormatException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            if (!transport.send(host, bytes)) {
                return CompletableFuture.failedFuture(closed
                        ? new BrokerClosedException("the cluster broker is closed")
                        : new UnknownPeerException(recipientId));
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        framesSent.increment();
        return SENT;
    }

    private static Message stamped(Message message, String sender, String recipient,
            RoutingType routing) {
        if (sender.equals(message.senderId()) && recipient.equals(message.recipientId())
                && routing == message.routingType()) {
            return message;
        }
        return new Message(message.type(), message.payload(), sender, recipient,
                message.timestamp(), message.messageId(), routing, message.metadata());
    }

    private static CompletableFuture<Void> closedFuture() {
        return CompletableFuture.failedFuture(
                new BrokerClosedException("the cluster broker is closed"));
    }

    // ---- endpoints ------------------------------------------------------------------------

    /**
     * {@inheritDoc} The endpoint is announced to every member of the view.
     *
     * @throws IllegalStateException if another member hosts {@code peerId}
     */
    @Override
    public void onPeerMessage(String peerId, MessageHandler handler) {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(handler, "handler");
        RemoteEndpoint elsewhere = remote.get(peerId);
        if (elsewhere != null) {
            throw new IllegalStateException("endpoint '" + peerId + "' is hosted by member "
                    + elsewhere.member() + ": an endpoint id is hosted by one member at a time");
        }
        local.onPeerMessage(peerId, handler);
        synchronized (announcing) {
            if (hosted.putIfAbsent(peerId, Set.of()) == null && !closed) {
                announce(BrokerFrame.up(Map.of(peerId, Set.of())));
            }
        }
    }

    /** {@inheritDoc} The removal is announced to every member of the view. */
    @Override
    public void removePeer(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        local.removePeer(peerId);
        synchronized (announcing) {
            if (hosted.remove(peerId) != null && !closed) {
                announce(BrokerFrame.down(List.of(peerId)));
            }
        }
    }

    private void announce(BrokerFrame frame) {
        framesSent.add(transport.sendToAll(frames.encode(frame)).size());
    }

    /** Whether {@code peerId} is hosted here or by a member of the view. */
    @Override
    public boolean isRegistered(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        return local.isRegistered(peerId) || remote.containsKey(peerId);
    }

    @Override
    public void subscribe(String topic, MessageHandler handler) {
        local.subscribe(topic, handler);
    }

    @Override
    public void unsubscribe(String topic, MessageHandler handler) {
        local.unsubscribe(topic, handler);
    }

    @Override
    public void onPublish(String peerId, Consumer<Message> callback) {
        local.onPublish(peerId, callback);
    }

    @Override
    public void onAcknowledge(String peerId, Consumer<Message> callback) {
        local.onAcknowledge(peerId, callback);
    }

    @Override
    public void runInline(Runnable action) {
        local.runInline(action);
    }

    /** This member's local broker's metrics: what its mailboxes carried. */
    @Override
    public BrokerMetrics getMetrics() {
        return local.getMetrics();
    }

    /** {@return what crossed between this member and the others} */
    public ClusterBrokerMetrics clusterMetrics() {
        return new ClusterBrokerMetrics(framesSent.sum(), framesReceived.sum(),
                refusedOnArrival.sum(), dropped.sum(), remote.size());
    }

    /** Leaves the cluster, then closes the local broker. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            transport.close();
        } finally {
            local.close();
        }
    }

    @Override
    public String toString() {
        return "ClusterMessageBroker[" + (closed ? "closed" : transport.self()) + ", hosted="
                + hosted.size() + ", remote=" + remote.size() + "]";
    }

    // ---- receiving: the transport's thread, one call at a time ----------------------------

    private final class Listener implements ClusterListener {
        private ClusterView last;

        @Override
        public void onView(ClusterView view) {
            droppedLogged.retainAll(view.members());
            refusedLogged.retainAll(view.members());
            for (RemoteEndpoint endpoint : remote.values()) {
                if (!view.contains(endpoint.member()) && remote.remove(endpoint.id(), endpoint)) {
                    tell(listener -> listener.onLeft(endpoint, true));
                }
            }
            List<MemberId> joined = new ArrayList<>();
            for (MemberId member : view.members()) {
                if (!member.equals(transport.self()) && (last == null || !last.contains(member))) {
                    joined.add(member);
                }
            }
            last = view;
            if (joined.isEmpty()) {
                return;
            }
            synchronized (announcing) {
                if (hosted.isEmpty() || closed) {
                    return;
                }
                byte[] all = frames.encode(BrokerFrame.up(new LinkedHashMap<>(hosted)));
                for (MemberId member : joined) {
                    if (transport.send(member, all)) {
                        framesSent.increment();
                    }
                }
            }
        }

        @Override
        public void onMessage(MemberId from, byte[] payload) {
            framesReceived.increment();
            BrokerFrame frame;
            try {
                frame = frames.decodeOrNull(payload);
            } catch (ArtifactFormatException e) {
                drop(from, "a frame that does not decode: " + e.getMessage());
                return;
            }
            if (frame == null) {
                drop(from, "a frame of a kind this member does not know");
                return;
            }
            switch (frame.kind()) {
                case UP -> {
                    for (int i = 0; i < frame.endpoints().size(); i++) {
                        announced(from, new RemoteEndpoint(frame.endpoints().get(i), from,
                                frame.capabilities().get(i)));
                    }
                }
                case DOWN -> {
                    for (String id : frame.endpoints()) {
                        RemoteEndpoint endpoint = remote.get(id);
                        if (endpoint != null && endpoint.member().equals(from)
                                && remote.remove(id, endpoint)) {
                            tell(listener -> listener.onLeft(endpoint, false));
                        }
                    }
                }
                case DIRECT -> deliver(from, frame);
                case TOPIC -> {
                    if (speaksFor(from, frame.message().senderId())) {
                        local.publish(frame.message().recipientId(), frame.message());
                    }
                }
            }
        }

        private void announced(MemberId from, RemoteEndpoint endpoint) {
            RemoteEndpoint known = remote.get(endpoint.id());
            if (hosted.containsKey(endpoint.id())
                    || known != null && !known.member().equals(from)) {
                drop(from, "an announcement of endpoint '" + endpoint.id() + "', which "
                        + (known != null ? known.member() : "this member") + " hosts");
                return;
            }
            if (!endpoint.equals(known)) {
                remote.put(endpoint.id(), endpoint);
                tell(listener -> listener.onAnnounced(endpoint));
            }
        }

        private void tell(Consumer<ClusterDirectoryListener> call) {
            for (ClusterDirectoryListener listener : directoryListeners) {
                try {
                    call.accept(listener);
                } catch (RuntimeException e) {
                    LOG.warn("a cluster directory listener failed", e);
                }
            }
        }

        private void deliver(MemberId from, BrokerFrame frame) {
            Message message = frame.message();
            if (!speaksFor(from, message.senderId())) {
                return;
            }
            if (!hosted.containsKey(message.recipientId())) {
                refused(from, message, "its recipient is not hosted here");
                return;
            }
            CompletableFuture<Void> accepted = frame.control()
                    ? local.sendControl(message.senderId(), message.recipientId(), message)
                    : message.routingType() == RoutingType.BROADCAST
                            ? local.broadcastToMesh(message.senderId(),
                                    List.of(message.recipientId()), message)
                            : local.sendToPeer(message.senderId(), message.recipientId(), message);
            if (!accepted.isDone() || accepted.isCompletedExceptionally()) {
                accepted.whenComplete((ok, failure) -> {
                    if (failure != null) {
                        refused(from, message, failure.toString());
                    }
                });
            }
        }

        /** A member speaks for its own endpoints, and for ids no member hosts. */
        private boolean speaksFor(MemberId from, String senderEndpoint) {
            RemoteEndpoint known = remote.get(senderEndpoint);
            MemberId host = known == null ? null : known.member();
            if (hosted.containsKey(senderEndpoint) || host != null && !host.equals(from)) {
                drop(from, "a message from endpoint '" + senderEndpoint + "', which "
                        + (host != null ? host : "this member") + " hosts");
                return false;
            }
            return true;
        }

        private void drop(MemberId from, String why) {
            dropped.increment();
            boolean first = droppedLogged.add(from);
            LOG.atLevel(first ? Level.WARN : Level.DEBUG).log("dropped {} from member {}{}", why,
                    from, first ? " (further drops from it are logged at DEBUG and counted in"
                            + " clusterMetrics().dropped())" : "");
        }

        private void refused(MemberId from, Message message, String why) {
            refusedOnArrival.increment();
            LOG.atLevel(refusedLogged.add(from) ? Level.WARN : Level.DEBUG).log(
                    "a message '{}' from '{}' (member {}) to '{}' was not accepted: {}",
                    message.type(), message.senderId(), from, message.recipientId(), why);
        }
    }
}
