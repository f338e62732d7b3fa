package io.github.hivemesh.memory;

import static io.github.hivemesh.internal.util.Preconditions.checkNoNulls;
import static io.github.hivemesh.internal.util.Preconditions.checkNotBlank;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One remembered item. Immutable; sharing it produces a copy with a larger
 * {@link #sharedWith()}.
 *
 * @param id         unique in its memory manager
 * @param agentId    the agent that remembered it
 * @param type       what kind of item it is (free text, e.g. {@code "finding"})
 * @param content    the item itself, any object in-process, may be {@code null}
 * @param metadata   string labels
 * @param createdAt  when it was remembered (the manager's clock)
 * @param sharedWith agents it was shared with, besides its owner
 */
public record MemoryEntry(String id, String agentId, String type, Object content,
        Map<String, String> metadata, Instant createdAt, Set<String> sharedWith) {

    /**
     * Validates and copies.
     *
     * @param id unique in its memory manager
     * @param agentId the agent that remembered it
     * @param type what kind of item it is (free text, e.g. {@code "finding"})
     * @param content the item itself, any object in-process, may be {@code null}
     * @param metadata string labels
     * @param createdAt when it was remembered (the manager's clock)
     * @param sharedWith agents it was shared with, besides its owner
     */
    public MemoryEntry {
        checkNotBlank("id", id);
        checkNotBlank("agentId", agentId);
        checkNotBlank("type", type);
        metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
        Objects.requireNonNull(createdAt, "createdAt");
        sharedWith = Set.copyOf(checkNoNulls("sharedWith", sharedWith));
    }

    /**
     * {@return whether {@code agent} may recall it: its owner, or an agent it was shared with}
     *
     * @param agent the agent's id
     */
    public boolean isVisibleTo(String agent) {
        Objects.requireNonNull(agent, "agent");
        return agentId.equals(agent) || sharedWith.contains(agent);
    }
}
