package io.github.hivemesh.internal.cluster;

import io.github.hivemesh.cluster.ClusterTransportMetrics;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counts behind {@link ClusterTransportMetrics}, written by engine threads and read by
 * anyone ({@link LongAdder}: writers never contend on one cache line).
 *
 * <p>Not part of the API: the package {@code io.github.hivemesh.internal} may change without notice.
 */
public final class TransportCounters {

    /** Messages handed to the engine. */
    public final LongAdder sent = new LongAdder();
    /** Payload bytes handed to the engine. */
    public final LongAdder bytesSent = new LongAdder();
    /** Messages given to the listener. */
    public final LongAdder delivered = new LongAdder();
    /** Payload bytes given to the listener. */
    public final LongAdder bytesDelivered = new LongAdder();
    /** Views given to the listener. */
    public final LongAdder views = new LongAdder();
    /** Dropped: from a departed member. */
    public final LongAdder departed = new LongAdder();
    /** Dropped: from a member not in the view and not a joiner. */
    public final LongAdder notInView = new LongAdder();
    /** Dropped: not a well-formed frame. */
    public final LongAdder malformed = new LongAdder();
    /** Dropped: payload over the size limit. */
    public final LongAdder oversized = new LongAdder();
    /** Dropped: the join buffer was full. */
    public final LongAdder bufferFull = new LongAdder();
    /** Dropped: the sender's identity did not verify. */
    public final LongAdder unauthenticated = new LongAdder();
    /** Listener calls that threw. */
    public final LongAdder listenerFailures = new LongAdder();

    /** A snapshot. */
    public ClusterTransportMetrics snapshot() {
        return new ClusterTransportMetrics(sent.sum(), bytesSent.sum(), delivered.sum(),
                bytesDelivered.sum(), views.sum(), departed.sum(), notInView.sum(),
                malformed.sum(), oversized.sum(), bufferFull.sum(), listenerFailures.sum(),
                unauthenticated.sum());
    }
}
