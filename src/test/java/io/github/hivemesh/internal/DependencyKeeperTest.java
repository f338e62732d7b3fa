package io.github.hivemesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.Task;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The dependency keeper on its own: each task it is given gets exactly one decision (ready,
 * failed, dropped), whatever order tasks arrive and end in, and whichever thread ends them.
 */
class DependencyKeeperTest {

    private final TaskRegistry registry = new TaskRegistry(Clock.systemUTC(), 1_000);

    /** A host that writes the decisions down and queues posts for the keeper's "mailbox". */
    private static final class Host implements DependencyKeeper.Host {
        final List<String> decisions = new ArrayList<>();
        final Queue<TaskRecord> posted = new ConcurrentLinkedQueue<>();

        @Override
        public void ready(TaskRecord record) {
            decisions.add("ready " + record.id());
        }

        @Override
        public void fail(TaskRecord record, RuntimeException cause) {
            record.fail(cause);
            decisions.add("fail " + record.id() + " "
                    + (cause instanceof DependencyFailedException d ? d.dependency() : cause));
        }

        @Override
        public void drop(TaskRecord record) {
            decisions.add("drop " + record.id());
        }

        @Override
        public void post(TaskRecord settled) {
            posted.add(settled);
        }

        /** Runs the keeper's mailbox turns for what has settled so far. */
        void drain(DependencyKeeper keeper) {
            for (TaskRecord record; (record = posted.poll()) != null; ) {
                keeper.finished(record);
            }
        }
    }

    private TaskRecord task(String id, TaskRecord... dependencies) {
        Task.Builder task = Task.builder().id(id).type("t");
        List<String> ids = new ArrayList<>();
        for (TaskRecord dependency : dependencies) {
            ids.add(dependency.id());
        }
        if (!ids.isEmpty()) {
            task.dependencies(ids.toArray(new String[0]));
        }
        return registry.register(task.build(), null,
                dependencies.length == 0 ? null : dependencies, null);
    }

    private static void run(TaskRecord record, Object output) {
        record.assign("w");
        record.start();
        record.complete(output);
    }

    @Test
    void aTaskIsReady_whenItsLastDependencyCompletes() {
        Host host = new Host();
        DependencyKeeper keeper = new DependencyKeeper(host);
        TaskRecord g = task("g");
        TaskRecord h = task("h");
        TaskRecord a = task("a", g, h);

        keeper.hold(a);
        run(g, 1);
        host.drain(keeper);
        assertThat(host.decisions).isEmpty();
        run(h, 2);
        host.drain(keeper);

        assertThat(host.decisions).containsExactly("ready a");
        assertThat(keeper.waiting()).isZero();
    }

    @Test
    void aDependentThatArrivesBeforeItsDependency_waitsForIt_andFailsWhenItIsCancelled() {
        Host host = new Host();
        DependencyKeeper keeper = new DependencyKeeper(host);
        TaskRecord g = task("g");
        TaskRecord a = task("a", g);
        TaskRecord b = task("b", a);

        keeper.hold(b);
        assertThat(keeper.waiting()).isEqualTo(1);
        a.cancel("test");
        keeper.hold(a);
        host.drain(keeper);

        assertThat(host.decisions).containsExactly("drop a", "fail b a");
        assertThat(keeper.waiting()).isZero();
    }

    /**
     * A record drops its dependency records the moment it ends, on the thread that ends it: a
     * task cancelled while it is on its way to the keeper must be dropped, never break the
     * keeper (which once read them twice, and threw between the reads).
     */
    @Test
    void tasksCancelledAsTheyArrive_areEachDecidedOnce_andNothingThrows() throws Exception {
        int rounds = 20_000;
        Host host = new Host();
        DependencyKeeper keeper = new DependencyKeeper(host);
        TaskRecord g = task("g");
        List<TaskRecord> tasks = new ArrayList<>(rounds);
        for (int i = 0; i < rounds; i++) {
            tasks.add(task("a" + i, g));
        }
        // round by round, the cancel and the arrival start together; the cancel a little
        // later each round (seeded), so it lands on every step of the arrival in turn
        AtomicInteger turn = new AtomicInteger(-1);
        AtomicInteger seen = new AtomicInteger(-1);
        AtomicInteger cancelled = new AtomicInteger(-1);
        SplittableRandom random = new SplittableRandom(1402);
        long[] delays = random.longs(rounds, 0, 400).toArray();
        Thread canceller = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (turn.get() < i && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                seen.set(i);
                for (long spin = delays[i]; spin > 0; spin--) {
                    Thread.onSpinWait();
                }
                tasks.get(i).cancel("on its way");
                cancelled.set(i);
            }
        });
        canceller.setDaemon(true);
        canceller.start();
        List<String> thrown = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            turn.set(i);
            awaitValue(seen, i);
            try {
                keeper.hold(tasks.get(i));
            } catch (RuntimeException e) {
                thrown.add(tasks.get(i).id() + ": " + e);
            }
            awaitValue(cancelled, i);
            host.drain(keeper);
        }
        canceller.join(10_000);

        assertThat(thrown).isEmpty();
        assertThat(host.decisions).hasSize(rounds).allMatch(d -> d.startsWith("drop "));
        assertThat(keeper.waiting()).isZero();
    }

    private static void awaitValue(AtomicInteger value, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (value.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the other thread stopped at " + value.get());
            }
            Thread.onSpinWait();
        }
    }
}
