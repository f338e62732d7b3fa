package io.github.hivemesh.cluster.jgroups;

import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.ClusterException;
import io.github.hivemesh.cluster.ClusterListener;
import io.github.hivemesh.cluster.ClusterTls;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.ClusterTransportMetrics;
import io.github.hivemesh.cluster.ClusterView;
import io.github.hivemesh.cluster.MemberId;
import io.github.hivemesh.cluster.TlsRequiredException;
import io.github.hivemesh.internal.cluster.MembershipGate;
import io.github.hivemesh.internal.cluster.TransportCounters;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.MergeView;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TP;
import org.jgroups.stack.DiagnosticsHandler;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.TLSClientAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterTransport} on one {@link JChannel}.
 *
 * <p><b>Delivery.</b> JGroups delivers messages of different senders on different threads,
 * concurrently with views (JGroups manual, "Message delivery and ordering"). One lock,
 * {@code delivery}, puts every view and message through the {@link MembershipGate} one at a
 * time, which gives the listener its single order and lets the gate's view check be exact.
 * Decoding (and dropping what is malformed) happens before the lock; a JGroups thread never
 * sees an exception from here. Per sender, JGroups' default message processing policy
 * delivers on one thread at a time in UNICAST3 order, so taking the lock keeps FIFO.
 *
 * <p><b>Sending.</b> Every send, {@link #sendToAll} included, is a UNICAST3 unicast, so all
 * traffic of a pair is one FIFO stream (a multicast would be a separate NAKACK2 stream with no
 * order relative to unicasts; over TCP it is N unicasts anyway).
 */
final class JGroupsTransport implements ClusterTransport {

    private static final Logger LOG = LoggerFactory.getLogger(JGroupsTransport.class);
    /** Payload bytes the join buffer may hold. */
    private static final long MAX_PENDING_BYTES = 64L << 20;

    private static final int NEW = 0;
    private static final int STARTING = 1;
    private static final int STARTED = 2;
    private static final int CLOSED = 3;

    private final ClusterConfig config;
    private final JGroupsTransportFactory.ChannelSource channels;
    private final boolean ours;
    private final TransportCounters counters = new TransportCounters();
    private final MemberAddresses memberAddresses = new MemberAddresses();
    private final ConcurrentHashMap<MemberId, Address> addresses = new ConcurrentHashMap<>();
    private final ReentrantLock delivery = new ReentrantLock();
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    /** Each other member's pair state, with identity bound to certificates. */
    private final ConcurrentHashMap<MemberId, Pair> pairs = new ConcurrentHashMap<>();
    /** The members of the last view, for departures. Under {@code delivery}. */
    private Set<MemberId> lastMembers = Set.of();
    private volatile MemberId self;
    /** This member's identity bound to its certificate, or null (see {@link MemberIdentity}). */
    private volatile MemberIdentity identity;
    private volatile MembershipGate gate;
    private volatile JChannel channel;

    JGroupsTransport(ClusterConfig config, JGroupsTransportFactory.ChannelSource channels,
            boolean ours) {
        this.config = config;
        this.channels = channels;
        this.ours = ours;
    }

    @Override
    public ClusterView start(ClusterListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (!state.compareAndSet(NEW, STARTING)) {
            throw new IllegalStateException("a cluster transport starts once; create a new one "
                    + "to rejoin");
        }
        MemberId id = new MemberId(config.memberName(), ThreadLocalRandom.current().nextLong());
        JChannel ch = null;
        try {
            ch = channels.newChannel();
            if (ch == null || ch.isConnected() || ch.isConnecting()) {
                throw new ClusterException("the channel source must give a new, unconnected "
                        + "channel, gave " + ch);
            }
            TP transport = ch.getProtocolStack().getTransport();
            configureDiagnostics(transport);
            boolean tls = configureTls(transport);
            if (config.requireTls() && !tls) {
                throw new TlsRequiredException("requireTls is set but the transport would run "
                        + "without mutual TLS (" + tlsState(transport) + "): configure "
                        + "ClusterConfig.tls(...), or TLS with client_auth=NEED in the stack");
            }
            warnIfExposed(reachableAt(transport.getBindAddr(), transport.getExternalAddr()), tls);
            if (tls && config.tls().isPresent()) {
                identity = MemberIdentity.of(config.tls().get(), config.clusterName(), id);
            }
            self = id;
            gate = new MembershipGate(id, listener, counters, MAX_PENDING_BYTES);
            ch.addAddressGenerator(() -> MemberAddresses.addressOf(id));
            ch.name(id.toString());
            ch.setReceiver(new Inbound());
            channel = ch;
            ch.connect(config.clusterName());
        } catch (RuntimeException e) {
            abort(ch);
            throw e instanceof ClusterException ? e : new ClusterException("cannot join cluster '"
                    + config.clusterName() + "' as " + id + ": " + e.getMessage(), e);
        } catch (Exception e) {
            abort(ch);
            throw new ClusterException("cannot join cluster '" + config.clusterName() + "' as "
                    + id + ": " + e.getMessage(), e);
        }
        delivery.lock();
        try {
            if (gate.view() == null) {
                onEngineView(ch.getView());
            }
        } finally {
            delivery.unlock();
        }
        state.compareAndSet(STARTING, STARTED);
        return gate.view();
    }

    private void abort(JChannel ch) {
        state.set(CLOSED);
        if (ch != null) {
            ch.close();
        }
    }

    private void configureDiagnostics(TP transport) {
        DiagnosticsHandler diagnostics = transport.getDiagnosticsHandler();
        if (diagnostics == null) {
            return;
        }
        if (ours) {
            diagnostics.setEnabled(false);
        } else if (diagnostics.isEnabled()) {
            LOG.warn("the JGroups channel given to the cluster transport has diagnostics on: an "
                    + "unauthenticated probe endpoint that answers anyone; set diag.enabled=false "
                    + "on its transport");
        }
    }

    private boolean configureTls(TP transport) {
        ClusterTls settings = config.tls().orElse(null);
        if (settings != null) {
            if (!(transport instanceof TCP tcp)) {
                throw new ClusterException("TLS needs JGroups' TCP transport; this stack's "
                        + "transport is " + transport.getName());
            }
            tcp.tls().enabled(true)
                    .setSSLContext(settings.sslContext())
                    .setClientAuth(TLSClientAuth.NEED)
                    .setProtocols(settings.protocols().toArray(new String[0]));
        }
        return transport instanceof TCP tcp && tcp.tls().enabled()
                && tcp.tls().getClientAuth() == TLSClientAuth.NEED;
    }

    private static String tlsState(TP transport) {
        if (!(transport instanceof TCP tcp)) {
            return "transport " + transport.getName() + " has no TLS";
        }
        return tcp.tls().enabled() ? "TLS on, client_auth=" + tcp.tls().getClientAuth()
                : "TLS off";
    }

    /**
     * The address other hosts reach this member at: the bound one, unless that is loopback and
     * an advertised (external) address beyond loopback says something forwards to it.
     */
    static InetAddress reachableAt(InetAddress bound, InetAddress advertised) {
        return bound != null && bound.isLoopbackAddress() && advertised != null
                && !advertised.isLoopbackAddress() ? advertised : bound;
    }

    /** Logs a warning when plaintext would be reachable from other hosts; true if it did. */
    static boolean warnIfExposed(InetAddress bindAddress, boolean tls) {
        if (tls || bindAddress != null && bindAddress.isLoopbackAddress()) {
            return false;
        }
        LOG.warn("the cluster transport binds to {} without TLS: anyone who can reach that "
                + "address can join the cluster, read its messages and send as a member; "
                + "configure ClusterConfig.tls(...) and requireTls(true)",
                bindAddress == null ? "an address chosen by JGroups" : bindAddress);
        return true;
    }

    @Override
    public MemberId self() {
        MemberId id = self;
        if (id == null) {
            throw new IllegalStateException("the cluster transport has not started");
        }
        return id;
    }

    @Override
    public ClusterView view() {
        MembershipGate g = gate;
        ClusterView view = g == null ? null : g.view();
        if (view == null) {
            throw new IllegalStateException("the cluster transport has not started");
        }
        return view;
    }

    @Override
    public boolean send(MemberId to, byte[] payload) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payload, "payload");
        MemberId me = checkSend(payload);
        if (to.equals(me)) {
            throw new IllegalArgumentException("a member does not send to itself (" + to
                    + "): deliver locally");
        }
        if (state.get() == CLOSED) {
            return false;
        }
        ClusterView view = view();
        Address address = addresses.get(to);
        if (!view.contains(to) || address == null) {
            return false;
        }
        if (identity != null) {
            return sendSealed(to, address, view.id(), payload);
        }
        return transmit(to, address, WireFrame.encode(view.id(), payload), payload.length);
    }

    /**
     * Sends {@code payload} sealed for {@code to}; before {@code to}'s statement has verified it
     * waits (in order, bounded) and goes once it has.
     */
    private boolean sendSealed(MemberId to, Address address, long viewId, byte[] payload) {
        Pair pair = pairs.computeIfAbsent(to, Pair::new);
        synchronized (pair) {
            introduce(pair, address, viewId);
            if (pair.link == null) {
                if (pair.waitingBytes + payload.length > MAX_PENDING_BYTES) {
                    warnOnce("unverified", "could not send to " + to + ": its identity has not "
                            + "verified and " + pair.waitingBytes + " bytes already wait for it");
                    return false;
                }
                pair.waiting.add(payload);
                pair.waitingBytes += payload.length;
                return true;
            }
            return transmit(to, address, pair.link.seal(viewId, payload), payload.length);
        }
    }

    /** Sends this member's statement to {@code pair}'s member, once, before anything else. */
    private void introduce(Pair pair, Address address, long viewId) {
        if (!pair.introduced) {
            pair.introduced = true;
            try {
                channel.send(new BytesMessage(address, WireFrame.statement(viewId,
                        identity.statement())));
            } catch (Exception e) {
                if (state.get() != CLOSED && channel.isConnected()) {
                    LOG.warn("cluster transport {} could not introduce itself to {}", self,
                            pair.member, e);
                }
            }
        }
    }

    @Override
    public List<MemberId> sendToAll(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        MemberId me = checkSend(payload);
        if (state.get() == CLOSED) {
            return List.of();
        }
        ClusterView view = view();
        byte[] frame = null;
        List<MemberId> sent = new ArrayList<>(view.size());
        for (MemberId member : view.members()) {
            Address address = member.equals(me) ? null : addresses.get(member);
            if (address != null && identity != null) {
                if (sendSealed(member, address, view.id(), payload)) {
                    sent.add(member);
                }
            } else if (address != null) {
                if (frame == null) {
                    frame = WireFrame.encode(view.id(), payload);
                }
                if (transmit(member, address, frame, payload.length)) {
                    sent.add(member);
                }
            }
        }
        return List.copyOf(sent);
    }

    private MemberId checkSend(byte[] payload) {
        MemberId me = self();
        if (payload.length > config.maxMessageSize()) {
            throw new IllegalArgumentException("payload must be at most maxMessageSize ("
                    + config.maxMessageSize() + " bytes), was " + payload.length + " bytes");
        }
        return me;
    }

    private boolean transmit(MemberId to, Address address, byte[] frame, int payloadLength) {
        try {
            channel.send(new BytesMessage(address, frame));
        } catch (Exception e) {
            if (state.get() == CLOSED || !channel.isConnected()) {
                return false;
            }
            throw new ClusterException("JGroups failed to send to " + to + ": " + e, e);
        }
        counters.sent.increment();
        counters.bytesSent.add(payloadLength);
        return true;
    }

    @Override
    public ClusterTransportMetrics metrics() {
        return counters.snapshot();
    }

    @Override
    public void close() {
        int before = state.getAndSet(CLOSED);
        if (before == CLOSED || before == NEW) {
            return;
        }
        delivery.lock();
        try {
            gate.close();
        } finally {
            delivery.unlock();
        }
        JChannel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    /** The channel, for tests of this package; null before start. */
    JChannel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return "JGroupsTransport[" + (self == null ? config.memberName() : self) + " in '"
                + config.clusterName() + "']";
    }

    // ---- from JGroups, on its threads ---------------------------------------------------

    /** Called with {@code delivery} held. */
    private void onEngineView(View view) {
        List<MemberId> members = toMembers(view.getMembers(), true);
        List<List<MemberId>> subgroups = new ArrayList<>();
        List<Long> subgroupIds = new ArrayList<>();
        boolean merge = view instanceof MergeView;
        if (merge) {
            for (View subgroup : ((MergeView) view).getSubgroups()) {
                subgroups.add(toMembers(subgroup.getMembers(), false));
                subgroupIds.add(subgroup.getViewId().getId());
            }
        }
        gate.onView(view.getViewId().getId(), members, merge, subgroups, subgroupIds);
        Set<MemberId> present = new HashSet<>(members);
        addresses.keySet().retainAll(present);
        for (MemberId gone : lastMembers) {
            if (!present.contains(gone)) {
                pairs.remove(gone);
            }
        }
        lastMembers = present;
        if (identity != null) {
            for (MemberId member : members) {
                Address address = addresses.get(member);
                if (!member.equals(self) && address != null) {
                    Pair pair = pairs.computeIfAbsent(member, Pair::new);
                    synchronized (pair) {
                        introduce(pair, address, view.getViewId().getId());
                    }
                }
            }
        }
    }

    /** What this member knows of another with identity bound to certificates. */
    private static final class Pair {
        final MemberId member;
        // guarded by this
        /** Whether this member's statement went to it. */
        boolean introduced;
        /** The authenticated stream, once its statement verified. */
        SealedLink link;
        /** Payloads sent before that, in order. */
        final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
        long waitingBytes;

        Pair(MemberId member) {
            this.member = member;
        }
    }

    private List<MemberId> toMembers(List<Address> engineMembers, boolean register) {
        List<MemberId> members = new ArrayList<>(engineMembers.size());
        for (Address address : engineMembers) {
            MemberId member = memberAddresses.memberOf(address);
            if (member == null) {
                warnOnce("foreign", "ignored a JGroups member that is not a HiveMesh cluster "
                        + "transport: " + address);
                continue;
            }
            members.add(member);
            if (register) {
                addresses.put(member, address);
            }
        }
        return members;
    }

    private record Arrival(MemberId from, long viewId, byte[] payload) {
    }

    /** The message as the gate takes it, or null when it was dropped (counted). */
    private Arrival decode(Message message) {
        try {
            if (!(message instanceof BytesMessage)) {
                return malformed("not a BytesMessage: " + message.getClass().getSimpleName());
            }
            MemberId from = memberAddresses.memberOf(message.src());
            if (from == null || from.equals(self)) {
                return malformed("unknown sender " + message.src());
            }
            byte[] array = message.getArray();
            int offset = message.getOffset();
            int length = message.getLength();
            byte kind = WireFrame.kind(array, offset, length);
            if (kind == 0 || identity == null && kind != WireFrame.PLAIN) {
                return malformed("not a frame of this transport, from " + from);
            }
            int header = WireFrame.HEADER;
            if (identity != null) {
                if (kind == WireFrame.STATEMENT) {
                    onStatement(from, message.src(), Arrays.copyOfRange(array,
                            offset + WireFrame.HEADER, offset + length));
                    return null;
                }
                Pair pair = pairs.get(from);
                SealedLink link;
                if (pair == null) {
                    link = null;
                } else {
                    synchronized (pair) {
                        link = pair.link;
                    }
                }
                if (kind != WireFrame.SEALED || link == null
                        || !link.open(array, offset, length)) {
                    return unauthenticated(kind != WireFrame.SEALED ? "an unsealed frame from "
                            + from : link == null ? "a frame from " + from + " before its "
                            + "identity statement verified" : "a frame from " + from + " with a "
                            + "wrong tag or out of sequence");
                }
                header = WireFrame.SEALED_HEADER;
                length -= WireFrame.TAG;
            }
            int size = length - header;
            if (size > config.maxMessageSize()) {
                counters.oversized.increment();
                warnOnce("oversized", "dropped a message of " + size + " bytes from " + from
                        + ": above maxMessageSize " + config.maxMessageSize());
                return null;
            }
            return new Arrival(from, WireFrame.viewId(array, offset),
                    Arrays.copyOfRange(array, offset + header, offset + length));
        } catch (RuntimeException e) {
            return malformed("undecodable message: " + e);
        }
    }

    /** A statement from {@code from}: if it verifies, the pair's stream opens. */
    private void onStatement(MemberId from, Address address, byte[] statement) {
        SealedLink link;
        try {
            link = identity.verify(statement, from);
        } catch (RuntimeException e) {
            unauthenticated("an identity statement that does not verify: " + e.getMessage());
            return;
        }
        Pair pair = pairs.computeIfAbsent(from, Pair::new);
        synchronized (pair) {
            if (pair.link != null) {
                // its statement again (it is sent once per pair: a replay): the stream stays
                return;
            }
            pair.link = link;
            long viewId = gate.view() == null ? 0 : gate.view().id();
            introduce(pair, address, viewId);
            for (byte[] payload = pair.waiting.poll(); payload != null;
                    payload = pair.waiting.poll()) {
                transmit(from, address, link.seal(viewId, payload), payload.length);
            }
            pair.waitingBytes = 0;
        }
    }

    private Arrival unauthenticated(String why) {
        counters.unauthenticated.increment();
        warnOnce("unauthenticated", "dropped a message whose sender's identity did not verify: "
                + why);
        return null;
    }

    private Arrival malformed(String why) {
        counters.malformed.increment();
        warnOnce("malformed", "dropped a malformed message: " + why);
        return null;
    }

    private void warnOnce(String reason, String message) {
        if (warned.add(reason)) {
            LOG.warn("{} ({} of {}; logged once, counted in the transport's metrics)", message,
                    reason, self);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug(message);
        }
    }

    /** JGroups' callbacks: nothing thrown from here reaches a JGroups thread. */
    private final class Inbound implements Receiver {

        @Override
        public void viewAccepted(View view) {
            delivery.lock();
            try {
                onEngineView(view);
            } catch (RuntimeException e) {
                LOG.error("cluster transport {} could not take view {}", self, view, e);
            } finally {
                delivery.unlock();
            }
        }

        @Override
        public void receive(Message message) {
            Arrival arrival = decode(message);
            if (arrival == null) {
                return;
            }
            delivery.lock();
            try {
                gate.onMessage(arrival.from(), arrival.viewId(), arrival.payload());
            } catch (RuntimeException e) {
                LOG.error("cluster transport {} could not deliver a message", self, e);
            } finally {
                delivery.unlock();
            }
        }

        @Override
        public void receive(MessageBatch batch) {
            List<Arrival> arrivals = new ArrayList<>(batch.size());
            for (Message message : batch) {
                Arrival arrival = decode(message);
                if (arrival != null) {
                    arrivals.add(arrival);
                }
            }
            if (arrivals.isEmpty()) {
                return;
            }
            delivery.lock();
            try {
                for (Arrival arrival : arrivals) {
                    gate.onMessage(arrival.from(), arrival.viewId(), arrival.payload());
                }
            } catch (RuntimeException e) {
                LOG.error("cluster transport {} could not deliver a batch", self, e);
            } finally {
                delivery.unlock();
            }
        }
    }
}
