package io.github.hivemesh.mesh;

import java.util.concurrent.CompletableFuture;

/**
 * The message types a mesh's peers and root exchange, besides discovery
 * ({@code discovery.*}) and completion signals ({@code completion.signal}).
 */
final class MeshMessages {

    /** A basic message: a task assignment (user traffic; payload: the task's record). */
    static final String TASK = "mesh.task";
    /** A session delegating a subtask, posted to its own peer (payload: the subtask's record). */
    static final String DELEGATE = "mesh.delegate";
    /** A session has ended, posted to its own peer (payload: the session task). */
    static final String DONE = "mesh.done";
    /** A task for the root: it has dependencies (payload: record). */
    static final String SUBMIT = "mesh.submit";
    /** A task the root watches for its dependents has ended (payload: record). */
    static final String FINISHED = "mesh.finished";
    /** Retry sends that were refused for mailbox space (no payload). */
    static final String RETRY = "mesh.retry";
    /** Move one queued, unstarted task to another peer (payload: {@link Migration}). */
    static final String MIGRATE = "mesh.migrate";
    /** Leave the swarm (payload: the future completed once the peer has left). */
    static final String LEAVE = "mesh.leave";
    /** Pause the agent if idle (payload: the future of the checkpoint id). */
    static final String PAUSE = "mesh.pause";
    /** Resume the agent (payload: {@link Resume}). */
    static final String RESUME = "mesh.resume";
    /** The idle sweeper found the agent idle past due (payload: the idle epoch). */
    static final String AUTO_PAUSE = "mesh.auto-pause";
    /** Run a continuation in the peer's mailbox (payload: a {@link Runnable}). */
    static final String RUN = "mesh.run";
    /** Publish the peer's state now (no payload). */
    static final String PUBLISH_STATE = "mesh.publish-state";
    /** A task the peer dropped (it had ended) has settled (no payload). */
    static final String SETTLED = "mesh.settled";
    /**
     * A task sent to a peer that had gone, returned to its sender (payload: {@link Bounce}); the
     * sender places it again and withdraws the basic message.
     */
    static final String BOUNCE = "mesh.bounce";

    private MeshMessages() {
    }

    /** A request to move a task, answered through {@code moved}. */
    record Migration(String taskId, String toPeerId, CompletableFuture<Boolean> moved) {
    }

    /** A resume request. */
    record Resume(String checkpointId, CompletableFuture<Void> done) {
    }

    /** A returned task and the id of the basic message that carried it. */
    record Bounce(io.github.hivemesh.internal.TaskRecord record, long messageId) {
    }

}
