package io.github.hivemesh.mesh;

import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.task.BroadcastResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a mesh peer is told from inside its own JVM: by its sessions, its timers, the query
 * controller and the balancer. These may hold futures and references, so they never leave the
 * JVM; what peers send each other is a {@link io.github.hivemesh.internal.wire.WireMessage}.
 */
sealed interface PeerCommand extends MeshCommand {

    /** A session delegated a subtask: place and send it. */
    record Delegate(TaskRecord subtask) implements PeerCommand {
        @Override
        public String type() {
            return "mesh.delegate";
        }
    }

    /** A session has ended and its record settled. */
    record SessionDone(SessionTask session) implements PeerCommand {
        @Override
        public String type() {
            return "mesh.done";
        }
    }

    /**
     * A task the peer dropped (it had ended) has settled; it was work of {@code root} (null:
     * the coordinator's own, see {@code TaskRecord.root()}).
     */
    record Settled(String root) implements PeerCommand {
        static final Settled INSTANCE = new Settled(null);

        static Settled of(String root) {
            return root == null ? INSTANCE : new Settled(root);
        }

        @Override
        public String type() {
            return "mesh.settled";
        }
    }

    /** Resend what the broker refused for mailbox space. */
    record Retry() implements PeerCommand {
        static final Retry INSTANCE = new Retry();

        @Override
        public String type() {
            return "mesh.retry";
        }
    }

    /** Publish the peer's state now. */
    record PublishState() implements PeerCommand {
        static final PublishState INSTANCE = new PublishState();

        @Override
        public String type() {
            return "mesh.publish-state";
        }
    }

    /** Move one queued, unstarted task to another peer; answered through {@code moved}. */
    record Migrate(String taskId, String toEndpoint, CompletableFuture<Boolean> moved)
            implements PeerCommand {
        @Override
        public String type() {
            return "mesh.migrate";
        }
    }

    /** Leave the swarm; {@code left} completes once the peer has left. */
    record Leave(CompletableFuture<Void> left) implements PeerCommand {
        @Override
        public String type() {
            return "mesh.leave";
        }
    }

    /** Pause the agent if idle; {@code done} gets the checkpoint id. */
    record Pause(CompletableFuture<String> done) implements PeerCommand {
        @Override
        public String type() {
            return "mesh.pause";
        }
    }

    /** Resume the agent. */
    record Resume(String checkpointId, CompletableFuture<Void> done) implements PeerCommand {
        @Override
        public String type() {
            return "mesh.resume";
        }
    }

    /** The idle sweeper found the agent idle past due in idle period {@code epoch}. */
    record AutoPause(long epoch) implements PeerCommand {
        @Override
        public String type() {
            return "mesh.auto-pause";
        }
    }

    /** One user message to one agent's endpoint. */
    record MailOut(String agentId, String endpoint, UserMail mail) {
    }

    /**
     * A session or a handler of this peer sends user messages: each a basic message from this
     * peer; {@code done} gets which were accepted.
     */
    record SendMail(String root, List<MailOut> outgoing,
            CompletableFuture<BroadcastResult> done) implements PeerCommand {
        @Override
        public String type() {
            return "mesh.send-mail";
        }
    }

    /** This peer's message handler has returned from one message, work of {@code root}. */
    record MailHandled(String root) implements PeerCommand {
        static final MailHandled INSTANCE = new MailHandled(null);

        static MailHandled of(String root) {
            return root == null ? INSTANCE : new MailHandled(root);
        }

        @Override
        public String type() {
            return "mesh.mail-handled";
        }
    }

    /**
     * Tasks are queued behind busy slots somewhere (the coordinator's word, from this JVM; a
     * peer's comes as a {@link io.github.hivemesh.internal.wire.PeerStealChance}): a peer with
     * room may steal.
     */
    record StealChance() implements PeerCommand {
        static final StealChance INSTANCE = new StealChance();

        @Override
        public String type() {
            return "mesh.steal-chance";
        }
    }

    /** Run a continuation (of a pause hook) in the peer's mailbox. */
    record Run(Runnable action) implements PeerCommand {
        @Override
        public String type() {
            return "mesh.run";
        }
    }
}
