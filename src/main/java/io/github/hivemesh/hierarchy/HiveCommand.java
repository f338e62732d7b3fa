package io.github.hivemesh.hierarchy;

import io.github.hivemesh.broker.Message;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.internal.TaskRecord;
import java.util.concurrent.CompletableFuture;

/**
 * What the queen and the team leads are told from inside their own JVM: by the coordinator,
 * the sessions and the query controller. These hold references and futures, so they never
 * leave the JVM; what the queen and the teams send each other is a
 * {@link io.github.hivemesh.internal.wire.WireMessage}.
 */
sealed interface HiveCommand {

    /** The broker message type it travels under (counted by the broker). */
    String type();

    /** The message carrying {@code command} from {@code from} to {@code to}. */
    static Message message(HiveCommand command, String from, String to) {
        return Message.of(command.type(), command, from, to);
    }

    /** A task accepted by the swarm, for the queen. */
    record Submit(Job job) implements HiveCommand {
        @Override
        public String type() {
            return "hierarchy.submit";
        }
    }

    /** A task the queen's dependency keeper watches has settled. */
    record Finished(TaskRecord record) implements HiveCommand {
        @Override
        public String type() {
            return "hierarchy.finished";
        }
    }

    /** A worker joins its team. */
    record Join(Worker worker) implements HiveCommand {
        @Override
        public String type() {
            return "hierarchy.join";
        }
    }

    /** A worker leaves its team. */
    record Leave(Worker worker) implements HiveCommand {
        @Override
        public String type() {
            return "hierarchy.leave";
        }
    }

    /** A session has ended and its record settled, for its team. */
    record SessionDone(SessionTask session) implements HiveCommand {
        @Override
        public String type() {
            return "hierarchy.done";
        }
    }

    /** Run a continuation (of a pause hook) in a team lead's mailbox. */
    record Run(Runnable action) implements HiveCommand {
        @Override
        public String type() {
            return "hierarchy.run";
        }
    }

    /** Pause a worker; {@code done} gets the checkpoint id. */
    record Pause(Worker worker, CompletableFuture<String> done) implements HiveCommand {
        @Override
        public String type() {
            return "hierarchy.pause";
        }
    }

    /** Resume a worker. */
    record Resume(Worker worker, String checkpointId, CompletableFuture<Void> done)
            implements HiveCommand {
        @Override
        public String type() {
            return "hierarchy.resume";
        }
    }

    /** The idle sweeper found a worker idle past due in idle period {@code epoch}. */
    record AutoPause(Worker worker, long epoch) implements HiveCommand {
        @Override
        public String type() {
            return "hierarchy.auto-pause";
        }
    }
}
