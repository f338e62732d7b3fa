package io.github.hivemesh.mesh;

import io.github.hivemesh.agent.TokenMeter;
import io.github.hivemesh.agent.UnknownAgentException;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.cluster.RemoteEndpoint;
import io.github.hivemesh.completion.CompletionRoot;
import io.github.hivemesh.completion.IDistributedCompletionDetector;
import io.github.hivemesh.internal.AgentMail;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.internal.SwarmKernel;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.task.BroadcastResult;
import io.github.hivemesh.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the kernel asks of the mesh ({@link SwarmKernel.Topology}): holding a submitted task at
 * the root from before anyone can see it, routing it (from the root, or from the delegating
 * peer's mailbox), user messages as basic messages, a session's end handed to its peer, and
 * stopping the peers. Kept apart from {@link MeshCoordinator} so the coordinator's public face
 * is its API only.
 *
 * <p>Called on any thread (the kernel's callers', sessions'); it touches a peer's state only
 * through the peer's mailbox.
 */
final class MeshTopology implements SwarmKernel.Topology {

    private final SwarmKernel kernel;
    private final MeshPeers peers;
    private final MeshRouter router;
    private final CompletionRoot root;
    private final String rootId;
    private final IDistributedCompletionDetector detector;
    private final IMessageBroker broker;
    private final MeshCluster cluster;

    MeshTopology(SwarmKernel kernel, MeshPeers peers, MeshRouter router,
            IDistributedCompletionDetector detector, String rootId) {
        this.kernel = kernel;
        this.cluster = router.cluster();
        this.peers = peers;
        this.router = router;
        this.root = detector.root();
        this.rootId = rootId;
        this.detector = detector;
        this.broker = kernel.broker();
    }

    @Override
    public TaskRecord dependencyElsewhere(String taskId, String dependencyId) {
        return cluster == null ? null : cluster.dependencyElsewhere(taskId, dependencyId);
    }

    @Override
    public void beforeRegister(Task task, boolean delegated) {
        if (!delegated) {
            // held from before anyone can see it until it is sent (or waits at the root);
            // a delegated one is covered by its parent's running session
            root.hold();
        }
    }

    @Override
    public void notRegistered(Task task, boolean delegated) {
        if (!delegated) {
            root.release();
        }
    }

    @Override
    public void route(TaskRecord record, String delegatingAgentId) {
        if (delegatingAgentId == null) {
            if (record.dependencies() == null) {
                router.dispatchFromRoot(record);
            } else {
                broker.sendControl(rootId, rootId, MeshCommand.message(
                        new RootCommand.Submit(record), rootId, rootId));
            }
            return;
        }
        MeshPeer peer = peers.get(delegatingAgentId);
        if (peer == null) {
            throw new IllegalStateException("no live peer '" + delegatingAgentId
                    + "' to delegate '" + record.id() + "' from");
        }
        peer.post(new PeerCommand.Delegate(record));
    }

    @Override
    public CompletableFuture<Void> sendToPeer(String fromAgentId, String root,
            String toAgentId, String type, Object payload) {
        MeshPeer target = peers.get(toAgentId);
        PeerCommand.MailOut out;
        RemoteEndpoint remote = target == null && cluster != null ? cluster.remote(toAgentId)
                : null;
        if (remote != null) {
            CompletableFuture<Void> refused = AgentMail.refusal(kernel.swarmId(), toAgentId,
                    true, cluster.handlesMessages(remote.id()));
            if (refused != null) {
                return refused;
            }
            out = mailOut(fromAgentId, toAgentId, remote.id(), type, payload);
        } else {
            CompletableFuture<Void> refused = AgentMail.refusal(kernel.swarmId(), toAgentId,
                    target != null, target != null
                            && target.definition().messageHandler().isPresent());
            if (refused != null) {
                return refused;
            }
            out = mailOut(fromAgentId, target.id(), target.endpoint(), type, payload);
        }
        return sendMails(fromAgentId, root, List.of(out))
                .thenCompose(result -> result.refused().isEmpty()
                        ? CompletableFuture.<Void>completedFuture(null)
                        : CompletableFuture.<Void>failedFuture(
                                result.refused().get(toAgentId)));
    }

    @Override
    public CompletableFuture<BroadcastResult> broadcast(String fromAgentId, String root,
            String capability, String type, Object payload) {
        List<PeerCommand.MailOut> outgoing = new ArrayList<>();
        for (MeshPeer peer : peers.peers()) {
            if (!peer.id().equals(fromAgentId)
                    && peer.definition().messageHandler().isPresent()
                    && (capability == null || peer.capabilities().contains(capability))) {
                outgoing.add(mailOut(fromAgentId, peer.id(), peer.endpoint(), type, payload));
            }
        }
        if (cluster != null) {
            // every other member's agents too (those without a handler drop it there)
            for (RemoteEndpoint remote : cluster.remotes()) {
                String agentId = MeshPeer.agentIdOf(remote.id());
                if (!agentId.equals(fromAgentId) && cluster.handlesMessages(remote.id())
                        && (capability == null || remote.capabilities().contains(capability))) {
                    outgoing.add(mailOut(fromAgentId, agentId, remote.id(), type, payload));
                }
            }
        }
        return sendMails(fromAgentId, root, outgoing);
    }

    private PeerCommand.MailOut mailOut(String from, String toAgentId, String toEndpoint,
            String type, Object payload) {
        return new PeerCommand.MailOut(toAgentId, toEndpoint, (UserMail) kernel.wire()
                .carry(new UserMail(from, toAgentId, type, payload)));
    }

    /**
     * Sends user messages as basic messages: the application's from the root (its part of
     * the detector is thread-safe), an agent's from its peer's mailbox.
     */
    private CompletableFuture<BroadcastResult> sendMails(String fromAgentId, String workRoot,
            List<PeerCommand.MailOut> outgoing) {
        if (fromAgentId.equals(SwarmKernel.APPLICATION)) {
            return CompletableFuture.completedFuture(router.sendMails(root, rootId,
                    outgoing));
        }
        MeshPeer sender = peers.get(fromAgentId);
        if (sender == null) {
            return CompletableFuture.failedFuture(new UnknownAgentException(fromAgentId,
                    kernel.swarmId()));
        }
        CompletableFuture<BroadcastResult> done = new CompletableFuture<>();
        if (sender.post(new PeerCommand.SendMail(workRoot, outgoing, done))
                .isCompletedExceptionally()) {
            done.completeExceptionally(kernel.refusal("send messages from '" + fromAgentId + "'"));
        }
        return kernel.track(done);
    }

    @Override
    public void recordTokens(String agentId, TaskRecord record,
            Consumer<TokenMeter> report) {
        MeshPeer peer = peers.get(agentId);
        if (peer != null) {
            report.accept(peer.meter());
        }
    }

    @Override
    public void sessionEnded(SessionTask session, boolean onSessionThread) {
        MeshPeer peer = MeshPeer.of(session);
        if (onSessionThread) {
            // the session's thread is about to go idle: let it carry "done" and the
            // completion signals it triggers up the tree, instead of waking a dispatcher
            broker.runInline(() -> peer.sessionEnded(session));
        } else {
            peer.sessionEnded(session);
        }
    }

    @Override
    public IDistributedCompletionDetector detector() {
        return detector;
    }

    @Override
    public void stopAgents() {
        if (cluster != null) {
            cluster.stop(kernel.refusal("finish a task of another member"));
        }
        peers.stopAll();
    }
}
