package io.github.hivemesh.cluster;

import java.util.Objects;
import java.util.Set;

/**
 * An endpoint another member of the view hosts, as that member announced it (see
 * {@link ClusterMessageBroker}): an agent's peer endpoint with the agent's capabilities, or
 * an endpoint without any (a root, a coordinator's own).
 *
 * @param id           the endpoint id
 * @param member       the member hosting it
 * @param capabilities what it announced it can do; empty for an endpoint that runs no tasks
 */
public record RemoteEndpoint(String id, MemberId member, Set<String> capabilities) {

    /**
     * Validates and copies.
     *
     * @param id           the endpoint id
     * @param member       the member hosting it
     * @param capabilities what it announced it can do
     */
    public RemoteEndpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(member, "member");
        capabilities = Set.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
    }
}
