package io.github.hivemesh.hierarchy;

import io.github.hivemesh.agent.TokenMeter;
import io.github.hivemesh.broker.IMessageBroker;
import io.github.hivemesh.completion.CountingCompletionDetector;
import io.github.hivemesh.internal.AgentMail;
import io.github.hivemesh.internal.SessionTask;
import io.github.hivemesh.internal.SwarmKernel;
import io.github.hivemesh.internal.TaskRecord;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.task.BroadcastResult;
import io.github.hivemesh.task.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the kernel asks of the hierarchy ({@link SwarmKernel.Topology}): counting a task in
 * before anyone can see it, handing it to the queen, user messages as counted work, a
 * session's end reported to its team, and stopping the actors. Kept apart from
 * {@link HierarchicalCoordinator} so the coordinator's public face is its API only.
 *
 * <p>Called on any thread (the kernel's callers', sessions'); it touches actor state only by
 * sending to the actors' mailboxes.
 */
final class HierarchyTopology implements SwarmKernel.Topology {

    private final HiveContext hive;
    private final SwarmKernel kernel;
    private final Roster roster;
    private final CountingCompletionDetector detector;
    private final IMessageBroker broker;
    private final Queen queen;
    private final int queueCapacity;

    HierarchyTopology(HiveContext hive, Queen queen, int queueCapacity) {
        this.hive = hive;
        this.kernel = hive.kernel;
        this.roster = hive.roster;
        this.detector = hive.detector;
        this.broker = hive.kernel.broker();
        this.queen = queen;
        this.queueCapacity = queueCapacity;
    }

    @Override
    public void beforeRegister(Task task, boolean delegated) {
        if (hive.counters.queenHeld.incrementAndGet() > queueCapacity) {
            hive.counters.queenHeld.decrementAndGet();
            throw new QueueFullException(kernel.swarmId(), task.id(), queueCapacity);
        }
        // counted before anything, a dependent included, can see it
        detector.taskCreated();
    }

    @Override
    public void notRegistered(Task task, boolean delegated) {
        hive.counters.queenHeld.decrementAndGet();
        detector.taskEnded();
    }

    @Override
    public void route(TaskRecord record, String delegatingAgentId) {
        // the job leaves the count by itself once its record has settled (see Job)
        Job job = new Job(record, detector);
        record.attach(job);
        if (record.dependencies() == null && !roster.canServe(job.required)) {
            record.fail(roster.noCapableAgent(record));
            queen.drop(job);
        } else if (hive.send(new HiveCommand.Submit(job), queen.endpoint(), queen.endpoint())
                .isCompletedExceptionally()) {
            record.fail(kernel.refusal("submit task '" + record.id() + "'"));
            queen.drop(job);
        }
    }

    @Override
    public CompletableFuture<Void> sendToPeer(String fromAgentId, String root,
            String toAgentId, String type, Object payload) {
        Worker target = roster.worker(toAgentId);
        CompletableFuture<Void> refused = AgentMail.refusal(kernel.swarmId(), toAgentId,
                target != null, target != null
                        && target.definition().messageHandler().isPresent());
        if (refused != null) {
            return refused;
        }
        return sendMail(fromAgentId, target, type, payload);
    }

    @Override
    public CompletableFuture<BroadcastResult> broadcast(String fromAgentId, String root,
            String capability, String type, Object payload) {
        List<String> delivered = new ArrayList<>();
        Map<String, Throwable> refused = new LinkedHashMap<>();
        for (Worker worker : roster.workers()) {
            if (worker.id().equals(fromAgentId)
                    || worker.definition().messageHandler().isEmpty()
                    || (capability != null && !worker.capabilities().contains(capability))) {
                continue;
            }
            CompletableFuture<Void> sent = sendMail(fromAgentId, worker, type, payload);
            if (sent.isCompletedExceptionally()) {
                refused.put(worker.id(), sent.handle((v, e) -> e).join());
            } else {
                delivered.add(worker.id());
            }
        }
        return CompletableFuture.completedFuture(new BroadcastResult(delivered, refused));
    }

    /** A user message is work from before it is sent until its handler has returned. */
    private CompletableFuture<Void> sendMail(String fromAgentId, Worker target, String type,
            Object payload) {
        UserMail mail = (UserMail) kernel.wire().carry(new UserMail(fromAgentId,
                target.id(), type, payload));
        Worker sender = roster.worker(fromAgentId);
        String from = sender == null ? fromAgentId : sender.endpoint;
        detector.taskCreated();
        CompletableFuture<Void> sent = broker.sendToPeer(from, target.endpoint,
                AgentMail.wrap(mail, from, target.endpoint));
        if (sent.isCompletedExceptionally()) {
            detector.taskEnded();
        }
        return sent;
    }

    @Override
    public void recordTokens(String agentId, TaskRecord record,
            Consumer<TokenMeter> report) {
        Worker worker = roster.worker(agentId);
        if (worker != null) {
            report.accept(worker.meter());
        }
    }

    @Override
    public void sessionEnded(SessionTask session, boolean onSessionThread) {
        Job job = (Job) session.record().attachment();
        if (job.session == session) {
            // its session's part has ended: the task leaves the count here (its record has
            // settled), so detecting the end of the work does not wait for a team lead
            job.sessionEnded();
        }
        Worker worker = (Worker) session.owner();
        Runnable done = () -> hive.send(new HiveCommand.SessionDone(session),
                worker.endpoint, worker.team.endpoint);
        if (onSessionThread) {
            // the session's thread is about to go idle: let it do the team's bookkeeping
            broker.runInline(done);
        } else {
            done.run();
        }
    }

    @Override
    public CountingCompletionDetector detector() {
        return detector;
    }

    @Override
    public void stopAgents() {
        // every agent is terminated before any spawn or removal is failed: whoever a failed
        // spawn wakes finds none of the swarm's agents live any more
        for (Worker worker : roster.workers()) {
            worker.stateMachine().terminate();
        }
        for (Worker worker : roster.workers()) {
            worker.joined.completeExceptionally(kernel.refusal("spawn agent '" + worker.id()
                    + "'"));
            worker.left.completeExceptionally(kernel.refusal("remove agent '" + worker.id()
                    + "'"));
        }
        broker.removePeer(queen.endpoint());
        for (TeamLead team : roster.teams()) {
            broker.removePeer(team.endpoint);
        }
    }
}
