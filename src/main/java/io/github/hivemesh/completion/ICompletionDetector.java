package io.github.hivemesh.completion;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Tells when a swarm is <em>quiescent</em>: no task pending, queued, running or in flight.
 * The completion API both coordinators use; {@link IDistributedCompletionDetector}
 * (Dijkstra–Scholten, for the mesh) and {@link CountingCompletionDetector} (created vs. ended,
 * for the hierarchy) implement it.
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public interface ICompletionDetector {

    /** {@return the swarm this detector watches} */
    String swarmId();

    /**
     * Completes {@code true} at the first quiescent moment after this call (at once if the swarm
     * is quiescent now), or {@code false} when {@code timeout} passes first, which is counted in
     * {@link CompletionDetectorMetrics#timeouts()}. New work after that moment starts a new busy
     * period; the detector keeps running.
     *
     * <p>The future is completed on the thread that observed quiescence (the root's mailbox, or
     * the thread that ended the last task), so chain heavy work with the {@code *Async}
     * methods. After {@link #shutdown()} it fails with {@link IllegalStateException}.
     *
     * @param swarmId must be this detector's {@link #swarmId()}
     * @param timeout zero or positive; zero answers from the current state only
     * @return a future of whether completion was detected before the timeout
     * @throws IllegalArgumentException for another swarm or a negative timeout
     */
    CompletableFuture<Boolean> detectCompletion(String swarmId, Duration timeout);

    /**
     * {@return {@link #detectCompletion(String, Duration)} with the configured default timeout}
     *
     * @param swarmId the swarm this detector watches
     */
    CompletableFuture<Boolean> detectCompletion(String swarmId);

    /** {@return whether the swarm is quiescent at this instant} */
    boolean isQuiescent();

    /** {@return the current epoch: 0 at creation, +1 per {@link #reset()}} */
    long epoch();

    /**
     * Starts a new epoch; allowed only while quiescent. Signals stamped with an older epoch are
     * ignored afterwards. Metrics are kept.
     *
     * @throws IllegalStateException if work is outstanding
     */
    void reset();

    /** {@return the detector's counters} */
    CompletionDetectorMetrics getMetrics();

    /**
     * Fails every pending {@link #detectCompletion} future with {@link IllegalStateException}
     * and refuses later calls; cancels their timeouts. For a coordinator's shutdown. Idempotent.
     */
    void shutdown();
}
