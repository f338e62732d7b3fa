package io.github.hivemesh.hierarchy;

import io.github.hivemesh.completion.CountingCompletionDetector;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.wire.Assign;
import io.github.hivemesh.task.Task;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Comparator;
import java.util.Set;

/**
 * The hierarchy's handle on one task, attached to its {@link TaskRecord}: where it waits, in
 * which order it runs, and when it leaves the completion count.
 *
 * <h2>Leaving the count</h2>
 * A task entered the count when it was accepted; it leaves once all of its <em>parts</em>
 * have ended: its record settling (ended, future completed), and — if a session started on it
 * — that session returning. The parts are counted here, so the count does not depend on any
 * holder finding the task again: a task cancelled while the queen's message carries it to a
 * team, and forgotten by the registry before the team looks it up, still leaves the count,
 * exactly once.
 *
 * <p>A job has one holder at a time — the queen, a team lead, or a message between them — and
 * only the holder touches {@link #seq}, {@link #worker}, {@link #session} and
 * {@link #received}; handing it over through a mailbox publishes them. The parts count may be
 * changed from any thread.
 */
final class Job {

    /** Priority first (10 before 1), then arrival at the queen (global FIFO). */
    static final Comparator<Job> RUN_ORDER = (a, b) -> a.priority != b.priority
            ? Integer.compare(b.priority, a.priority) : Long.compare(a.seq, b.seq);

    private static final VarHandle PARTS;

    static {
        try {
            PARTS = MethodHandles.lookup().findVarHandle(Job.class, "parts", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final TaskRecord record;
    final Set<String> required;
    final int priority;
    private final CountingCompletionDetector detector;

    /** Arrival number at the queen; set once by her. */
    long seq;
    /** The worker running it, set by its team lead. */
    Worker worker;
    /** The task as its team received it (through the wire when encoding is on). */
    Task received;
    /** Its run on that worker, set by its team lead; read by a shutdown to interrupt it. */
    volatile SessionTask session;

    /** Parts not yet ended: its record's settling, plus its session once one started. */
    private volatile int parts = 1;

    /** A job for a registered task that the detector counted; it leaves the count by itself. */
    Job(TaskRecord record, CountingCompletionDetector detector) {
        this.record = record;
        this.required = record.task().requiredCapabilities();
        this.priority = record.task().priority();
        this.detector = detector;
        record.whenSettled(this::partEnded);
    }

    /** The job an assignment names, or null if its task is gone (ended and forgotten). */
    static Job of(HiveContext hive, Assign assign) {
        TaskRecord record = hive.kernel.registry().current(assign.taskId(), assign.serial(),
                assign.attempt());
        return record == null ? null : (Job) record.attachment();
    }

    /** The assignment that carries this job to a team, for the completion root {@code root}. */
    Assign assignment(String root) {
        return new Assign(record.task(), record.serial(), record.attempt(), root);
    }

    String id() {
        return record.id();
    }

    /**
     * A session is about to run it: one more part, unless the task has already left the count
     * (its record settled first) — then the session will not run it, and must not count.
     *
     * @return whether the session counts (and must call {@link #sessionEnded} when done)
     */
    boolean sessionStarting() {
        while (true) {
            int now = parts;
            if (now == 0) {
                return false;
            }
            if (PARTS.compareAndSet(this, now, now + 1)) {
                return true;
            }
        }
    }

    /** Its session has returned (and the record settled): that part has ended. */
    void sessionEnded() {
        partEnded();
    }

    private void partEnded() {
        if ((int) PARTS.getAndAdd(this, -1) == 1) {
            detector.taskEnded();
        }
    }

    @Override
    public String toString() {
        return "Job[" + id() + " p" + priority + " #" + seq + "]";
    }
}
