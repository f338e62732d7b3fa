package io.github.hivemesh.testing;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * An {@link Executor} that runs nothing by itself: it queues what it is given (the production
 * broker's mailboxes, a worker's tasks) and runs one of them when told, on the caller's thread.
 * Given to {@code InProcessMessageBroker} through {@code MessageBrokerConfig.dispatcher(...)}
 * with {@code dispatchBatchSize(1)}, one {@link #run(int)} delivers exactly one message, so a
 * test picks the interleaving of every mailbox step (see {@link DeterministicHarness}).
 *
 * <p>Confined to the thread that created it: a call from any other thread fails, because it
 * would make the schedule depend on the OS scheduler instead of the seed.
 */
public final class DeterministicDispatcher implements Executor {

    private final Thread owner = Thread.currentThread();
    private final ArrayList<Runnable> ready = new ArrayList<>();
    private long ran;

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        checkThread();
        ready.add(command);
    }

    /** Runnables waiting, oldest first. */
    public int pending() {
        return ready.size();
    }

    /** Removes the runnable at {@code index} (0 = oldest) and runs it. */
    public void run(int index) {
        checkThread();
        Runnable next = ready.remove(index);
        ran++;
        next.run();
    }

    /** Runs the oldest runnable; false if there was none. */
    public boolean runOldest() {
        if (ready.isEmpty()) {
            return false;
        }
        run(0);
        return true;
    }

    /** Runnables run so far. */
    public long ran() {
        return ran;
    }

    private void checkThread() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("the deterministic dispatcher belongs to thread '"
                    + owner.getName() + "' but was called from '"
                    + Thread.currentThread().getName() + "': the schedule would not replay");
        }
    }
}
