package io.github.hivemesh.broker;

import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of what a broker has carried. Counts are cumulative since the broker was created.
 * Taken while messages flow, the counts are each exact but not from one instant.
 *
 * @param accepted           messages accepted into a mailbox
 * @param delivered          messages whose handlers have returned
 * @param refused            sends that failed (unknown peer, full mailbox, closed broker)
 * @param handlerFailures    handler invocations that threw
 * @param undelivered        messages still queued when {@code close()} gave up waiting
 * @param endpoints          registered endpoints (peers and topic subscriptions)
 * @param deliveredByType    delivered count per message type (empty when not counted)
 */
public record BrokerMetrics(
        long accepted,
        long delivered,
        long refused,
        long handlerFailures,
        long undelivered,
        int endpoints,
        Map<String, Long> deliveredByType) {

    /**
     * Copies the map.
     *
     * @param accepted messages accepted into a mailbox
     * @param delivered messages whose handlers have returned
     * @param refused sends that failed (unknown peer, full mailbox, closed broker)
     * @param handlerFailures handler invocations that threw
     * @param undelivered messages still queued when {@code close()} gave up waiting
     * @param endpoints registered endpoints (peers and topic subscriptions)
     * @param deliveredByType delivered count per message type (empty when not counted)
     */
    public BrokerMetrics {
        deliveredByType = Map.copyOf(Objects.requireNonNull(deliveredByType, "deliveredByType"));
    }

    /** {@return messages accepted but not yet delivered} */
    public long queued() {
        return accepted - delivered - undelivered;
    }

    /**
     * Delivered messages of one type (0 when none, or when types are not counted).
     *
     * @param type the type
     * @return the number of delivered messages of {@code type}
     */
    public long delivered(String type) {
        return deliveredByType.getOrDefault(Objects.requireNonNull(type, "type"), 0L);
    }
}
