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
    private final HierarchicalCoordinator hive;
    /** Busy / idle / paused, its pause hooks and token account; team lead's mailbox. */
    final PauseCycle cycle;

    Worker(AgentDefinition definition, TeamLead team, int slots, String endpoint,
            HierarchicalCoordinator hive) {
        this.definition = definition;
        this.endpoint = endpoint;
        this.capabilities = definition.capabilities();
        this.team = team;
        this.slots = slots;
        this.state = new AgentStateMachine(definition.id(), hive.clock());
        this.meter = new TokenMeter(hive.clock());
        this.hive = hive;
        this.cycle = new PauseCycle(definition.id(), hive.swarmId(), definition.session(), state,
                meter, hive.clock(), hive.executor(),
                action -> hive.send(definition.id(), team.endpoint, HierarchyMessages.RUN,
                        action),
                hive.idlePausePolicy(), hive.checkpointStorage());
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
        CompletableFuture<String> done = new CompletableFuture<>();
        hive.ask(this, HierarchyMessages.PAUSE, null, done);
        return done;
    }

    @Override
    public CompletableFuture<Void> requestResume(String checkpointId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        hive.ask(this, HierarchyMessages.RESUME, checkpointId, done);
        return done;
    }

    @Override
    public void requestAutoPause(long epoch) {
        hive.ask(this, HierarchyMessages.AUTO_PAUSE, epoch, null);
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
