package io.github.hivemesh.mesh;

import io.github.hivemesh.broker.Message;
import io.github.hivemesh.completion.CompletionProbe;
import io.github.hivemesh.completion.CompletionRoot;
import io.github.hivemesh.completion.IDistributedCompletionDetector;
import io.github.hivemesh.internal.DependencyKeeper;
import io.github.hivemesh.internal.TaskRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's root endpoint R: Dijkstra–Scholten's virtual root, and where tasks wait for their
 * dependencies.
 *
 * <p>A task without dependencies never passes here: it is placed and sent straight from the
 * submitting thread (R's part of the detector is thread-safe). A task with dependencies is held
 * at R ({@link CompletionRoot#hold()}) from before it is registered (a delegated one from its
 * peer's mailbox) and handed to R's mailbox, where the {@link DependencyKeeper} — the same one
 * the hierarchy's queen uses — decides when it is ready; it is sent when its last dependency
 * completes, and fails when one fails. While any such task waits, R holds it, so the swarm
 * cannot look quiescent; a held task that ends is let go only once its record has settled.
 *
 * <p>Everything here runs in R's mailbox, except the keeper's watch callbacks, which only post
 * to it.
 */
final class MeshRoot implements DependencyKeeper.Host {

    private static final Logger LOG = LoggerFactory.getLogger(MeshRoot.class);

    private final MeshCoordinator mesh;
    private final CompletionRoot completion;
    private final DependencyKeeper dependencies = new DependencyKeeper(this);

    MeshRoot(MeshCoordinator mesh, CompletionRoot completion) {
        this.mesh = mesh;
        this.completion = completion;
    }

    /** The broker handler of R's endpoint. */
    void onMessage(Message message) {
        switch (message.type()) {
            case IDistributedCompletionDetector.SIGNAL_MESSAGE_TYPE ->
                    completion.onSignal((CompletionProbe) message.payload());
            case MeshMessages.SUBMIT -> dependencies.hold((TaskRecord) message.payload());
            case MeshMessages.FINISHED -> dependencies.finished((TaskRecord) message.payload());
            case MeshMessages.RETRY -> mesh.router().retryBacklog();
            case MeshMessages.BOUNCE -> {
                MeshMessages.Bounce bounce = (MeshMessages.Bounce) message.payload();
                mesh.router().bounced(bounce.record(), bounce.messageId());
            }
            default -> LOG.warn("root of swarm '{}' ignored a message of unknown type '{}'",
                    mesh.swarmId(), message.type());
        }
    }

    // ---- DependencyKeeper.Host: R's mailbox, but post ---------------------------------------

    @Override
    public void ready(TaskRecord record) {
        mesh.router().dispatchFromRoot(record);
    }

    @Override
    public void fail(TaskRecord record, RuntimeException cause) {
        record.fail(cause);
        mesh.router().releaseWhenSettled(record);
    }

    @Override
    public void drop(TaskRecord record) {
        mesh.router().releaseWhenSettled(record);
    }

    @Override
    public void post(TaskRecord settled) {
        String rootId = mesh.rootId();
        mesh.broker().sendControl(rootId, rootId, Message.of(MeshMessages.FINISHED, settled,
                rootId, rootId));
    }
}
