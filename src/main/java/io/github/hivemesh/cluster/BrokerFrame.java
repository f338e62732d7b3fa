package io.github.hivemesh.cluster;

import io.github.hivemesh.broker.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one cluster broker sends another through the {@code ClusterTransport}: a message for an
 * endpoint or a topic there, or the endpoints that came up or went down here. Encoded by
 * {@link BrokerFrameCodec}; the message's payload is a wire message or a value of the payload
 * codec, encoded at the sender.
 *
 * @param kind      what the frame carries
 * @param message   the message ({@link Kind#DIRECT}, {@link Kind#TOPIC}), null otherwise
 * @param control   whether it is a control message (never refused for space), for
 *                  {@link Kind#DIRECT}
 * @param endpoints the endpoints ({@link Kind#UP}, {@link Kind#DOWN}), empty otherwise
 * @param capabilities for {@link Kind#UP}, each endpoint's capabilities, in the same order;
 *                  empty otherwise
 */
record BrokerFrame(Kind kind, Message message, boolean control, List<String> endpoints,
        List<Set<String>> capabilities) {

    /** What a frame carries; the codes are on the wire and never reused. */
    public enum Kind {
        /** A message for one endpoint of the recipient member. */
        DIRECT(1),
        /** A publication for the recipient member's subscribers of a topic. */
        TOPIC(2),
        /** Endpoints now registered at the sending member. */
        UP(3),
        /** Endpoints no longer registered at the sending member. */
        DOWN(4);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        /** The code on the wire. */
        public int code() {
            return code;
        }

        /** The kind of {@code code}, or null for a code this reader does not know. */
        public static Kind of(int code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** Checks that each kind has what it needs. */
    public BrokerFrame {
        Objects.requireNonNull(kind, "kind");
        // List.copyOf returns an immutable list as it is; a message frame's lists are List.of()
        endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
        if (Objects.requireNonNull(capabilities, "capabilities").isEmpty()) {
            capabilities = List.of();
        } else {
            List<Set<String>> copies = new ArrayList<>(capabilities.size());
            for (Set<String> set : capabilities) {
                copies.add(Set.copyOf(set));
            }
            capabilities = List.copyOf(copies);
        }
        if (kind == Kind.UP && capabilities.size() != endpoints.size()) {
            throw new IllegalArgumentException("an up frame has capabilities for each of its "
                    + endpoints.size() + " endpoint(s), was " + capabilities.size());
        }
        if (kind != Kind.UP && !capabilities.isEmpty()) {
            throw new IllegalArgumentException("only an up frame carries capabilities");
        }
        boolean carriesMessage = kind == Kind.DIRECT || kind == Kind.TOPIC;
        if (carriesMessage != (message != null)) {
            throw new IllegalArgumentException(kind + " frame " + (carriesMessage
                    ? "needs a message" : "carries no message"));
        }
        if (carriesMessage && (message.senderId() == null || message.recipientId() == null)) {
            throw new IllegalArgumentException("a carried message names its sender and its "
                    + "recipient (or topic)");
        }
    }

    /** A message for an endpoint of the recipient member. */
    public static BrokerFrame direct(Message message, boolean control) {
        return new BrokerFrame(Kind.DIRECT, message, control, List.of(), List.of());
    }

    /** A publication; the message's recipient is the topic. */
    public static BrokerFrame topic(Message message) {
        return new BrokerFrame(Kind.TOPIC, message, false, List.of(), List.of());
    }

    /** Endpoints, by id, that came up at the sender with their capabilities. */
    public static BrokerFrame up(Map<String, Set<String>> endpoints) {
        return new BrokerFrame(Kind.UP, null, false, new ArrayList<>(endpoints.keySet()),
                new ArrayList<>(endpoints.values()));
    }

    /** Endpoints that went down at the sender. */
    public static BrokerFrame down(List<String> endpoints) {
        return new BrokerFrame(Kind.DOWN, null, false, endpoints, List.of());
    }
}
