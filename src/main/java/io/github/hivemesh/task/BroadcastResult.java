package io.github.hivemesh.task;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a broadcast did: the agents whose mailboxes accepted the message, and those that
 * refused it, with why (full mailbox, no message handler, gone). Only accepted deliveries are
 * work; a refused one counts nothing. Immutable.
 *
 * @param delivered the agents that accepted it, in the order they were sent to
 * @param refused   the agents that refused it, and why
 */
public record BroadcastResult(List<String> delivered, Map<String, Throwable> refused) {

    /**
     * Copies the collections.
     *
     * @param delivered the agents that accepted it, in the order they were sent to
     * @param refused the agents that refused it, and why
     */
    public BroadcastResult {
        delivered = List.copyOf(Objects.requireNonNull(delivered, "delivered"));
        refused = Map.copyOf(Objects.requireNonNull(refused, "refused"));
    }

    /** {@return whether every agent sent to accepted it} */
    public boolean isComplete() {
        return refused.isEmpty();
    }
}
