package io.github.hivemesh.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/**
 * An executor that runs nothing until the test says so, on the test's own thread. Lets a test
 * hold messages in a mailbox (to fill it, or to close the broker with work queued).
 */
public final class ManualExecutor implements Executor {

    private final Deque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable command) {
        tasks.add(command);
    }

    /** Runs the oldest submitted task; false if there was none. */
    public boolean runOne() {
        Runnable next;
        synchronized (this) {
            next = tasks.poll();
        }
        if (next == null) {
            return false;
        }
        next.run();
        return true;
    }

    /** Runs tasks until none is left, including ones submitted meanwhile; returns how many. */
    public int runAll() {
        int ran = 0;
        while (runOne()) {
            ran++;
        }
        return ran;
    }

    /** Tasks waiting to run. */
    public synchronized int pending() {
        return tasks.size();
    }
}
