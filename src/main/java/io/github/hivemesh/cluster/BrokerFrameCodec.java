package io.github.hivemesh.cluster;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.MessagePackCodec;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.RoutingType;
import io.github.hivemesh.internal.wire.WireCodecs;
import io.github.hivemesh.internal.wire.WireMessage;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MessagePack codec of a {@link BrokerFrame}, type {@code "hivemesh.cluster.Frame"}, format
 * version 1 (docs/cluster.md, "The cluster broker").
 *
 * <pre>
 * field  content                                   kind           default
 *     1  kind (1 direct, 2 topic, 3 up, 4 down)    int            required
 *     2  message type                              string         required with a message
 *     3  sender endpoint                           string         required with a message
 *     4  recipient endpoint, or the topic          string         required with a message
 *     5  message id (unique per sending member)    long           required with a message
 *     6  timestamp, epoch milliseconds             long           0
 *     7  control (never refused for space)         bool           false
 *     8  metadata                                  string map     empty
 *     9  payload, a wire message                   binary         —
 *    10  payload, a payload-codec value            binary         absent (and no 9): null
 *    11  endpoints (up, down)                      string array   empty
 *    12  routing (BROADCAST, P2P, MULTICAST)       string         P2P; topic: MULTICAST
 *    13  capabilities of each endpoint (up)        string sets    each empty
 * </pre>
 *
 * A frame of a kind this reader does not know decodes with {@link #decodeOrNull} as null (a
 * newer writer's frame, dropped and counted by the broker). Stateless and thread-safe.
 */
final class BrokerFrameCodec extends MessagePackCodec<BrokerFrame> {

    /** The type name in the header. */
    public static final String TYPE_NAME = "hivemesh.cluster.Frame";

    private final WireCodecs wire;
    private final DecodeLimits limits;

    /** A codec encoding payloads with {@code wire} and decoding them under {@code limits}. */
    public BrokerFrameCodec(WireCodecs wire, DecodeLimits limits) {
        super(TYPE_NAME, 1);
        this.wire = java.util.Objects.requireNonNull(wire, "wire");
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    /**
     * The frame in {@code bytes}, or null for a frame of an unknown kind.
     *
     * @throws ArtifactFormatException for bytes that are not a frame
     */
    public BrokerFrame decodeOrNull(byte[] bytes) {
        return decode(bytes, limits);
    }

    @Override
    protected void writeFields(BrokerFrame frame, FieldWriter out) {
        out.int32(1, frame.kind().code());
        Message m = frame.message();
        if (m != null) {
            out.string(2, m.type()).string(3, m.senderId()).string(4, m.recipientId())
                    .int64(5, m.messageId()).int64(6, m.timestamp());
            if (m.routingType() == RoutingType.BROADCAST) {
                out.string(12, m.routingType().name());
            }
            if (frame.control()) {
                out.bool(7, true);
            }
            if (!m.metadata().isEmpty()) {
                out.stringMap(8, m.metadata());
            }
            if (m.payload() instanceof WireMessage carried) {
                out.binary(9, wire.encode(carried));
            } else if (m.payload() != null) {
                out.binary(10, wire.payloads().encode(m.payload()));
            }
        }
        if (!frame.endpoints().isEmpty()) {
            out.strings(11, frame.endpoints());
        }
        if (!frame.capabilities().isEmpty()) {
            out.stringSets(13, frame.capabilities());
        }
    }

    @Override
    protected BrokerFrame readFields(FieldReader in) {
        Integer code = null;
        String type = null;
        String sender = null;
        String recipient = null;
        Long id = null;
        long timestamp = 0;
        boolean control = false;
        Map<String, String> metadata = Map.of();
        Object payload = null;
        List<String> endpoints = List.of();
        String routing = null;
        List<Set<String>> capabilities = null;
        while (in.next()) {
            switch (in.field()) {
                case 1 -> code = in.readInt();
                case 2 -> type = in.readString();
                case 3 -> sender = in.readString();
                case 4 -> recipient = in.readString();
                case 5 -> id = in.readLong();
                case 6 -> timestamp = in.readLong();
                case 7 -> control = in.readBoolean();
                case 8 -> metadata = in.readStringMap();
                case 9 -> payload = wire.decode(in.readBinary(), limits);
                case 10 -> payload = wire.payloads().decode(in.readBinary(), limits);
                case 11 -> endpoints = in.readStringList();
                case 12 -> routing = in.readString();
                case 13 -> capabilities = in.readStringSetList();
                default -> in.skip();
            }
        }
        in.require(code, 1, "kind");
        BrokerFrame.Kind kind = BrokerFrame.Kind.of(code);
        if (kind == null) {
            return null;
        }
        Message message = null;
        if (kind == BrokerFrame.Kind.DIRECT || kind == BrokerFrame.Kind.TOPIC) {
            in.require(type, 2, "type");
            in.require(sender, 3, "sender");
            in.require(recipient, 4, "recipient");
            in.require(id, 5, "messageId");
            try {
                RoutingType how = routing != null ? RoutingType.valueOf(routing)
                        : kind == BrokerFrame.Kind.TOPIC ? RoutingType.MULTICAST : RoutingType.P2P;
                message = new Message(type, payload, sender, recipient, timestamp, id, how,
                        metadata);
            } catch (IllegalArgumentException e) {
                throw in.invalid(e.getMessage());
            }
        }
        if (kind != BrokerFrame.Kind.UP) {
            capabilities = List.of();
        } else if (capabilities == null) {
            capabilities = java.util.Collections.nCopies(endpoints.size(), Set.of());
        }
        try {
            return new BrokerFrame(kind, message, control, endpoints, capabilities);
        } catch (IllegalArgumentException e) {
            throw in.invalid(e.getMessage());
        }
    }
}
