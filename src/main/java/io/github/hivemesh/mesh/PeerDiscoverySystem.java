package io.github.hivemesh.mesh;

import static io.github.hivemesh.internal.util.Preconditions.checkNotBlank;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.broker.BrokerClosedException;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageHandler;
import io.github.hivemesh.broker.RoutingType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's discovery: the default {@link IPeerDiscoverySystem}.
 *
 * <h2>One instance per peer</h2>
 * Each peer owns one system, which holds that peer's <em>local view</em> of the swarm. The
 * coordinator creates one per peer, registers the peer's endpoint on the broker and passes the
 * endpoint's messages to {@link #handleMessage} (this class never registers a peer handler of
 * its own, so the coordinator keeps a single handler per peer and decides what goes where).
 *
 * <h2>Protocol</h2>
 * All messages have types starting with {@value #TYPE_PREFIX}, distinct from task traffic.
 * <ul>
 *   <li>{@value #ANNOUNCE}: published on the swarm's discovery topic ({@link #topicOf}) when the
 *       peer starts and every discovery interval. Each running peer is subscribed to the topic,
 *       records the announcer and answers it directly with {@value #REPLY}.</li>
 *   <li>{@value #HEARTBEAT}: sent to every known peer each heartbeat interval; carries the
 *       sender's {@link PeerInfo}, so a peer that was forgotten is found again by it.</li>
 *   <li>{@value #UPDATE}: sent to every known peer when the local capabilities change.</li>
 *   <li>{@value #LEAVE}: sent to every known peer when discovery stops.</li>
 * </ul>
 * Direct messages use {@code sendControl}: the broker never refuses them for space, so a busy
 * peer's heartbeats are not lost behind its task queue. Announcements use topic publication,
 * which is bounded; a refused one is retried at the next discovery interval.
 *
 * <h2>Liveness</h2>
 * Any message from a peer refreshes its {@code lastSeen}. Lookups exclude a peer silent longer
 * than the peer timeout at the moment of the lookup; the heartbeat timer also marks such peers
 * {@link PeerStatus#STALE} (and removes them from the capability index), and forgets peers
 * silent longer than the eviction timeout. A stale peer becomes alive with its next message.
 *
 * <h2>Threads</h2>
 * Messages arrive on the broker's dispatcher (the peer's mailbox and the topic subscription's
 * mailbox, possibly at once), timers fire on the injected scheduler, and lookups come from any
 * thread. The remote peers live in a {@code PeerView}, where every change to one peer runs
 * inside {@code compute} on its entry and updates the capability index there too, so a peer's
 * record and its index entry change together.
 * Thread-safe; owns no threads (timers are cancelled by {@link #stopDiscovery}).
 */
public final class PeerDiscoverySystem implements IPeerDiscoverySystem {

    /** Prefix of every discovery message type. */
    public static final String TYPE_PREFIX = "discovery.";
    /** A peer announcing itself to the swarm (topic publication). */
    public static final String ANNOUNCE = "discovery.announce";
    /** The answer to an announcement (direct). */
    public static final String REPLY = "discovery.reply";
    /** A peer telling another it is alive (direct). */
    public static final String HEARTBEAT = "discovery.heartbeat";
    /** A peer telling another its capabilities changed (direct). */
    public static final String UPDATE = "discovery.update";
    /** A peer telling another it is leaving (direct). */
    public static final String LEAVE = "discovery.leave";

    private static final Logger LOG = LoggerFactory.getLogger(PeerDiscoverySystem.class);

    private final String localPeerId;
    private final IMessageBroker broker;
    private final PeerDiscoveryConfig config;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    private final DiscoveryCounters counters = new DiscoveryCounters();
    private final PeerView view;
    private final MessageHandler topicHandler = this::handleMessage;
    private final Object lifecycle = new Object();

    private volatile Set<String> localCapabilities;
    private volatile long localVersion;
    private volatile long incarnation;
    private volatile String swarmId;
    private volatile boolean running;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    /**
     * A stopped discovery system for {@code localPeerId}.
     *
     * @param localPeerId  the peer whose view this is
     * @param capabilities the local peer's capabilities
     * @param broker       carries the discovery messages
     * @param config       intervals and timeouts
     * @param clock        time for {@code lastSeen} and timeouts
     * @param scheduler    runs the heartbeat and rediscovery timers (never shut down here)
     */
    public PeerDiscoverySystem(String localPeerId, Collection<String> capabilities,
            IMessageBroker broker, PeerDiscoveryConfig config, Clock clock,
            ScheduledExecutorService scheduler) {
        this.localPeerId = checkNotBlank("localPeerId", localPeerId);
        this.localCapabilities = Set.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
        this.broker = Objects.requireNonNull(broker, "broker");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.view = new PeerView(clock, config, counters, () -> running);
    }

    /**
     * {@return the discovery topic of a swarm}
     *
     * @param swarmId the swarm joined, empty when stopped
     */
    public static String topicOf(String swarmId) {
        return "hivemesh.discovery." + checkNotBlank("swarmId", swarmId);
    }

    /**
     * {@return whether a message belongs to discovery (by its type)}
     *
     * @param message the message
     */
    public static boolean isDiscoveryMessage(Message message) {
        return Objects.requireNonNull(message, "message").type().startsWith(TYPE_PREFIX);
    }

    @Override
    public String localPeerId() {
        return localPeerId;
    }

    /** {@return the swarm joined, empty when stopped} */
    public Optional<String> swarmId() {
        return running ? Optional.of(swarmId) : Optional.empty();
    }

    /** {@return the configuration} */
    public PeerDiscoveryConfig config() {
        return config;
    }

    // ---- lifecycle ----------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> startDiscovery(String swarm) {
        checkNotBlank("swarmId", swarm);
        synchronized (lifecycle) {
            if (running) {
                if (swarm.equals(swarmId)) {
                    return CompletableFuture.completedFuture(null);
                }
                throw new IllegalStateException("peer '" + localPeerId
                        + "' already runs discovery in swarm '" + swarmId + "'");
            }
            if (!broker.isRegistered(localPeerId)) {
                throw new IllegalStateException("peer '" + localPeerId + "' has no endpoint on "
                        + "the broker: register its handler before starting discovery, or "
                        + "answers to its announcement cannot reach it");
            }
            swarmId = swarm;
            // messages that raced the previous stop may have left entries behind
            view.forgetAll();
            // a restarted peer must win over what others remember of its previous run
            incarnation = Math.max(incarnation + 1, clock.millis());
            view.index().put(localPeerId, localCapabilities);
            broker.subscribe(topicOf(swarm), topicHandler);
            running = true;
            long heartbeat = config.heartbeatInterval().toNanos();
            long discovery = config.discoveryInterval().toNanos();
            timers.add(scheduler.scheduleAtFixedRate(() -> guarded(this::heartbeatTick),
                    heartbeat, heartbeat, TimeUnit.NANOSECONDS));
            timers.add(scheduler.scheduleAtFixedRate(() -> guarded(this::announce),
                    discovery, discovery, TimeUnit.NANOSECONDS));
        }
        return announce();
    }

    @Override
    public CompletableFuture<Void> stopDiscovery() {
        List<String> known;
        synchronized (lifecycle) {
            if (!running) {
                return CompletableFuture.completedFuture(null);
            }
            running = false;
            timers.forEach(timer -> timer.cancel(false));
            timers.clear();
            broker.unsubscribe(topicOf(swarmId), topicHandler);
            known = view.forgetAll();
            view.index().remove(localPeerId);
        }
        for (String peer : known) {
            sendDirect(LEAVE, peer, null);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    // ---- outgoing -----------------------------------------------------------------------

    private PeerInfo localInfo() {
        return new PeerInfo(localPeerId, swarmId, localCapabilities, incarnation, localVersion,
                clock.instant(), PeerStatus.ALIVE);
    }

    private Object payload(PeerInfo info) {
        return config.enableArtifactSharing() ? PeerInfoCodec.INSTANCE.encode(info) : info;
    }

    private Message message(String type, String recipient, Object payload, RoutingType routing) {
        return new Message(type, payload, localPeerId, recipient, clock.millis(), Message.nextId(),
                routing, Map.of());
    }

    /** Publishes this peer's announcement; completes normally unless the broker is closed. */
    private CompletableFuture<Void> announce() {
        if (!running) {
            return CompletableFuture.completedFuture(null);
        }
        counters.broadcastsSent.increment();
        return broker.publish(topicOf(swarmId),
                message(ANNOUNCE, null, payload(localInfo()), RoutingType.MULTICAST))
                .handle((ok, failure) -> {
                    Throwable cause = failure instanceof CompletionException
                            ? failure.getCause() : failure;
                    if (cause instanceof BrokerClosedException closed) {
                        throw new CompletionException(closed);
                    }
                    if (cause != null) {
                        // some subscriber refused (full mailbox): the next round retries
                        LOG.debug("announcement of '{}' partly refused", localPeerId, cause);
                    }
                    return null;
                });
    }

    private void sendDirect(String type, String recipient, Object payload) {
        broker.sendControl(localPeerId, recipient,
                message(type, recipient, payload, RoutingType.P2P))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        // the peer's endpoint is gone: silence will make it stale
                        LOG.debug("{} from '{}' to '{}' not accepted: {}", type, localPeerId,
                                recipient, failure.toString());
                    }
                });
    }

    private void heartbeatTick() {
        view.sweep();
        Object payload = payload(localInfo());
        for (String peer : view.remotePeerIds()) {
            counters.heartbeatsSent.increment();
            sendDirect(HEARTBEAT, peer, payload);
        }
    }

    private void guarded(Runnable tick) {
        try {
            tick.run();
        } catch (RuntimeException e) {
            // an exception would cancel the periodic timer for good
            LOG.warn("discovery timer of '{}' failed; it runs again next interval", localPeerId, e);
        }
    }

    // ---- incoming -----------------------------------------------------------------------

    @Override
    public boolean handleMessage(Message message) {
        if (!isDiscoveryMessage(message)) {
            return false;
        }
        String sender = message.senderId();
        if (!running || localPeerId.equals(sender)) {
            return true;
        }
        switch (message.type()) {
            case ANNOUNCE, REPLY -> {
                counters.announcementsReceived.increment();
                if (observe(message) && message.type().equals(ANNOUNCE)) {
                    sendDirect(REPLY, sender, payload(localInfo()));
                }
            }
            case HEARTBEAT -> {
                counters.heartbeatsReceived.increment();
                observe(message);
            }
            case UPDATE -> observe(message);
            case LEAVE -> {
                if (sender != null && view.forget(sender)) {
                    counters.peersLeft.increment();
                }
            }
            default -> malformed(message, "unknown discovery message type");
        }
        return true;
    }

    /** Records the sender's info; false if the message was malformed or foreign. */
    private boolean observe(Message message) {
        PeerInfo info;
        try {
            info = message.payload() instanceof byte[] bytes ? PeerInfoCodec.INSTANCE.decode(bytes)
                    : (PeerInfo) message.payload();
        } catch (ArtifactFormatException | ClassCastException e) {
            return malformed(message, e.toString());
        }
        if (info == null || !info.peerId().equals(message.senderId())) {
            return malformed(message, "payload does not describe its sender");
        }
        if (!info.swarmId().equals(swarmId)) {
            return malformed(message, "sender is in swarm '" + info.swarmId() + "'");
        }
        view.record(info, message.timestamp());
        return true;
    }

    private boolean malformed(Message message, String why) {
        counters.malformedMessages.increment();
        LOG.debug("peer '{}' ignored {} from '{}': {}", localPeerId, message.type(),
                message.senderId(), why);
        return false;
    }

    // ---- lookups ------------------------------------------------------------------------

    @Override
    public List<PeerInfo> findPeersByCapability(String capability) {
        Objects.requireNonNull(capability, "capability");
        return findPeersByCapabilities(List.of(capability));
    }

    @Override
    public List<PeerInfo> findPeersByCapabilities(Collection<String> capabilities) {
        Objects.requireNonNull(capabilities, "capabilities");
        Set<String> required = Set.copyOf(capabilities);
        long now = clock.millis();
        List<PeerInfo> found = new ArrayList<>();
        for (String peerId : view.indexed(required)) {
            PeerInfo info = current(peerId, now);
            // the index may be a step behind a concurrent update: check the record itself
            if (info != null && info.status() == PeerStatus.ALIVE && info.hasAll(required)) {
                found.add(info);
            }
        }
        found.sort(Comparator.comparing(PeerInfo::peerId));
        return found;
    }

    /** The peer as seen at {@code nowMillis} (status by elapsed silence), null if unknown. */
    private PeerInfo current(String peerId, long nowMillis) {
        if (peerId.equals(localPeerId)) {
            return running ? localInfo() : null;
        }
        return view.current(peerId, nowMillis);
    }

    @Override
    public Optional<PeerInfo> getPeerInfo(String peerId) {
        Objects.requireNonNull(peerId, "peerId");
        return Optional.ofNullable(current(peerId, clock.millis()));
    }

    @Override
    public List<PeerInfo> getAllPeers() {
        List<PeerInfo> all = view.remotePeers();
        if (running) {
            all.add(localInfo());
        }
        all.sort(Comparator.comparing(PeerInfo::peerId));
        return all;
    }

    @Override
    public void updatePeerCapabilities(String peerId, Collection<String> capabilities) {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(capabilities, "capabilities");
        if (!peerId.equals(localPeerId)) {
            throw new IllegalArgumentException("only the local peer '" + localPeerId
                    + "' can change its capabilities here; peer '" + peerId
                    + "' announces its own");
        }
        Object payload;
        synchronized (lifecycle) {
            localCapabilities = Set.copyOf(capabilities);
            localVersion++;
            if (!running) {
                return;
            }
            view.index().put(localPeerId, localCapabilities);
            payload = payload(localInfo());
        }
        for (String peer : view.remotePeerIds()) {
            sendDirect(UPDATE, peer, payload);
        }
    }

    @Override
    public boolean isPeerAlive(String peerId, long timeoutMs) {
        Objects.requireNonNull(peerId, "peerId");
        if (peerId.equals(localPeerId)) {
            return running;
        }
        return view.heardWithin(peerId, timeoutMs);
    }

    @Override
    public PeerDiscoveryMetrics getMetrics() {
        int active = 0;
        int stale = 0;
        for (PeerInfo info : view.remotePeers()) {
            if (info.status() == PeerStatus.ALIVE) {
                active++;
            } else {
                stale++;
            }
        }
        return counters.snapshot(active, stale);
    }

    @Override
    public String toString() {
        return "PeerDiscoverySystem[peer=" + localPeerId + ", swarm=" + swarmId + ", running="
                + running + ", known=" + view.size() + "]";
    }
}
