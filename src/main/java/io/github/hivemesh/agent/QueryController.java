package io.github.hivemesh.agent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link IQueryController}, over a coordinator's {@link AgentControl}. Batch
 * operations run in parallel and report per agent. Thread-safe.
 */
public final class QueryController implements IQueryController {

    private static final Logger LOG = LoggerFactory.getLogger(QueryController.class);

    private final AgentControl control;
    private final TokenCostModel costs;

    /**
     * A controller for the agents {@code control} exposes, priced by {@code costs}.
     *
     * @param control the agents and their pausing
     * @param costs prices the tokens pausing saved
     */
    public QueryController(AgentControl control, TokenCostModel costs) {
        this.control = Objects.requireNonNull(control, "control");
        this.costs = Objects.requireNonNull(costs, "costs");
    }

    @Override
    public CompletableFuture<String> pauseAgent(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        return control.pause(agentId);
    }

    @Override
    public CompletableFuture<Void> resumeAgent(String agentId, String checkpointId) {
        Objects.requireNonNull(agentId, "agentId");
        return control.resume(agentId, checkpointId);
    }

    @Override
    public CompletableFuture<PeerOperationResult> pausePeers(Collection<String> peerIds,
            String reason) {
        Objects.requireNonNull(peerIds, "peerIds");
        Objects.requireNonNull(reason, "reason");
        LOG.info("pausing {} agent(s) of swarm '{}': {}", peerIds.size(), control.swarmId(),
                reason);
        return batch(peerIds, control::pause);
    }

    @Override
    public CompletableFuture<PeerOperationResult> resumePeers(Collection<String> peerIds) {
        return batch(peerIds, id -> control.resume(id, null));
    }

    private static CompletableFuture<PeerOperationResult> batch(Collection<String> peerIds,
            Function<String, CompletableFuture<?>> operation) {
        Objects.requireNonNull(peerIds, "peerIds");
        List<String> ids = new ArrayList<>(peerIds);
        List<CompletableFuture<?>> outcomes = new ArrayList<>(ids.size());
        List<CompletableFuture<?>> settled = new ArrayList<>(ids.size());
        for (String id : ids) {
            Objects.requireNonNull(id, "peerIds contains null");
            CompletableFuture<?> outcome;
            try {
                outcome = operation.apply(id);
            } catch (RuntimeException e) {
                outcome = CompletableFuture.failedFuture(e);
            }
            outcomes.add(outcome);
            settled.add(outcome.handle((ok, failure) -> null));
        }
        return CompletableFuture.allOf(settled.toArray(new CompletableFuture<?>[0]))
                .thenApply(all -> {
                    List<String> succeeded = new ArrayList<>();
                    Map<String, Throwable> failed = new LinkedHashMap<>();
                    for (int i = 0; i < ids.size(); i++) {
                        try {
                            outcomes.get(i).join();
                            succeeded.add(ids.get(i));
                        } catch (CompletionException e) {
                            failed.put(ids.get(i), e.getCause());
                        }
                    }
                    return new PeerOperationResult(succeeded, failed);
                });
    }

    @Override
    public TokenSavings getTokenSavings(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        return control.meter(agentId).savings(costs);
    }

    @Override
    public TokenSavings getMeshTokenSavings(String swarmId) {
        Objects.requireNonNull(swarmId, "swarmId");
        if (!swarmId.equals(control.swarmId())) {
            throw new IllegalArgumentException("this controller belongs to swarm '"
                    + control.swarmId() + "', not '" + swarmId + "'");
        }
        TokenSavings total = TokenSavings.none();
        for (String agentId : control.agentIds()) {
            try {
                total = total.plus(control.meter(agentId).savings(costs));
            } catch (UnknownAgentException e) {
                // it left between the snapshot and now
            }
        }
        return total;
    }
}
