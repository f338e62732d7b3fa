package io.github.hivemesh.agent;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a batch pause or resume: which agents it succeeded for, and for each of the
 * others why it failed.
 *
 * @param succeeded the agents the operation succeeded for, in request order
 * @param failed    agent id to the reason it failed, in request order
 */
public record PeerOperationResult(List<String> succeeded, Map<String, Throwable> failed) {

    /**
     * Copies the collections.
     *
     * @param succeeded the agents the operation succeeded for, in request order
     * @param failed agent id to the reason it failed, in request order
     */
    public PeerOperationResult {
        succeeded = List.copyOf(Objects.requireNonNull(succeeded, "succeeded"));
        failed = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                Objects.requireNonNull(failed, "failed")));
    }

    /** {@return whether it succeeded for every agent asked} */
    public boolean allSucceeded() {
        return failed.isEmpty();
    }
}
