package io.github.hivemesh.internal;

import io.github.hivemesh.agent.AgentBusyException;
import io.github.hivemesh.agent.AgentSession;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.AgentStateMachine;
import io.github.hivemesh.agent.IdlePausePolicy;
import io.github.hivemesh.agent.IllegalStateTransitionException;
import io.github.hivemesh.agent.TokenMeter;
import io.github.hivemesh.artifact.ArtifactKeys;
import io.github.hivemesh.artifact.ArtifactStorage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's busy / idle / paused cycle, for the coordinators' agent actors: the state machine,
 * the session's pause hooks, checkpoints, token accounting, and what the idle pausing policy
 * learns.
 *
 * <h2>Protocol</h2>
 * Every method but the views runs in the owning agent's mailbox. Hooks the session overrides
 * ({@code onPause}, {@code checkpoint}, {@code onResume}) may block, so they run on the worker
 * executor and their end comes back to the mailbox through {@code post}; hooks the session
 * does not override are skipped outright, so pausing and resuming a plain session costs one
 * mailbox turn. While a pause is under way the agent counts as paused: work that arrives
 * waits, and resumes it as soon as the pause has finished.
 *
 * <p>Not thread-safe except for {@link #pauseDue} and {@link #idleEpoch}, which a sweeper reads.
 */
public final class PauseCycle {

    private static final Logger LOG = LoggerFactory.getLogger(PauseCycle.class);

    private final String agentId;
    private final String swarmId;
    private final AgentSession session;
    private final AgentStateMachine state;
    private final TokenMeter meter;
    private final Clock clock;
    private final Executor worker;
    private final Consumer<Runnable> post;
    private final IdlePausePolicy policy;
    private final ArtifactStorage checkpoints;
    private final boolean customPause;
    private final boolean customResume;
    private final boolean customCheckpoint;

    private boolean transitioning;
    private boolean resumeWanted;
    private String lastCheckpointId;
    private long checkpointCount;
    private long idleSinceMillis;
    private final List<Runnable> afterResume = new ArrayList<>();
    private final List<CompletableFuture<Void>> resumeWaiters = new ArrayList<>();
    private volatile long pauseDueMillis = Long.MAX_VALUE;
    private volatile long idleEpoch;

    /**
     * A cycle for one agent, starting idle.
     *
     * @param checkpoints where checkpoints go, or null when checkpoints are off
     * @param post        runs a continuation in the agent's mailbox
     */
    public PauseCycle(String agentId, String swarmId, AgentSession session, AgentStateMachine state,
            TokenMeter meter, Clock clock, Executor worker, Consumer<Runnable> post,
            IdlePausePolicy policy, ArtifactStorage checkpoints) {
        this.agentId = agentId;
        this.swarmId = swarmId;
        this.session = session;
        this.state = state;
        this.meter = meter;
        this.clock = clock;
        this.worker = worker;
        this.post = post;
        this.policy = policy;
        this.checkpoints = checkpoints;
        this.customPause = overrides(session, "onPause");
        this.customResume = overrides(session, "onResume", String.class)
                || overrides(session, "onResume", String.class, byte[].class);
        this.customCheckpoint = checkpoints != null && overrides(session, "checkpoint");
    }

    /** Whether the agent may start tasks now (not paused, not pausing, not resuming). */
    public boolean isRunnable() {
        return !transitioning && state.state() != AgentState.PAUSED;
    }

    /** Whether a pause or a resume is under way (its hooks are running). */
    public boolean isTransitioning() {
        return transitioning;
    }

    /** The agent has started work: idle (or paused) time ends here. */
    public void becameBusy() {
        if (state.transition(AgentState.IDLE, AgentState.BUSY)) {
            pauseDueMillis = Long.MAX_VALUE;
            idleEpoch++;
            meter.enter(TokenMeter.Phase.BUSY);
        }
    }

    /** The agent has no work left: idle time starts, and the policy says when to pause. */
    public void becameIdle() {
        if (state.transition(AgentState.BUSY, AgentState.IDLE)) {
            meter.enter(TokenMeter.Phase.IDLE);
            startIdle();
        }
    }

    /**
     * The agent was just registered and is idle.
     *
     * @return false if it was terminated first (the swarm stopped, or the agent was removed,
     *         while its start was on its way): it must not take work
     */
    public boolean started() {
        if (!state.transition(AgentState.INITIALIZING, AgentState.IDLE)) {
            return false;
        }
        startIdle();
        return true;
    }

    private void startIdle() {
        idleSinceMillis = clock.millis();
        Optional<Duration> after = policy.pauseAfter(agentId);
        pauseDueMillis = after.map(d -> idleSinceMillis + Math.max(0, d.toMillis()))
                .orElse(Long.MAX_VALUE);
    }

    /** When the idle pausing policy wants this agent paused (epoch millis; MAX: never). */
    public long pauseDue() {
        return pauseDueMillis;
    }

    /** Counts idle periods, so an auto-pause decided for an older one is ignored. */
    public long idleEpoch() {
        return idleEpoch;
    }

    /** The sweeper found the agent idle past its due time in {@code epoch}. Mailbox. */
    public void autoPause(long epoch, int running, int queued) {
        if (epoch == idleEpoch && state.state() == AgentState.IDLE && !transitioning
                && running == 0 && queued == 0) {
            pause(running, queued, new CompletableFuture<>());
        }
    }

    /**
     * Pauses the agent if it is idle and holds nothing. Mailbox.
     *
     * @param done completed with the checkpoint id, or failed with why it was refused
     */
    public void pause(int running, int queued, CompletableFuture<String> done) {
        if (running > 0 || queued > 0) {
            done.completeExceptionally(new AgentBusyException(agentId, running, queued));
            return;
        }
        // compare-and-set: the swarm may be stopping on another thread, terminating the agent
        if (transitioning || !state.transition(AgentState.IDLE, AgentState.PAUSED)) {
            done.completeExceptionally(new IllegalStateTransitionException(agentId,
                    transitioning ? AgentState.PAUSED : state.state(), AgentState.PAUSED));
            return;
        }
        pauseDueMillis = Long.MAX_VALUE;
        transitioning = true;
        runHooks(customPause || customCheckpoint, this::pauseHooks, (checkpointId, failure) -> {
            transitioning = false;
            if (failure != null) {
                LOG.warn("agent '{}' failed to pause; it stays active", agentId, failure);
                boolean active = state.transition(AgentState.PAUSED, AgentState.IDLE);
                done.completeExceptionally(failure);
                // already active: what waited for a resume has it, without a second one
                resumeWanted = false;
                resumed(active ? null : notResumable());
                return;
            }
            meter.enter(TokenMeter.Phase.PAUSED);
            if (checkpointId != null) {
                lastCheckpointId = checkpointId;
            }
            done.complete(checkpointId);
            if (resumeWanted || !afterResume.isEmpty()) {
                resumeWanted = false;
                resumeNow(lastCheckpointId);
            }
        });
    }

    private String pauseHooks() throws Exception {
        String checkpointId = null;
        if (checkpoints != null) {
            byte[] state = session.checkpoint();
            if (state != null) {
                checkpointId = ArtifactKeys.key("checkpoints", ArtifactKeys.segment(swarmId),
                        ArtifactKeys.segment(agentId), Long.toString(++checkpointCount));
                checkpoints.store(checkpointId, state);
            }
        }
        session.onPause();
        return checkpointId;
    }

    /**
     * Resumes a paused agent on request. Mailbox.
     *
     * @param done completed once it is idle again, or failed if it was not paused
     */
    public void resume(String checkpointId, CompletableFuture<Void> done) {
        if (state.state() != AgentState.PAUSED) {
            done.completeExceptionally(new IllegalStateTransitionException(agentId,
                    state.state(), AgentState.IDLE));
            return;
        }
        resumeWaiters.add(done);
        if (transitioning) {
            resumeWanted = true;
        } else {
            resumeNow(checkpointId != null ? checkpointId : lastCheckpointId);
        }
    }

    /**
     * Work has arrived: runs {@code then} at once if the agent may work, otherwise after it
     * has resumed. Mailbox.
     */
    public void whenRunnable(Runnable then) {
        if (isRunnable()) {
            then.run();
            return;
        }
        afterResume.add(then);
        if (!transitioning && state.state() == AgentState.PAUSED) {
            resumeNow(lastCheckpointId);
        }
    }

    private void resumeNow(String checkpointId) {
        transitioning = true;
        runHooks(customResume, () -> {
            session.onResume(checkpointId, checkpointId == null || checkpoints == null ? null
                    : checkpoints.retrieve(checkpointId).orElse(null));
            return null;
        }, (ignored, failure) -> {
            transitioning = false;
            if (failure != null) {
                LOG.warn("agent '{}' failed to resume from {}; it takes work anyway", agentId,
                        checkpointId, failure);
            }
            if (!state.transition(AgentState.PAUSED, AgentState.IDLE)) {
                // terminated meanwhile (the swarm is stopping): nothing to resume into
                resumed(failure != null ? failure : notResumable());
                return;
            }
            meter.enter(TokenMeter.Phase.IDLE);
            policy.onGapEnded(agentId, Duration.ofMillis(clock.millis() - idleSinceMillis));
            startIdle();
            resumed(failure);
        });
    }

    private IllegalStateTransitionException notResumable() {
        return new IllegalStateTransitionException(agentId, state.state(), AgentState.IDLE);
    }

    /** The agent is active again: settles the resume waiters and runs the work that waited. */
    private void resumed(Throwable failure) {
        List<CompletableFuture<Void>> waiters = new ArrayList<>(resumeWaiters);
        resumeWaiters.clear();
        for (CompletableFuture<Void> waiter : waiters) {
            if (failure == null) {
                waiter.complete(null);
            } else {
                waiter.completeExceptionally(failure);
            }
        }
        List<Runnable> continuations = new ArrayList<>(afterResume);
        afterResume.clear();
        continuations.forEach(Runnable::run);
    }

    /** An idle period ended with work: teaches the policy (call before {@link #becameBusy}). */
    public void workArrived() {
        if (state.state() == AgentState.IDLE) {
            policy.onGapEnded(agentId, Duration.ofMillis(clock.millis() - idleSinceMillis));
        }
    }

    /** The agent is leaving: fails what waits for a resume. Mailbox. */
    public void terminate(RuntimeException reason) {
        resumeWaiters.forEach(waiter -> waiter.completeExceptionally(reason));
        resumeWaiters.clear();
        pauseDueMillis = Long.MAX_VALUE;
    }

    /** A hook, possibly blocking user code. */
    @FunctionalInterface
    private interface Hook {
        String run() throws Exception;
    }

    /** The end of a hook, back in the mailbox. */
    @FunctionalInterface
    private interface HookEnd {
        void accept(String result, Throwable failure);
    }

    /** Runs hooks on the worker when the session has any, else at once in the mailbox. */
    private void runHooks(boolean onWorker, Hook hook, HookEnd end) {
        if (!onWorker) {
            String result = null;
            Throwable failure = null;
            try {
                result = hook.run();
            } catch (Throwable e) {
                // an Error from a hook must not escape into the agent's mailbox turn
                failure = e;
            }
            end.accept(result, failure);
            return;
        }
        try {
            worker.execute(() -> {
                String result = null;
                Throwable failure = null;
                try {
                    result = hook.run();
                } catch (Throwable e) {
                    failure = e;
                }
                String r = result;
                Throwable f = failure;
                post.accept(() -> end.accept(r, f));
            });
        } catch (RejectedExecutionException e) {
            end.accept(null, e);
        }
    }

    private static boolean overrides(AgentSession session, String method, Class<?>... params) {
        try {
            return session.getClass().getMethod(method, params).getDeclaringClass()
                    != AgentSession.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }
}
