package io.github.hivemesh.internal.wire;

import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.DecodeLimits;
import io.github.hivemesh.artifact.MessagePackCodec;
import io.github.hivemesh.wire.PayloadCodec;
import io.github.hivemesh.wire.UnsupportedPayloadException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The wire codecs of every {@link WireMessage} kind, over one {@link PayloadCodec}: encode a
 * message, decode one by the type name in its header, or both at once ({@link #roundTrip}, what
 * the switch that forces encoding in one JVM calls on every wire send).
 *
 * <p>Each kind has its own versioned MessagePack codec ({@code docs/wire.md} has the field
 * tables): a {@link MessagePackCodec} with unknown fields skipped and decode limits applied.
 * Tasks, assignments and errors inside a message are embedded values of their own codecs
 * ({@link TaskCodec}, {@link AssignCodec}, {@link ErrorCodec}); payloads and outputs are the
 * payload codec's bytes. Immutable and thread-safe.
 */
public final class WireCodecs {

    private final PayloadCodec payloads;
    private final TaskCodec task;
    private final AssignCodec assign;
    private final ResultCodec result;
    private final ReturnedCodec returned;
    private final UserMailCodec mail;
    private final TeamCodecs.Assignments<TeamTasks> teamTasks;
    private final TeamCodecs.Assignments<TeamRequeue> teamRequeue;
    private final TeamCodecs.Assignments<Stolen> stolen;
    private final Map<String, MessagePackCodec<? extends WireMessage>> byTypeName =
            new LinkedHashMap<>();
    /**
     * The packed type name of each codec of {@link #headCodecs}, as a writer puts it at the head
     * of a message: a decode finds its codec by it without reading the name twice.
     */
    private final byte[][] heads;
    private final List<MessagePackCodec<? extends WireMessage>> headCodecs;

    /** The codecs, with {@code payloads} for payloads and outputs. */
    public WireCodecs(PayloadCodec payloads) {
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        Payloads fields = new Payloads(payloads);
        task = new TaskCodec(fields);
        assign = new AssignCodec(task);
        result = new ResultCodec(fields, ErrorCodec.INSTANCE);
        mail = new UserMailCodec(fields);
        returned = new ReturnedCodec(assign, mail);
        teamTasks = TeamCodecs.teamTasks(assign);
        teamRequeue = TeamCodecs.teamRequeue(assign);
        stolen = TeamCodecs.stolen(assign);
        for (MessagePackCodec<? extends WireMessage> codec : List.of(assign, result,
                SignalCodec.INSTANCE, mail, returned, teamTasks, TeamCodecs.Room.INSTANCE,
                teamRequeue, TeamCodecs.Queued.INSTANCE, TeamCodecs.Chance.INSTANCE,
                TeamCodecs.Steal.INSTANCE, stolen, PeerCodecs.Chance.INSTANCE,
                PeerCodecs.Steal.INSTANCE, PeerCodecs.Stolen.INSTANCE,
                TaskNoticeCodec.INSTANCE, DependencyNoticeCodec.INSTANCE)) {
            byTypeName.put(codec.typeName(), codec);
        }
        heads = new byte[byTypeName.size()][];
        headCodecs = new ArrayList<>(byTypeName.values());
        for (int i = 0; i < heads.length; i++) {
            heads[i] = packedName(headCodecs.get(i).typeName());
        }
    }

    private static byte[] packedName(String typeName) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            packer.packString(typeName);
            return packer.toByteArray();
        } catch (IOException e) {
            // a buffer packer writes to memory; it has no I/O to fail
            throw new IllegalStateException("in-memory MessagePack packer failed", e);
        }
    }

    /** The payload codec. */
    public PayloadCodec payloads() {
        return payloads;
    }

    /** The codec of each message kind, by type name. */
    public Map<String, MessagePackCodec<? extends WireMessage>> messageCodecs() {
        return Collections.unmodifiableMap(byTypeName);
    }

    /** The codec of tasks, as embedded in assignments. */
    public TaskCodec taskCodec() {
        return task;
    }

    /**
     * The bytes of {@code message}.
     *
     * @throws UnsupportedPayloadException if the payload codec refuses a payload or output in
     *                                     it (the message names the task or message and the
     *                                     value); nothing was encoded
     * @throws ArtifactFormatException     if the message as a whole is more than a reader with
     *                                     {@link DecodeLimits#DEFAULT} accepts (a batch of
     *                                     assignments over 64 MiB, say)
     */
    public byte[] encode(WireMessage message) {
        Objects.requireNonNull(message, "message");
        if (message instanceof Assign m) {
            return assign.encode(m);
        } else if (message instanceof Result m) {
            return result.encode(m);
        } else if (message instanceof Signal m) {
            return SignalCodec.INSTANCE.encode(m);
        } else if (message instanceof UserMail m) {
            return mail.encode(m);
        } else if (message instanceof Returned m) {
            return returned.encode(m);
        } else if (message instanceof TeamTasks m) {
            return teamTasks.encode(m);
        } else if (message instanceof TeamRoom m) {
            return TeamCodecs.Room.INSTANCE.encode(m);
        } else if (message instanceof TeamRequeue m) {
            return teamRequeue.encode(m);
        } else if (message instanceof TeamQueued m) {
            return TeamCodecs.Queued.INSTANCE.encode(m);
        } else if (message instanceof StealChance m) {
            return TeamCodecs.Chance.INSTANCE.encode(m);
        } else if (message instanceof StealRequest m) {
            return TeamCodecs.Steal.INSTANCE.encode(m);
        } else if (message instanceof Stolen m) {
            return stolen.encode(m);
        } else if (message instanceof PeerStealChance m) {
            return PeerCodecs.Chance.INSTANCE.encode(m);
        } else if (message instanceof PeerStealRequest m) {
            return PeerCodecs.Steal.INSTANCE.encode(m);
        } else if (message instanceof PeerStolen m) {
            return PeerCodecs.Stolen.INSTANCE.encode(m);
        } else if (message instanceof TaskNotice m) {
            return TaskNoticeCodec.INSTANCE.encode(m);
        } else if (message instanceof DependencyNotice m) {
            return DependencyNoticeCodec.INSTANCE.encode(m);
        }
        throw new IllegalArgumentException("not a wire message kind: " + message.getClass());
    }

    /**
     * The message in {@code bytes}, of the kind its header names, decoded under {@code limits}.
     *
     * @throws ArtifactFormatException for anything that is not a valid encoding of a wire
     *                                 message (the message says what and where) — nothing else
     */
    public WireMessage decode(byte[] bytes, DecodeLimits limits) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(limits, "limits");
        if (bytes.length > 0 && bytes.length <= limits.maxInputBytes()) {
            // bytes that start with a codec's packed name are what peekTypeName would name
            // that codec by; anything else (and any error) takes the path below
            for (int i = 0; i < heads.length; i++) {
                byte[] head = heads[i];
                if (bytes.length >= head.length
                        && Arrays.equals(bytes, 0, head.length, head, 0, head.length)) {
                    return headCodecs.get(i).decode(bytes, limits);
                }
            }
        }
        String typeName = MessagePackCodec.peekTypeName(bytes, limits, "wire message");
        MessagePackCodec<? extends WireMessage> codec = byTypeName.get(typeName);
        if (codec == null) {
            throw new ArtifactFormatException("malformed wire message: unknown type '"
                    + typeName + "' (known: " + String.join(", ", byTypeName.keySet()) + ")");
        }
        return codec.decode(bytes, limits);
    }

    /**
     * {@code message} encoded and decoded again under {@link DecodeLimits#DEFAULT}: a message
     * of the same values, all fresh (new tasks, payloads, errors), as another process would
     * receive it.
     *
     * @throws UnsupportedPayloadException if the payload codec refuses a payload or output
     */
    public WireMessage roundTrip(WireMessage message) {
        return decode(encode(message), DecodeLimits.DEFAULT);
    }
}
