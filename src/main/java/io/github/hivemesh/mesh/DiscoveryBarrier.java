package io.github.hivemesh.mesh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Completes a spawn once discovery has converged for the new peer: every live peer's view
 * knows it, and its view knows every live peer. Views change only through broker messages, so
 * the barrier looks again whenever a peer has handled a discovery message while a spawn waits
 * (the last step of a pair's handshake is a reply reaching a peer's endpoint), and as a
 * fallback on the scheduler, every 100 µs at first and backing off to 10 ms.
 *
 * <p>A spawn whose peer is not discovered within the discovery interval completes anyway (the
 * peer is routable through the coordinator as soon as it is registered); that is logged.
 *
 * <p>Thread-safe.
 */
final class DiscoveryBarrier {

    private static final long FIRST_CHECK_MICROS = 100;
    private static final long MAX_CHECK_MICROS = 10_000;

    private record Waiting(MeshPeer peer, CompletableFuture<Void> done, long startNanos) {
    }

    private final MeshContext.Membership membership;
    private final ScheduledExecutorService scheduler;
    private final String swarmId;
    private final Duration patience;
    private final List<Waiting> waiting = new ArrayList<>();
    /** Whether any spawn waits; read without the lock on every discovery message. */
    private volatile boolean anyWaiting;
    private final AtomicLong longestNanos = new AtomicLong();
    private boolean scheduled;
    private long delayMicros = FIRST_CHECK_MICROS;

    DiscoveryBarrier(MeshContext.Membership membership,
            ScheduledExecutorService scheduler, String swarmId,
            Duration patience) {
        this.membership = membership;
        this.scheduler = scheduler;
        this.swarmId = swarmId;
        this.patience = patience;
    }

    /** Completes when {@code peer} and the live peers know each other. */
    CompletableFuture<Void> await(MeshPeer peer) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (this) {
            waiting.add(new Waiting(peer, done, System.nanoTime()));
            anyWaiting = true;
            if (!scheduled) {
                scheduled = true;
                delayMicros = FIRST_CHECK_MICROS;
                schedule();
            }
        }
        // a lone peer, or one whose handshakes all finished already, is done now
        check(false);
        return done;
    }

    /** The longest time a spawned peer took to be discovered both ways. */
    Duration longest() {
        return Duration.ofNanos(longestNanos.get());
    }

    /** Fails every waiting spawn (shutdown). */
    void failAll(RuntimeException reason) {
        List<Waiting> failed;
        synchronized (this) {
            failed = new ArrayList<>(waiting);
            waiting.clear();
            anyWaiting = false;
        }
        failed.forEach(w -> w.done.completeExceptionally(reason));
    }

    /** A peer handled a discovery message: spawns may have converged. Any thread. */
    void progressed() {
        if (anyWaiting) {
            check(false);
        }
    }

    private void schedule() {
        try {
            scheduler.schedule(() -> check(true), delayMicros, TimeUnit.MICROSECONDS);
        } catch (RejectedExecutionException e) {
            failAll(new IllegalStateException("swarm '" + swarmId + "' is stopping"));
        }
    }

    private void check(boolean fromTimer) {
        List<Waiting> converged = new ArrayList<>();
        long now = System.nanoTime();
        long patienceNanos = patience.toNanos();
        synchronized (this) {
            for (Iterator<Waiting> it = waiting.iterator(); it.hasNext();) {
                Waiting w = it.next();
                if (knownBothWays(w.peer) || (fromTimer && now - w.startNanos > patienceNanos)) {
                    it.remove();
                    converged.add(w);
                }
            }
            anyWaiting = !waiting.isEmpty();
            if (fromTimer) {
                if (waiting.isEmpty()) {
                    scheduled = false;
                } else {
                    delayMicros = Math.min(MAX_CHECK_MICROS, delayMicros * 2);
                    schedule();
                }
            }
        }
        for (Waiting w : converged) {
            long took = now - w.startNanos;
            longestNanos.accumulateAndGet(took, Math::max);
            if (!knownBothWays(w.peer)) {
                LoggerFactory.getLogger(DiscoveryBarrier.class).info("peer '{}' not yet discovered by every peer after {};"
                        + " it is routable through the coordinator", w.peer.id(),
                        Duration.ofNanos(took));
            }
            w.done.complete(null);
        }
    }

    private boolean knownBothWays(MeshPeer peer) {
        IPeerDiscoverySystem own = peer.discovery();
        for (MeshPeer other : membership.peers()) {
            if (other == peer || !membership.isLive(other.endpoint())) {
                continue;
            }
            if (own.getPeerInfo(other.endpoint()).isEmpty()
                    || other.discovery().getPeerInfo(peer.endpoint()).isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
