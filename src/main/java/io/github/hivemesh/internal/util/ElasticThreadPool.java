package io.github.hivemesh.internal.util;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform-thread pool sessions run on when the JDK has no virtual threads. It queues
 * first and grows only when queued work stalls.
 *
 * <h2>Growth rule</h2>
 * A task goes into one FIFO queue. A thread that has just finished a task takes the next one
 * without parking, and an idle thread spins briefly before it parks, so trivial tasks are run
 * by the few threads already awake: a submission wakes a parked thread only when no thread is
 * spinning, and starts one only when the pool has no thread at all. Otherwise every thread is
 * busy, and the task waits for one of them — unless they are all blocked (sessions that wait on
 * a model call, or on each other) or too slow for the queue. A <em>watchdog</em> thread ticks
 * every {@code stallBound} while the queue is not empty and compares two counts: tasks taken
 * from the queue now, and tasks submitted by the previous tick. When fewer have been taken, a
 * task submitted before the previous tick is still queued (the queue is FIFO): queued work has
 * waited at least {@code stallBound}. If then no thread is idle (spinning, parked, or started
 * and not yet scheduled) and fewer than
 * {@code maxThreads} run, the watchdog starts threads — one, then
 * twice as many on each further stalled tick, never more than tasks wait (so N sessions that
 * block until all N have started get exactly N threads, in about log₂ N ticks). A thread idle
 * for {@code keepAlive} ends; the watchdog ends with the last thread, so an idle pool holds no
 * thread at all.
 *
 * <h2>Why not a {@code ThreadPoolExecutor}</h2>
 * With an unbounded queue it never grows past its core size, so blocking sessions serialise;
 * with core = max it starts a thread per task up to the maximum even when threads are idle,
 * and hundreds of threads on two cores made the mesh's completion tail (docs/benchmarks.md).
 * The previous version of this class made {@code offer} a {@code LinkedTransferQueue} transfer
 * to a waiting thread and started a thread whenever none waited: no tail, but every task woke
 * a thread, which halved trivial-task throughput. This pool parks and wakes its threads
 * itself ({@link LockSupport}) and uses no {@code LinkedTransferQueue}: one was once seen on
 * JDK 17.0.15 spinning RUNNABLE in {@code awaitMatch} long after its keep-alive while a
 * watchdog read the same queue's size. The queue here is a {@link ConcurrentLinkedQueue},
 * whose {@code isEmpty} (all the watchdog reads of it, besides counting a burst) only reads;
 * the watchdog's stall test reads two counters, not the queue.
 *
 * <h2>No lost wake-up</h2>
 * A submitter enqueues, then reads the spinning and parked counts; a thread about to park first
 * publishes itself as parked, then looks at the queue again. Both are volatile write-then-read
 * pairs, so at least one side sees the other: either the thread finds the task or the
 * submitter wakes a parked thread. The watchdog's idle flag pairs with the queue the same way.
 * A submitter that sees a thread spinning wakes no one, so several submitters may count on the
 * same spinning thread: a thread that takes a task and still sees work queued passes the signal
 * on before it runs the task.
 *
 * <p>Thread-safe. Lifecycle as {@link java.util.concurrent.ExecutorService} specifies:
 * {@link #shutdown()} runs what is queued, {@link #shutdownNow()} interrupts running tasks and
 * returns the queued ones; threads started by this pool all end before
 * {@link #awaitTermination} returns true.
 */
public final class ElasticThreadPool extends AbstractExecutorService {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticThreadPool.class);

    /** Polls of the queue an idle thread makes before it parks. */
    private static final int SPINS = 64;
    /** Of those, every this many is a {@code Thread.yield()} (two cores are shared). */
    private static final int YIELD_EVERY = 16;

    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int STOP = 2;
    private static final int TERMINATED = 3;

    private final int maxThreads;
    private final long keepAliveNanos;
    private final long stallNanos;
    private final ThreadFactory threads;

    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Threads polling the queue before they park; a submission need not wake anyone. */
    private final AtomicInteger spinning = new AtomicInteger();
    /**
     * Threads started that have not yet looked at the queue: about to take work, so idle for
     * the watchdog (on a loaded machine a new thread can wait a tick or more to be scheduled,
     * and counting its task as still unserved would start a second thread for it).
     */
    private final AtomicInteger starting = new AtomicInteger();
    private final LongAdder completed = new LongAdder();
    /** Tasks offered to the queue (counted before the offer). */
    private final LongAdder submitted = new LongAdder();
    /** Tasks taken from the queue, or removed from it again (counted after). */
    private final LongAdder taken = new LongAdder();

    /** Guards the fields below it, and every change of {@link #state}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition terminated = lock.newCondition();
    private final HashSet<Worker> workers = new HashSet<>();
    /** Parked workers, the most recently parked last: it is woken first, the others age out. */
    private final ArrayDeque<Worker> parked = new ArrayDeque<>();
    /** Written under the lock; read without it to unpark. */
    private volatile Thread watchdog;
    private int largest;

    /** {@code parked.size()}, readable without the lock. */
    private volatile int parkedCount;
    /** {@code workers.size()}, readable without the lock. */
    private volatile int threadCount;
    private volatile int state = RUNNING;
    /** The watchdog is parked until work is queued (it must be unparked). */
    private volatile boolean watchdogIdle;

    private ElasticThreadPool(int maxThreads, long keepAliveNanos, long stallNanos,
            ThreadFactory threads) {
        this.maxThreads = maxThreads;
        this.keepAliveNanos = keepAliveNanos;
        this.stallNanos = stallNanos;
        this.threads = threads;
    }

    /**
     * A pool of up to {@code maxThreads} threads from {@code threads}, none while idle, that
     * starts a thread when queued work has waited 2 ms behind busy threads.
     *
     * @throws IllegalArgumentException if {@code maxThreads < 1} or {@code keepAlive <= 0}
     */
    public static ElasticThreadPool create(int maxThreads, long keepAlive, TimeUnit unit,
            ThreadFactory threads) {
        return create(maxThreads, keepAlive, unit, TimeUnit.MILLISECONDS.toNanos(2), threads);
    }

    /**
     * A pool of up to {@code maxThreads} threads from {@code threads}, none while idle; a thread
     * idle for {@code keepAlive} ends, and threads are added when queued work has waited
     * {@code stallNanos} behind busy threads (see the class docs).
     *
     * @throws IllegalArgumentException if {@code maxThreads < 1}, {@code keepAlive <= 0} or
     *         {@code stallNanos} is outside [10 µs, 1 s]
     */
    public static ElasticThreadPool create(int maxThreads, long keepAlive, TimeUnit unit,
            long stallNanos, ThreadFactory threads) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be >= 1, was " + maxThreads);
        }
        if (keepAlive <= 0) {
            throw new IllegalArgumentException("keepAlive must be > 0, was " + keepAlive);
        }
        Preconditions.checkRange("stallNanos", stallNanos, 10_000, 1_000_000_000);
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(threads, "threads");
        return new ElasticThreadPool(maxThreads, unit.toNanos(keepAlive), stallNanos, threads);
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state != RUNNING) {
            throw new RejectedExecutionException("the worker pool is shut down");
        }
        submitted.increment();
        queue.offer(task);
        // a shutdownNow between the check and the offer may have drained the queue already
        if (state != RUNNING && queue.remove(task)) {
            taken.increment();
            throw new RejectedExecutionException("the worker pool is shut down");
        }
        signalWork();
    }

    /** After an offer: make sure some thread will take it (volatile reads pair with park). */
    private void signalWork() {
        if (spinning.get() > 0) {
            return;
        }
        if (parkedCount > 0 && wakeOne()) {
            return;
        }
        if (threadCount == 0) {
            lock.lock();
            try {
                if (workers.isEmpty()) {
                    addWorkers(1);
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
        // every thread is busy: the task waits for one, and the watchdog watches it wait
        if (watchdogIdle) {
            Thread dog = watchdog;
            if (dog != null) {
                LockSupport.unpark(dog);
            }
        }
    }

    /** Wakes the most recently parked worker; false if none was parked. */
    private boolean wakeOne() {
        Worker worker;
        lock.lock();
        try {
            worker = parked.pollLast();
            parkedCount = parked.size();
            if (worker != null) {
                worker.signalled = true;
            }
        } finally {
            lock.unlock();
        }
        if (worker == null) {
            return false;
        }
        LockSupport.unpark(worker.thread);
        return true;
    }

    /** Starts up to {@code n} workers within the maximum (and the watchdog). Under the lock. */
    private void addWorkers(int n) {
        for (int i = 0; i < n && workers.size() < maxThreads && state < STOP; i++) {
            Worker worker = new Worker();
            Thread thread = threads.newThread(worker);
            if (thread == null) {
                break;
            }
            worker.thread = thread;
            workers.add(worker);
            threadCount = workers.size();
            starting.incrementAndGet();
            try {
                thread.start();
            } catch (RuntimeException | Error e) {
                worker.started();
                workers.remove(worker);
                threadCount = workers.size();
                throw e;
            }
            largest = Math.max(largest, workers.size());
        }
        if (watchdog == null && !workers.isEmpty()) {
            Thread thread = threads.newThread(this::watch);
            if (thread != null) {
                // assigned once running: a watchdog that failed to start is tried again with
                // the next worker, not taken for one that watches
                thread.start();
                watchdog = thread;
            }
        }
    }

    /** One pool thread: takes tasks until it has been idle for the keep-alive, or the pool stops. */
    private final class Worker implements Runnable {
        Thread thread;
        /** Set by the waker after taking this worker off {@code parked}. */
        volatile boolean signalled;
        /** Whether this worker has left {@code starting}; once only, whatever runs it. */
        private final AtomicBoolean started = new AtomicBoolean();

        /**
         * Leaves {@code starting}. Called once the worker is counted elsewhere — its first task
         * in {@code taken}, or itself in {@code spinning} — so the watchdog never sees a task
         * taken by nobody, nor an idle thread missing from every count.
         */
        void started() {
            if (started.compareAndSet(false, true)) {
                starting.decrementAndGet();
            }
        }

        @Override
        public void run() {
            try {
                while (true) {
                    Runnable task = queue.poll();
                    if (task != null) {
                        taken.increment();
                        started();
                    } else {
                        task = spinForTask(this);
                        if (task != null) {
                            taken.increment();
                        }
                    }
                    if (task != null) {
                        // a submitter that saw this thread spinning woke no one: if more work
                        // is queued, pass the signal on before running this task (else two
                        // tasks for one spinner leave the second to the keep-alive)
                        if (!queue.isEmpty()) {
                            signalWork();
                        }
                        runTask(task);
                        continue;
                    }
                    int s = state;
                    if (s >= STOP || (s == SHUTDOWN && queue.isEmpty())) {
                        return;
                    }
                    if (!parkForTask(this) && tryRetire(this)) {
                        return;
                    }
                }
            } finally {
                started();
                exited(this);
            }
        }
    }

    private Runnable spinForTask(Worker worker) {
        spinning.incrementAndGet();
        worker.started();
        try {
            for (int i = 1; i <= SPINS && state < STOP; i++) {
                Runnable task = queue.poll();
                if (task != null) {
                    return task;
                }
                if (i % YIELD_EVERY == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            return null;
        } finally {
            spinning.decrementAndGet();
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable failure) {
            Thread thread = Thread.currentThread();
            thread.getUncaughtExceptionHandler().uncaughtException(thread, failure);
        } finally {
            completed.increment();
            // an interrupt meant for the task (or a stray one) must not reach the next task
            if (state < STOP) {
                Thread.interrupted();
            }
        }
    }

    /**
     * Parks until woken for work or the keep-alive passes.
     *
     * @return true if woken (or work appeared), false if the keep-alive passed
     */
    private boolean parkForTask(Worker worker) {
        lock.lock();
        try {
            if (state >= STOP) {
                return true;
            }
            worker.signalled = false;
            parked.addLast(worker);
            parkedCount = parked.size();
        } finally {
            lock.unlock();
        }
        // published as parked (volatile write), now look again: pairs with signalWork
        if (!queue.isEmpty() || state >= SHUTDOWN) {
            unpark(worker);
            return true;
        }
        long deadline = System.nanoTime() + keepAliveNanos;
        while (!worker.signalled && state < SHUTDOWN) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            LockSupport.parkNanos(this, left);
            // only shutdownNow interrupts; a stray interrupt would make parkNanos return at once
            Thread.interrupted();
        }
        return !unpark(worker) || worker.signalled || state >= SHUTDOWN;
    }

    /** Takes the worker off the parked list; false if a waker already did. */
    private boolean unpark(Worker worker) {
        lock.lock();
        try {
            boolean removed = parked.remove(worker);
            parkedCount = parked.size();
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** After a keep-alive with no work: the worker ends unless work arrived meanwhile. */
    private boolean tryRetire(Worker worker) {
        lock.lock();
        try {
            if (!queue.isEmpty() && state < STOP) {
                return false;
            }
            workers.remove(worker);
            threadCount = workers.size();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void exited(Worker worker) {
        Thread dog;
        lock.lock();
        try {
            workers.remove(worker);
            threadCount = workers.size();
            parked.remove(worker);
            parkedCount = parked.size();
            dog = workers.isEmpty() ? watchdog : null;
            // queued work but no thread left (a task's thread died): start another
            if (workers.isEmpty() && !queue.isEmpty() && state < STOP) {
                addWorkers(1);
                dog = null;
            }
            tryTerminate();
        } finally {
            lock.unlock();
        }
        if (dog != null) {
            LockSupport.unpark(dog);
        }
    }

    /**
     * The watchdog: while work is queued, every {@code stallNanos} it checks whether a task
     * submitted before the previous tick is still queued; if so, and no thread is idle, it
     * starts threads (doubling on each further stalled tick). Ends with the last worker.
     */
    private void watch() {
        long submittedBefore = -1;
        int burst = 1;
        try {
            while (true) {
                lock.lock();
                try {
                    if (state >= STOP || workers.isEmpty()) {
                        watchdog = null;
                        tryTerminate();
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                if (queue.isEmpty()) {
                    submittedBefore = -1;
                    burst = 1;
                    watchdogIdle = true;
                    // published as idle, now look again: pairs with signalWork
                    if (queue.isEmpty() && threadCount > 0 && state < STOP) {
                        LockSupport.park(this);
                    }
                    watchdogIdle = false;
                    Thread.interrupted();
                    continue;
                }
                boolean waited = submittedBefore >= 0 && taken.sum() < submittedBefore;
                if (waited && spinning.get() == 0 && starting.get() > 0) {
                    // threads it started are not yet scheduled: wait for them, and if the work
                    // still waits after, grow as fast as if they had not been needed
                } else if (waited && spinning.get() == 0) {
                    // queued work has waited a whole tick and no thread is looking for work,
                    // nor about to
                    if (parkedCount > 0) {
                        wakeOne();
                    } else {
                        lock.lock();
                        try {
                            if (state < STOP) {
                                // no more threads than tasks waiting: a burst never overshoots
                                addWorkers(queuedUpTo(burst));
                            }
                        } catch (RuntimeException refused) {
                            // the thread factory refused: the watchdog stays, tries next tick
                            LOG.warn("worker pool: could not start a thread; retrying in {} ms",
                                    TimeUnit.NANOSECONDS.toMillis(stallNanos), refused);
                        } finally {
                            lock.unlock();
                        }
                        burst = Math.min(2 * burst, maxThreads);
                    }
                } else {
                    burst = 1;
                }
                submittedBefore = submitted.sum();
                LockSupport.parkNanos(this, stallNanos);
                Thread.interrupted();
            }
        } finally {
            lock.lock();
            try {
                if (watchdog == Thread.currentThread()) {
                    watchdog = null;
                }
                tryTerminate();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The number of queued tasks, counting no further than {@code limit}. */
    private int queuedUpTo(int limit) {
        int n = 0;
        for (var it = queue.iterator(); n < limit && it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    /** Under the lock: terminated once shut down, no thread left and nothing queued to run. */
    private void tryTerminate() {
        if (state >= SHUTDOWN && state < TERMINATED && workers.isEmpty() && watchdog == null
                && (state == STOP || queue.isEmpty())) {
            state = TERMINATED;
            terminated.signalAll();
        }
    }

    @Override
    public void shutdown() {
        List<Worker> idle;
        Thread dog;
        lock.lock();
        try {
            if (state == RUNNING) {
                state = SHUTDOWN;
            }
            idle = new ArrayList<>(parked);
            parked.clear();
            parkedCount = 0;
            for (Worker worker : idle) {
                worker.signalled = true;
            }
            dog = watchdog;
            if (workers.isEmpty() && !queue.isEmpty()) {
                // a task was queued in a race with the last thread's retirement
                addWorkers(1);
            }
            tryTerminate();
        } finally {
            lock.unlock();
        }
        for (Worker worker : idle) {
            LockSupport.unpark(worker.thread);
        }
        if (dog != null) {
            LockSupport.unpark(dog);
        }
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> drained = new ArrayList<>();
        lock.lock();
        try {
            if (state < STOP) {
                state = STOP;
            }
            for (Runnable task = queue.poll(); task != null; task = queue.poll()) {
                drained.add(task);
            }
            parked.clear();
            parkedCount = 0;
            for (Worker worker : workers) {
                worker.thread.interrupt();
            }
            if (watchdog != null) {
                watchdog.interrupt();
            }
            tryTerminate();
        } finally {
            lock.unlock();
        }
        return drained;
    }

    @Override
    public boolean isShutdown() {
        return state >= SHUTDOWN;
    }

    @Override
    public boolean isTerminated() {
        return state == TERMINATED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (state != TERMINATED) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = terminated.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Threads running now (not counting the watchdog). */
    public int poolSize() {
        return threadCount;
    }

    /** The most threads that ever ran at once. */
    public int largestPoolSize() {
        lock.lock();
        try {
            return largest;
        } finally {
            lock.unlock();
        }
    }

    /** Tasks that have finished running. */
    public long completedTaskCount() {
        return completed.sum();
    }

    /** Tasks waiting in the queue now (O(queued): for tests and diagnostics). */
    public int queuedTaskCount() {
        return queue.size();
    }

    @Override
    public String toString() {
        return "ElasticThreadPool[threads=" + threadCount + ", max=" + maxThreads + ", state="
                + new String[] {"running", "shutdown", "stop", "terminated"}[state] + "]";
    }
}
