package io.github.hivemesh.hierarchy;

import io.github.hivemesh.completion.CountingCompletionDetector;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.internal.TaskRecord;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Comparator;
import java.util.Set;

/**
 * The hierarchy's handle on one task, attached to its {@link TaskRecord}: where it waits, in
 * which order it runs, and whether the completion detector has been told it ended.
 *
 * <p>A job has one holder at a time — the queen, a team lead, or a message between them — and
 * only the holder touches {@link #seq}, {@link #worker} and {@link #session}; handing it over
 * through a mailbox publishes them. {@link #end} may be called by any thread.
 */
final class Job {

    /** Priority first (10 before 1), then arrival at the queen (global FIFO). */
    static final Comparator<Job> RUN_ORDER = (a, b) -> a.priority != b.priority
            ? Integer.compare(b.priority, a.priority) : Long.compare(a.seq, b.seq);

    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(Job.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final TaskRecord record;
    final Set<String> required;
    final int priority;

    /** Arrival number at the queen; set once by her. */
    long seq;
    /** The worker running it, set by its team lead. */
    Worker worker;
    /** Its run on that worker, set by its team lead; read by a shutdown to interrupt it. */
    volatile SessionTask session;

    private volatile boolean ended;

    Job(TaskRecord record) {
        this.record = record;
        this.required = record.task().requiredCapabilities();
        this.priority = record.task().priority();
    }

    String id() {
        return record.id();
    }

    /**
     * Tells the detector that this task has ended, once, as soon as its record has settled (its
     * future is complete — the ending thread may still be completing it); later calls do
     * nothing. Call only after the record has ended.
     */
    void end(CountingCompletionDetector detector) {
        if (!record.state().isTerminal()) {
            throw new IllegalStateException("task '" + id() + "' is " + record.state()
                    + ": only an ended task may leave the completion count");
        }
        // the CAS makes the count exact when two holders race to drop an ended task
        if (ENDED.compareAndSet(this, false, true)) {
            record.whenSettled(detector::taskEnded);
        }
    }

    @Override
    public String toString() {
        return "Job[" + id() + " p" + priority + " #" + seq + "]";
    }
}
