package io.github.hivemesh.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Baseline: Apache Pekko typed actors — one actor per recipient in one actor system with the
 * default configuration (fork-join dispatcher, unbounded mailboxes), a message sent with
 * {@code tell}. The closest peer to the broker's design: serial mailboxes drained on a shared
 * pool, no thread per recipient.
 */
final class PekkoTransport extends HandoffTransport {

    private final ActorSystem<Void> system;
    private final List<ActorRef<Integer>> actors = new ArrayList<>();
    private final Integer[] boxed = new Integer[MAX_SENDERS];

    PekkoTransport(int recipients) {
        super(recipients);
        for (int s = 0; s < MAX_SENDERS; s++) {
            boxed[s] = s;
        }
        system = ActorSystem.create(Behaviors.empty(), "handoff");
        for (int r = 0; r < recipients; r++) {
            actors.add(system.systemActorOf(recipient(r), "recipient-" + r, Props.empty()));
        }
    }

    private Behavior<Integer> recipient(int index) {
        return Behaviors.receiveMessage(sender -> {
            onReceive(index, sender);
            return Behaviors.same();
        });
    }

    @Override
    void send(int sender, int recipient) {
        actors.get(recipient).tell(boxed[sender]);
    }

    @Override
    public void close() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }
}
