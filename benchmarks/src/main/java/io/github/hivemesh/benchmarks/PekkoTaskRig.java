package io.github.hivemesh.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Baseline for {@link TaskThroughputBenchmark}: the task job done with Apache Pekko typed
 * actors in one actor system with the default configuration (fork-join dispatcher, unbounded
 * mailboxes). A batch of N tasks is routed round-robin to the workers; each worker runs the
 * trivial task and replies to a counting actor, which completes the batch's future when its
 * count reaches zero — submission, routing, a reply per task and an exact count, without
 * placement by load, capabilities or a separate session thread.
 */
final class PekkoTaskRig implements AutoCloseable {

    /** What the counting actor receives. */
    sealed interface CounterCommand permits Expect, Done {
    }

    /** Count down from {@code count}, then complete {@code done}. */
    record Expect(int count, CompletableFuture<Void> done) implements CounterCommand {
    }

    /** One task's reply. */
    record Done(int task) implements CounterCommand {
    }

    /** One task for a worker. */
    record Work(int task, ActorRef<CounterCommand> replyTo) {
    }

    private final ActorSystem<Void> system;
    private final List<ActorRef<Work>> workers = new ArrayList<>();
    private final ActorRef<CounterCommand> counter;

    PekkoTaskRig(int workerCount) {
        system = ActorSystem.create(Behaviors.empty(), "tasks");
        for (int w = 0; w < workerCount; w++) {
            workers.add(system.systemActorOf(worker(), "worker-" + w, Props.empty()));
        }
        counter = system.systemActorOf(counter(), "counter", Props.empty());
    }

    private static Behavior<Work> worker() {
        return Behaviors.receiveMessage(work -> {
            Object result = trivialTask();
            work.replyTo().tell(new Done(result == null ? work.task() : -1));
            return Behaviors.same();
        });
    }

    private static Object trivialTask() {
        return null;
    }

    private static Behavior<CounterCommand> counter() {
        return Behaviors.setup(context -> new Object() {
            int remaining;
            CompletableFuture<Void> done;

            Behavior<CounterCommand> behavior() {
                return Behaviors.receiveMessage(command -> {
                    if (command instanceof Expect expect) {
                        remaining = expect.count();
                        done = expect.done();
                    } else if (--remaining == 0) {
                        done.complete(null);
                    }
                    return Behaviors.same();
                });
            }
        }.behavior());
    }

    /**
     * Routes {@code tasks} tasks round-robin to the workers and waits until every reply has been
     * counted. The Expect is told first, from this thread, so it is in the counter's mailbox
     * before any reply can be.
     */
    void runBatch(int tasks) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        counter.tell(new Expect(tasks, done));
        int n = workers.size();
        for (int i = 0; i < tasks; i++) {
            workers.get(i % n).tell(new Work(i, counter));
        }
        done.join();
    }

    @Override
    public void close() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }
}
