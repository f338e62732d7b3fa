package io.github.hivemesh.hierarchy;

import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.completion.CountingCompletionDetector;
import io.github.hivemesh.internal.SwarmKernel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the hierarchy's actors (the queen, the team leads, the workers) are given instead of
 * the coordinator: the kernel, the roster, the counting detector, the settings they read, the
 * shared counters, and the one thing only the coordinator does for them ({@link #workerLeft}).
 */
final class HiveContext {

    /** Counters several actors update and the metrics read; all thread-safe. */
    static final class Counters {
        /** Tasks the queen holds: accepted, not yet handed to a team, not ended. */
        final AtomicInteger queenHeld = new AtomicInteger();
        /** Tasks queued at teams, all teams together. */
        final AtomicInteger teamQueued = new AtomicInteger();
        final LongAdder stolen = new LongAdder();
        final LongAdder requeued = new LongAdder();
    }

    /** The coordinator's part: a worker has left its team with no task running. */
    interface Departures {
        void workerLeft(Worker worker);
    }

    final SwarmKernel kernel;
    final Roster roster;
    final CountingCompletionDetector detector;
    final boolean stealing;
    final IdlePausePolicy pausePolicy;
    final ArtifactStorage checkpoints;
    final Counters counters;
    final Departures departures;

    HiveContext(SwarmKernel kernel, Roster roster, CountingCompletionDetector detector,
            boolean stealing, IdlePausePolicy pausePolicy, ArtifactStorage checkpoints,
            Counters counters, Departures departures) {
        this.kernel = kernel;
        this.roster = roster;
        this.detector = detector;
        this.stealing = stealing;
        this.pausePolicy = pausePolicy;
        this.checkpoints = checkpoints;
        this.counters = counters;
        this.departures = departures;
    }

    /** Sends a message between two of the swarm's endpoints (never refused for space). */
    CompletableFuture<Void> send(Message message) {
        return kernel.broker().sendControl(message.senderId(), message.recipientId(), message);
    }

    /** Sends a local command. */
    CompletableFuture<Void> send(HiveCommand command, String from, String to) {
        return send(HiveCommand.message(command, from, to));
    }

    /** The swarm's id. */
    String swarmId() {
        return kernel.swarmId();
    }
}
