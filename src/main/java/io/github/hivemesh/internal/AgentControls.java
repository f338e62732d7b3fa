package io.github.hivemesh.internal;

import io.github.hivemesh.agent.AgentControl;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.TokenMeter;
import io.github.hivemesh.agent.UnknownAgentException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link AgentControl} both coordinators give their query controller: it finds the agent
 * and asks it, through its own mailbox; and it runs the idle sweep that hands agents idle past
 * their policy's due time an auto-pause request. Thread-safe.
 */
public final class AgentControls implements AgentControl {

    private final String swarmId;
    private final Function<String, ? extends ControllableAgent> lookup;
    private final Supplier<? extends Collection<? extends ControllableAgent>> all;

    /**
     * Controls over the agents a coordinator holds.
     *
     * @param lookup the live agent of an id, or null
     * @param all    the live agents (iterated by the sweep)
     */
    public AgentControls(String swarmId, Function<String, ? extends ControllableAgent> lookup,
            Supplier<? extends Collection<? extends ControllableAgent>> all) {
        this.swarmId = swarmId;
        this.lookup = lookup;
        this.all = all;
    }

    @Override
    public String swarmId() {
        return swarmId;
    }

    /** The agents of {@code agents} not yet terminated: what {@code ICoordinator.agents()} lists. */
    public static List<AgentHandle> live(Collection<? extends AgentHandle> agents) {
        List<AgentHandle> live = new ArrayList<>();
        for (AgentHandle agent : agents) {
            if (agent.state() != AgentState.TERMINATED) {
                live.add(agent);
            }
        }
        return live;
    }

    @Override
    public Collection<String> agentIds() {
        List<String> ids = new ArrayList<>();
        for (ControllableAgent agent : all.get()) {
            ids.add(agent.id());
        }
        return ids;
    }

    /** Fails with {@link UnknownAgentException} for an id the swarm does not hold. */
    @Override
    public CompletableFuture<String> pause(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        ControllableAgent agent = lookup.apply(agentId);
        return agent == null ? CompletableFuture.failedFuture(unknown(agentId))
                : agent.requestPause();
    }

    /** Fails with {@link UnknownAgentException} for an id the swarm does not hold. */
    @Override
    public CompletableFuture<Void> resume(String agentId, String checkpointId) {
        Objects.requireNonNull(agentId, "agentId");
        ControllableAgent agent = lookup.apply(agentId);
        return agent == null ? CompletableFuture.failedFuture(unknown(agentId))
                : agent.requestResume(checkpointId);
    }

    @Override
    public TokenMeter meter(String agentId) {
        return require(agentId).meter();
    }

    /** Asks every agent idle past its due time to pause. The scheduler's thread. */
    public void sweep(long nowMillis) {
        for (ControllableAgent agent : all.get()) {
            PauseCycle cycle = agent.cycle();
            if (nowMillis >= cycle.pauseDue()) {
                agent.requestAutoPause(cycle.idleEpoch());
            }
        }
    }

    private ControllableAgent require(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        ControllableAgent agent = lookup.apply(agentId);
        if (agent == null) {
            throw unknown(agentId);
        }
        return agent;
    }

    private UnknownAgentException unknown(String agentId) {
        return new UnknownAgentException(agentId, swarmId);
    }
}
