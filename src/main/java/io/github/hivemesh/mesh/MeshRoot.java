package io.github.hivemesh.mesh;

import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.completion.CompletionProbe;
import io.github.hivemesh.completion.CompletionRoot;
import io.github.hivemesh.internal.DependencyKeeper;
import io.github.hivemesh.internal.TaskRegistry;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.wire.Assign;
import io.github.hivemesh.internal.wire.Returned;
import io.github.hivemesh.internal.wire.Signal;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

    private final String rootId;
    private final CompletionRoot completion;
    private final MeshRouter router;
    private final IMessageBroker broker;
    private final TaskRegistry registry;
    private final DependencyKeeper dependencies = new DependencyKeeper(this);

    MeshRoot(String rootId, CompletionRoot completion, MeshRouter router, IMessageBroker broker,
            TaskRegistry registry) {
        this.rootId = rootId;
        this.completion = completion;
        this.router = router;
        this.broker = broker;
        this.registry = registry;
    }

    /** The broker handler of R's endpoint. */
    void onMessage(Message message) {
        Object payload = message.payload();
        if (payload instanceof Signal signal) {
            for (long messageId : signal.messageIds()) {
                completion.onSignal(new CompletionProbe(messageId, signal.sender(),
                        signal.recipient(), CompletionProbe.Type.ACKNOWLEDGMENT, signal.epoch()));
            }
        } else if (payload instanceof Returned returned) {
            if (returned.message() instanceof Assign assign) {
                TaskRecord record = registry.current(assign.taskId(), assign.serial(),
                        assign.attempt());
                router.returnedFrom(message.senderId(), record);
                router.returnedToRoot(record, returned.messageId());
            } else {
                LOG.warn("an application message was dropped: its recipient left before it "
                        + "was delivered ({})", returned.message());
                completion.onSendFailed(returned.messageId());
            }
        } else if (payload instanceof RootCommand.Submit submit) {
            admit(submit.record());
        } else if (payload instanceof RootCommand.Resolved resolved) {
            admitResolved(resolved.record(), resolved.lookups());
        } else if (payload instanceof RootCommand.Finished finished) {
            dependencies.finished(finished.record());
        } else if (payload instanceof RootCommand.Retry) {
            router.retryBacklog();
        } else {
            LOG.warn("root '{}' ignored a message it does not understand: {}", rootId,
                    message.type());
        }
    }

    /**
     * A task with dependencies enters the keeper — once the lookups of the ones another member
     * holds have resolved ({@link RemoteDependencies}).
     */
    private void admit(TaskRecord record) {
        TaskRecord[] named = record.dependencies();
        List<CompletableFuture<Void>> lookups = named == null ? List.of()
                : RemoteDependencies.lookups(named);
        if (lookups.isEmpty()) {
            dependencies.hold(record);
            return;
        }
        CompletableFuture.allOf(lookups.toArray(new CompletableFuture<?>[0]))
                .whenComplete((done, failure) -> broker.sendControl(rootId, rootId,
                        MeshCommand.message(new RootCommand.Resolved(record, lookups), rootId,
                                rootId)));
    }

    private void admitResolved(TaskRecord record, List<CompletableFuture<Void>> lookups) {
        for (CompletableFuture<Void> lookup : lookups) {
            if (lookup.isCompletedExceptionally()) {
                RuntimeException cause;
                try {
                    lookup.join();
                    continue;
                } catch (CompletionException e) {
                    cause = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException(e.getCause());
                } catch (CancellationException e) {
                    cause = e;
                }
                fail(record, cause);
                return;
            }
        }
        dependencies.hold(record);
    }

    // ---- DependencyKeeper.Host: R's mailbox, but post ---------------------------------------

    @Override
    public void ready(TaskRecord record) {
        router.dispatchFromRoot(record);
    }

    @Override
    public void fail(TaskRecord record, RuntimeException cause) {
        record.fail(cause);
        router.releaseWhenSettled(record);
    }

    @Override
    public void drop(TaskRecord record) {
        router.releaseWhenSettled(record);
    }

    @Override
    public void post(TaskRecord settled) {
        broker.sendControl(rootId, rootId, MeshCommand.message(
                new RootCommand.Finished(settled), rootId, rootId));
    }
}
