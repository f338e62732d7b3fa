package io.github.hivemesh.internal;

import io.github.hivemesh.task.DuplicateTaskException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskResult;
import io.github.hivemesh.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Every task of one swarm by id, with the counts and latency percentiles the metrics report.
 *
 * <p>Ended tasks are remembered up to a retention count, oldest forgotten first, so memory
 * stays bounded under endless load; a forgotten id may be used again.
 *
 * <p>Thread-safe.
 */
public final class TaskRegistry {

    private final Clock clock;
    private final int retention;
    private final ConcurrentHashMap<String, TaskRecord> records = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<TaskRecord> ended = new ConcurrentLinkedQueue<>();
    private final AtomicInteger endedRemembered = new AtomicInteger();
    private final AtomicLong serials = new AtomicLong();
    private final Map<TaskState, LongAdder> inState = new EnumMap<>(TaskState.class);
    private final LongAdder submitted = new LongAdder();
    private final Recorder latencyMicros = new Recorder(3);
    private final Histogram latencyTotal = new Histogram(3);
    private final Recorder startDelayMicros = new Recorder(3);
    private final Histogram startDelayTotal = new Histogram(3);
    private volatile Consumer<TaskRecord> endListener = record -> { };
    private volatile long lastEndNanos;

    /** A registry that remembers up to {@code retention} ended tasks. */
    public TaskRegistry(Clock clock, int retention) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = retention;
        for (TaskState state : TaskState.values()) {
            inState.put(state, new LongAdder());
        }
    }

    /**
     * Called (on the ending thread) after a task ended, its room given back, and before its
     * future completes.
     */
    public void onEnd(Consumer<TaskRecord> listener) {
        this.endListener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Registers a new task as PENDING.
     *
     * @param parent       the delegating task, or null
     * @param dependencies the records of its dependencies, or null when it has none
     * @param gate         the gate whose room it holds until it ends, or null
     * @throws DuplicateTaskException if the id is known
     */
    public TaskRecord register(Task task, TaskRecord parent, TaskRecord[] dependencies,
            SubmissionGate gate) {
        TaskRecord record = new TaskRecord(task, serials.incrementAndGet(), parent,
                parent == null ? null : parent.id(), now(), this, dependencies, gate,
                parent == null ? null : parent.root());
        if (records.putIfAbsent(task.id(), record) != null) {
            throw new DuplicateTaskException(task.id());
        }
        submitted.increment();
        inState.get(TaskState.PENDING).increment();
        record.linkToParent();
        return record;
    }

    /**
     * A record of a task this coordinator runs for another member (cluster mode), as
     * {@code PENDING}: not entered by id (the other member's ids are its own), so it can
     * neither collide with this member's tasks nor be found by {@link #find}. Its owner keeps
     * it; use a registry of its own for such records (its counters are theirs).
     *
     * @param task the task as it arrived
     * @param root the completion root whose work it is, null for the coordinator's own
     * @return the record
     */
    public TaskRecord detached(Task task, String root) {
        TaskRecord record = new TaskRecord(task, serials.incrementAndGet(), null, null, now(),
                this, null, null, root);
        submitted.increment();
        inState.get(TaskState.PENDING).increment();
        return record;
    }

    /** The record of a known task. */
    public Optional<TaskRecord> find(String taskId) {
        return Optional.ofNullable(records.get(taskId));
    }

    /**
     * The record an assignment names — that registration of the id, in that attempt — or null
     * if it is gone (forgotten, or superseded by a later registration or attempt).
     */
    public TaskRecord current(String taskId, long serial, int attempt) {
        TaskRecord record = records.get(taskId);
        return record != null && record.isCurrent(serial, attempt) ? record : null;
    }

    /** Whether an id is known (live, or ended and still remembered). */
    public boolean contains(String taskId) {
        return records.containsKey(taskId);
    }

    /** Records that have not ended (a snapshot). */
    public List<TaskRecord> live() {
        List<TaskRecord> live = new ArrayList<>();
        for (TaskRecord record : records.values()) {
            if (!record.state().isTerminal()) {
                live.add(record);
            }
        }
        return live;
    }

    /** Tasks accepted so far. */
    public long submitted() {
        return submitted.sum();
    }

    /** Tasks in a state now (for terminal states: ever). */
    public long count(TaskState state) {
        return inState.get(state).sum();
    }

    /** Time since the last task ended; zero before the first. */
    public Duration sinceLastEnd() {
        long end = lastEndNanos;
        return end == 0 ? Duration.ZERO : Duration.ofNanos(Math.max(0, System.nanoTime() - end));
    }

    /** Tasks waiting now: pending (dependencies, an agent, a slot) or assigned, not started. */
    public long waiting() {
        return count(TaskState.PENDING) + count(TaskState.ASSIGNED);
    }

    /** Submission-to-end latency percentile, e.g. 0.95. */
    public synchronized Duration latencyPercentile(double quantile) {
        return percentile(latencyMicros, latencyTotal, quantile);
    }

    /** Percentile of the time tasks waited on their agent between assignment and start. */
    public synchronized Duration startDelayPercentile(double quantile) {
        return percentile(startDelayMicros, startDelayTotal, quantile);
    }

    private static Duration percentile(Recorder recorder, Histogram total, double quantile) {
        total.add(recorder.getIntervalHistogram());
        if (total.getTotalCount() == 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(total.getValueAtPercentile(quantile * 100) * 1_000);
    }

    void started(Instant assignedAt, Instant startedAt) {
        if (assignedAt != null) {
            startDelayMicros.recordValue(Math.max(0,
                    Duration.between(assignedAt, startedAt).toNanos() / 1_000));
        }
    }

    Instant now() {
        return clock.instant();
    }

    void moved(TaskState from, TaskState to) {
        inState.get(from).decrement();
        inState.get(to).increment();
    }

    void ended(TaskRecord record, TaskResult result) {
        record.releaseRoom();
        long micros = Math.max(0, Duration.between(result.submittedAt(), result.finishedAt())
                .toNanos() / 1_000);
        latencyMicros.recordValue(micros);
        lastEndNanos = System.nanoTime();
        endListener.accept(record);
    }

    /**
     * A record has settled: it joins the ended ones remembered, and the oldest beyond the
     * retention is forgotten. Only settled records are forgotten, so whoever finds an id gone
     * knows its future has completed.
     */
    void settled(TaskRecord record) {
        ended.add(record);
        if (endedRemembered.incrementAndGet() > retention) {
            TaskRecord oldest = ended.poll();
            if (oldest != null) {
                endedRemembered.decrementAndGet();
                // only that registration: the id may have been registered again since
                records.remove(oldest.id(), oldest);
            }
        }
    }
}
