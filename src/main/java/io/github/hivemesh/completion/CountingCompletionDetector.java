package io.github.hivemesh.completion;

import java.util.concurrent.atomic.LongAdder;

/**
 * Exact completion detection by counting, for coordinators through which every task passes
 * (the hierarchy's queen): tasks created minus tasks ended is the outstanding work, and the
 * swarm is quiescent when it is zero.
 *
 * <p>The coordinator calls {@link #taskCreated()} when it accepts a task (a submission or a
 * delegated subtask), before anything can run it, and {@link #taskEnded()} once the task has
 * ended for good (completed, failed or cancelled, and its future completed). A task re-queued
 * after its worker left has not ended. Because a subtask is created while its parent is still
 * running, the count cannot touch zero while a tree of tasks is unfinished.
 *
 * <p>Thread-safe: both hooks may be called from any thread; the count is one atomic word
 * shared with the waiters (see {@code docs/completion.md}).
 */
public final class CountingCompletionDetector extends AbstractCompletionDetector {

    private final LongAdder created = new LongAdder();
    private final LongAdder ended = new LongAdder();

    private CountingCompletionDetector(String swarmId, DistributedCompletionConfig config) {
        super(swarmId, config);
    }

    /**
     * {@return a counting detector for one swarm; it uses the config's default timeout, clock and
     * scheduler (the probe fields have no meaning for it)}
     *
     * @param swarmId the swarm's id
     * @param config the settings
     */
    public static CountingCompletionDetector create(String swarmId,
            DistributedCompletionConfig config) {
        return new CountingCompletionDetector(swarmId, config);
    }

    /** A task was accepted; call before it can be queued or run. Any thread. */
    public void taskCreated() {
        tracker.enter();
        created.increment();
    }

    /**
     * A task ended for good. Any thread. When it was the last, waiting
     * {@code detectCompletion} futures complete on this thread.
     *
     * @throws IllegalStateException if more tasks ended than were created
     */
    public void taskEnded() {
        tracker.exit();
        ended.increment();
    }

    /** {@return tasks created and not yet ended} */
    public long outstanding() {
        return tracker.outstanding();
    }

    @Override
    public String toString() {
        return "CountingCompletionDetector[swarm=" + swarmId() + ", outstanding=" + outstanding()
                + ", epoch=" + epoch() + "]";
    }

    @Override
    int peerCount() {
        return 0;
    }

    @Override
    int completedPeerCount() {
        return 0;
    }

    @Override
    long probesSent() {
        return created.sum();
    }

    @Override
    long acknowledgmentsReceived() {
        return ended.sum();
    }

    @Override
    long ignoredSignals() {
        return 0;
    }
}
