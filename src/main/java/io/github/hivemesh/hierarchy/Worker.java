package io.github.hivemesh.hierarchy;

import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.AgentStateMachine;
import io.github.hivemesh.agent.TokenMeter;
import io.github.hivemesh.internal.ControllableAgent;
import io.github.hivemesh.internal.PauseCycle;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One agent of a hierarchy: its definition, its slots and the team lead that owns it. Its
 * running count and leaving flag belong to the team lead's mailbox; other threads read the
 * published counters and the state machine.
 */
final class Worker implements AgentHandle, ControllableAgent {

    private final AgentDefinition definition;
    private final Set<String> capabilities;
    private final AgentStateMachine state;
    final TeamLead team;
    final int slots;
    /** Where its application messages go: this incarnation's own endpoint ({@code id@n}). */
    final String endpoint;
    /** Completes once the worker is routable. */
    final CompletableFuture<AgentHandle> joined = new CompletableFuture<>();
    /** Completes once the worker has left, its last task ended. */
    final CompletableFuture<Void> left = new CompletableFuture<>();

    // team lead's mailbox
    int running;
    boolean leaving;

    private volatile long executed;
    private final TokenMeter meter;
    private final HiveContext hive;
    /** Busy / idle / paused, its pause hooks and token account; team lead's mailbox. */
    final PauseCycle cycle;

    Worker(AgentDefinition definition, TeamLead team, int slots, String endpoint,
            HiveContext hive) {
        this.definition = definition;
        this.endpoint = endpoint;
        this.capabilities = definition.capabilities();
        this.team = team;
        this.slots = slots;
        this.state = new AgentStateMachine(definition.id(), hive.kernel.runtime().clock());
        this.meter = new TokenMeter(hive.kernel.runtime().clock());
        this.hive = hive;
        this.cycle = new PauseCycle(definition.id(), hive.swarmId(), definition.session(), state,
                meter, hive.kernel.runtime().clock(), hive.kernel.runtime().worker(),
                action -> hive.send(new HiveCommand.Run(action), endpoint, team.endpoint),
                hive.pausePolicy, hive.checkpoints);
    }

    @Override
    public String id() {
        return definition.id();
    }

    @Override
    public Set<String> capabilities() {
        return capabilities;
    }

    @Override
    public AgentState state() {
        return state.state();
    }

    AgentDefinition definition() {
        return definition;
    }

    AgentStateMachine stateMachine() {
        return state;
    }

    /** Whether this worker has every capability of {@code required}. */
    boolean canRun(Set<String> required) {
        return capabilities.containsAll(required);
    }

    /** A task started on it (or waits for it to resume). Team lead's mailbox. */
    void started() {
        if (++running == 1) {
            cycle.workArrived();
            cycle.becameBusy();
        }
    }

    /** A task of it ended. Team lead's mailbox. */
    void finished() {
        executed++;
        if (--running == 0) {
            cycle.becameIdle();
        }
    }

    @Override
    public TokenMeter meter() {
        return meter;
    }

    @Override
    public PauseCycle cycle() {
        return cycle;
    }

    @Override
    public CompletableFuture<String> requestPause() {
        CompletableFuture<String> done = hive.kernel.track(new CompletableFuture<>());
        ask(new HiveCommand.Pause(this, done), done);
        return done;
    }

    @Override
    public CompletableFuture<Void> requestResume(String checkpointId) {
        CompletableFuture<Void> done = hive.kernel.track(new CompletableFuture<>());
        ask(new HiveCommand.Resume(this, checkpointId, done), done);
        return done;
    }

    @Override
    public void requestAutoPause(long epoch) {
        hive.send(new HiveCommand.AutoPause(this, epoch), endpoint, team.endpoint);
    }

    /** Asks this worker's team lead; a refused send fails {@code done}. */
    private void ask(HiveCommand request, CompletableFuture<?> done) {
        if (hive.send(request, endpoint, team.endpoint).isCompletedExceptionally()) {
            done.completeExceptionally(hive.kernel.refusal("pause or resume agent '" + id()
                    + "'"));
        }
    }

    /** Tasks it has run to their end. */
    long executed() {
        return executed;
    }


    @Override
    public String toString() {
        return "Worker[" + id() + " " + state.state() + ", team=" + team.index + "]";
    }
}
