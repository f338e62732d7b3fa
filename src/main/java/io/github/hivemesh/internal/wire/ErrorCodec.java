package io.github.hivemesh.internal.wire;

import io.github.hivemesh.SwarmSaturatedException;
import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.DuplicateAgentException;
import io.github.hivemesh.agent.IllegalStateTransitionException;
import io.github.hivemesh.agent.NoCapableAgentException;
import io.github.hivemesh.agent.UnknownAgentException;
import io.github.hivemesh.artifact.ArtifactCorruptedException;
import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.ArtifactStorageException;
import io.github.hivemesh.artifact.ArtifactTooLargeException;
import io.github.hivemesh.artifact.FieldReader;
import io.github.hivemesh.artifact.FieldWriter;
import io.github.hivemesh.artifact.InvalidArtifactKeyException;
import io.github.hivemesh.artifact.MessagePackCodec;
import io.github.hivemesh.broker.BrokerClosedException;
import io.github.hivemesh.broker.BrokerException;
import io.github.hivemesh.broker.MailboxFullException;
import io.github.hivemesh.broker.UnknownPeerException;
import io.github.hivemesh.internal.wire.ErrorLinkCodec.Link;
import io.github.hivemesh.memory.UnknownMemoryEntryException;
import io.github.hivemesh.task.CyclicDependencyException;
import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.DuplicateTaskException;
import io.github.hivemesh.task.TaskCancelledException;
import io.github.hivemesh.task.TaskTimeoutException;
import io.github.hivemesh.task.UnknownDependencyException;
import io.github.hivemesh.wire.RemoteTaskException;
import io.github.hivemesh.wire.UnsupportedPayloadException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * MessagePack codec of a failure, type {@code "hivemesh.wire.Error"}, format version 1: its cause
 * chain as a list of {@link ErrorLinkCodec} links, the failure first.
 *
 * <pre>
 * field  content   kind                                   default
 *     1  links     array of embedded ErrorLink, 1 to 8    required
 * </pre>
 *
 * <h2>What arrives as what</h2>
 * The library's own exceptions — exactly these classes, not subclasses — travel by a stable
 * code and their values, and are built again by their constructors on arrival: same class, same
 * message, same values, the sender's stack frames (class, method, file, line). Their cause is
 * the next link. Anything else becomes a {@link RemoteTaskException} (code 1) carrying its class
 * name, message and stack trace text, its causes and suppressed exceptions flattened into the
 * text; it ends the chain. A {@code RemoteTaskException} travels as itself (code 1, its
 * original class name kept). A library exception whose values do not rebuild its message (a
 * null value, say) or are longer than 64 Ki characters travels as a remote one; so does the
 * eighth link of a longer chain, the rest flattened into its text. Messages are cut at 64 Ki
 * characters and stack trace texts at 256 Ki. A reader that does not know a code builds a
 * {@code RemoteTaskException} from the link's class name, message and frames. Never Java
 * serialization.
 *
 * <pre>
 * code  exception                          values (link fields)
 *    1  RemoteTaskException                2 class name, 3 message, 4 stack trace text
 *    2  DependencyFailedException          10 taskId, 11 dependency
 *    3  UnknownDependencyException         10 taskId, 11 dependency
 *    4  DuplicateTaskException             10 taskId
 *    5  CyclicDependencyException          19 ids (the cycle)
 *    6  TaskTimeoutException               10 taskId, 24 seconds, 25 nanoseconds (timeout)
 *    7  TaskCancelledException             10 taskId, 16 reason
 *    8  NoCapableAgentException            10 taskId, 19 ids (required), 20 missing
 *    9  UnknownAgentException              12 agentId, 13 swarmId
 *   10  DuplicateAgentException            12 agentId
 *   11  SwarmShutdownException             3 message
 *   12  SwarmSaturatedException            10 taskId, 13 swarmId, 21 capacity, 17 what, 18 setting
 *   13  MailboxFullException               14 peerId, 21 capacity
 *   14  UnknownPeerException               14 peerId
 *   15  BrokerClosedException              3 message
 *   16  BrokerException                    3 message (cause: the next link)
 *   17  UnknownMemoryEntryException        28 entryId
 *   18  ArtifactStorageException           3 message (cause: the next link)
 *   19  ArtifactCorruptedException         15 key, 16 reason
 *   20  ArtifactTooLargeException          15 key, 22 size, 23 limit
 *   21  InvalidArtifactKeyException        15 key, 16 reason (the rule)
 *   22  ArtifactFormatException            3 message (cause: the next link)
 *   23  IllegalStateTransitionException    12 agentId, 26 from, 27 to (state names)
 *   24  UnsupportedPayloadException        3 message (cause: the next link)
 * </pre>
 *
 * Codes are never reused. Stateless and thread-safe; use {@link #INSTANCE}.
 */
public final class ErrorCodec extends MessagePackCodec<Throwable> {

    /** The type name in the header. */
    public static final String TYPE_NAME = "hivemesh.wire.Error";

    /** The shared instance. */
    public static final ErrorCodec INSTANCE = new ErrorCodec();

    /** The code of {@link RemoteTaskException}, and of whatever is sent as one. */
    static final int REMOTE = 1;
    /** Most links sent; a longer chain ends in a remote link holding the rest as text. */
    static final int MAX_LINKS = 8;
    /** Most frames sent per link (the JVM keeps 1024 by default). */
    static final int MAX_FRAMES = 1024;
    /** Longest message or value sent, in chars (3 UTF-8 bytes each at most: far in the limit). */
    static final int MAX_VALUE_CHARS = 64 * 1024;
    /** Longest stack trace text sent, in chars. */
    static final int MAX_TEXT_CHARS = 256 * 1024;

    /** The value fields of a link: number, name, kind. Numbers are never reused. */
    enum Field {
        TASK_ID(10, Kind.STRING), DEPENDENCY(11, Kind.STRING), AGENT_ID(12, Kind.STRING),
        SWARM_ID(13, Kind.STRING), PEER_ID(14, Kind.STRING), KEY(15, Kind.STRING),
        REASON(16, Kind.STRING), WHAT(17, Kind.STRING), SETTING(18, Kind.STRING),
        IDS(19, Kind.STRINGS), MISSING(20, Kind.STRINGS), CAPACITY(21, Kind.LONG),
        SIZE(22, Kind.LONG), LIMIT(23, Kind.LONG), SECONDS(24, Kind.LONG),
        NANOS(25, Kind.LONG), FROM(26, Kind.STRING), TO(27, Kind.STRING),
        ENTRY_ID(28, Kind.STRING);

        /** How a field's value is written. */
        enum Kind { STRING, STRINGS, LONG }

        private static final Map<Integer, Field> BY_NUMBER = new HashMap<>();

        static {
            for (Field field : values()) {
                BY_NUMBER.put(field.number, field);
            }
        }

        private final int number;
        private final Kind kind;

        Field(int number, Kind kind) {
            this.number = number;
            this.kind = kind;
        }

        /** The field with this number, or null. */
        static Field of(int number) {
            return BY_NUMBER.get(number);
        }

        Kind kind() {
            return kind;
        }
    }

    /** A library exception's values, by field; what a {@link Type} writes and builds from. */
    static final class Values {

        private final String message;
        private final Map<Integer, Object> values;

        Values(String message, Map<Integer, Object> values) {
            this.message = message;
            this.values = values;
        }

        String message() {
            return message;
        }

        Values put(Field field, Object value) {
            if (value != null) {
                values.put(field.number, value);
            }
            return this;
        }

        String string(Field field) {
            return (String) require(field);
        }

        @SuppressWarnings("unchecked")
        List<String> strings(Field field) {
            return (List<String>) require(field);
        }

        long number(Field field) {
            return (Long) require(field);
        }

        int integer(Field field) {
            long value = number(field);
            if (value != (int) value) {
                throw new IllegalArgumentException(name(field) + " must be an int, was " + value);
            }
            return (int) value;
        }

        private Object require(Field field) {
            Object value = values.get(field.number);
            if (value == null) {
                throw new IllegalArgumentException("required field " + field.number + " ("
                        + name(field) + ") is missing");
            }
            return value;
        }

        private static String name(Field field) {
            return field.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One library exception class: its code, how its values are written, and how it is built
     * from them ({@code cause} given to the constructors that take one, else null).
     */
    private record Type<T extends Throwable>(int code, Class<T> type, BiConsumer<T, Values> write,
            BiFunction<Values, Throwable, Throwable> build) {

        void writeValues(Throwable error, Values values) {
            write.accept(type.cast(error), values);
        }
    }

    private static final List<Type<?>> TYPES = List.of(
            new Type<>(2, DependencyFailedException.class,
                    (e, v) -> v.put(Field.TASK_ID, e.taskId()).put(Field.DEPENDENCY, e.dependency()),
                    (v, c) -> new DependencyFailedException(v.string(Field.TASK_ID),
                            v.string(Field.DEPENDENCY))),
            new Type<>(3, UnknownDependencyException.class,
                    (e, v) -> v.put(Field.TASK_ID, e.taskId()).put(Field.DEPENDENCY, e.dependency()),
                    (v, c) -> new UnknownDependencyException(v.string(Field.TASK_ID),
                            v.string(Field.DEPENDENCY))),
            new Type<>(4, DuplicateTaskException.class,
                    (e, v) -> v.put(Field.TASK_ID, e.taskId()),
                    (v, c) -> new DuplicateTaskException(v.string(Field.TASK_ID))),
            new Type<>(5, CyclicDependencyException.class,
                    (e, v) -> v.put(Field.IDS, e.cycle()),
                    (v, c) -> new CyclicDependencyException(v.strings(Field.IDS))),
            new Type<>(6, TaskTimeoutException.class,
                    (e, v) -> v.put(Field.TASK_ID, e.taskId())
                            .put(Field.SECONDS, e.timeout() == null ? null : e.timeout().getSeconds())
                            .put(Field.NANOS, e.timeout() == null ? null : (long) e.timeout().getNano()),
                    (v, c) -> new TaskTimeoutException(v.string(Field.TASK_ID),
                            duration(v.number(Field.SECONDS), v.number(Field.NANOS)))),
            new Type<>(7, TaskCancelledException.class,
                    (e, v) -> v.put(Field.TASK_ID, e.taskId()).put(Field.REASON, e.reason()),
                    (v, c) -> new TaskCancelledException(v.string(Field.TASK_ID),
                            v.string(Field.REASON))),
            new Type<>(8, NoCapableAgentException.class,
                    (e, v) -> v.put(Field.TASK_ID, e.taskId())
                            .put(Field.IDS, List.copyOf(e.required()))
                            .put(Field.MISSING, List.copyOf(e.missing())),
                    (v, c) -> new NoCapableAgentException(v.string(Field.TASK_ID),
                            ordered(v.strings(Field.IDS)), ordered(v.strings(Field.MISSING)))),
            new Type<>(9, UnknownAgentException.class,
                    (e, v) -> v.put(Field.AGENT_ID, e.agentId()).put(Field.SWARM_ID, e.swarmId()),
                    (v, c) -> new UnknownAgentException(v.string(Field.AGENT_ID),
                            v.string(Field.SWARM_ID))),
            new Type<>(10, DuplicateAgentException.class,
                    (e, v) -> v.put(Field.AGENT_ID, e.agentId()),
                    (v, c) -> new DuplicateAgentException(v.string(Field.AGENT_ID))),
            new Type<>(11, SwarmShutdownException.class, (e, v) -> { },
                    (v, c) -> new SwarmShutdownException(v.message())),
            new Type<>(12, SwarmSaturatedException.class,
                    (e, v) -> v.put(Field.TASK_ID, e.taskId()).put(Field.SWARM_ID, e.swarmId())
                            .put(Field.CAPACITY, (long) e.capacity()).put(Field.WHAT, e.what())
                            .put(Field.SETTING, e.setting()),
                    (v, c) -> new SwarmSaturatedException(v.string(Field.TASK_ID),
                            v.string(Field.SWARM_ID), v.integer(Field.CAPACITY),
                            v.string(Field.WHAT), v.string(Field.SETTING))),
            new Type<>(13, MailboxFullException.class,
                    (e, v) -> v.put(Field.PEER_ID, e.peerId())
                            .put(Field.CAPACITY, (long) e.capacity()),
                    (v, c) -> new MailboxFullException(v.string(Field.PEER_ID),
                            v.integer(Field.CAPACITY))),
            new Type<>(14, UnknownPeerException.class,
                    (e, v) -> v.put(Field.PEER_ID, e.peerId()),
                    (v, c) -> new UnknownPeerException(v.string(Field.PEER_ID))),
            new Type<>(15, BrokerClosedException.class, (e, v) -> { },
                    (v, c) -> new BrokerClosedException(v.message())),
            new Type<>(16, BrokerException.class, (e, v) -> { },
                    (v, c) -> c == null ? new BrokerException(v.message())
                            : new BrokerException(v.message(), c)),
            new Type<>(17, UnknownMemoryEntryException.class,
                    (e, v) -> v.put(Field.ENTRY_ID, e.entryId()),
                    (v, c) -> new UnknownMemoryEntryException(v.string(Field.ENTRY_ID))),
            new Type<>(18, ArtifactStorageException.class, (e, v) -> { },
                    (v, c) -> c == null ? new ArtifactStorageException(v.message())
                            : new ArtifactStorageException(v.message(), c)),
            new Type<>(19, ArtifactCorruptedException.class,
                    (e, v) -> v.put(Field.KEY, e.key()).put(Field.REASON, e.reason()),
                    (v, c) -> new ArtifactCorruptedException(v.string(Field.KEY),
                            v.string(Field.REASON))),
            new Type<>(20, ArtifactTooLargeException.class,
                    (e, v) -> v.put(Field.KEY, e.key()).put(Field.SIZE, e.size())
                            .put(Field.LIMIT, e.limit()),
                    (v, c) -> new ArtifactTooLargeException(v.string(Field.KEY),
                            v.number(Field.SIZE), v.number(Field.LIMIT))),
            new Type<>(21, InvalidArtifactKeyException.class,
                    (e, v) -> v.put(Field.KEY, e.key()).put(Field.REASON, e.rule()),
                    (v, c) -> new InvalidArtifactKeyException(v.string(Field.KEY),
                            v.string(Field.REASON))),
            new Type<>(22, ArtifactFormatException.class, (e, v) -> { },
                    (v, c) -> c == null ? new ArtifactFormatException(v.message())
                            : new ArtifactFormatException(v.message(), c)),
            new Type<>(23, IllegalStateTransitionException.class,
                    (e, v) -> v.put(Field.AGENT_ID, e.agentId())
                            .put(Field.FROM, e.from() == null ? null : e.from().name())
                            .put(Field.TO, e.to() == null ? null : e.to().name()),
                    (v, c) -> new IllegalStateTransitionException(v.string(Field.AGENT_ID),
                            AgentState.valueOf(v.string(Field.FROM)),
                            AgentState.valueOf(v.string(Field.TO)))),
            new Type<>(24, UnsupportedPayloadException.class, (e, v) -> { },
                    (v, c) -> c == null ? new UnsupportedPayloadException(v.message())
                            : new UnsupportedPayloadException(v.message(), c)));

    private static final Map<Class<?>, Type<?>> BY_CLASS = new HashMap<>();
    private static final Map<Integer, Type<?>> BY_CODE = new HashMap<>();

    static {
        for (Type<?> type : TYPES) {
            BY_CLASS.put(type.type(), type);
            BY_CODE.put(type.code(), type);
        }
    }

    private ErrorCodec() {
        super(TYPE_NAME, 1);
    }

    /** The exception classes sent by code, not as {@link RemoteTaskException}. */
    static Set<Class<?>> libraryTypes() {
        return Collections.unmodifiableSet(BY_CLASS.keySet());
    }

    @Override
    protected void writeFields(Throwable error, FieldWriter out) {
        out.embeddedList(1, ErrorLinkCodec.INSTANCE, links(error));
    }

    @Override
    protected Throwable readFields(FieldReader in) {
        List<Link> links = null;
        while (in.next()) {
            if (in.field() == 1) {
                links = in.readEmbeddedList(ErrorLinkCodec.INSTANCE);
            } else {
                in.skip();
            }
        }
        in.require(links, 1, "links");
        if (links.isEmpty() || links.size() > MAX_LINKS) {
            throw in.invalid("an error has 1 to " + MAX_LINKS + " links, this one "
                    + links.size());
        }
        Throwable cause = null;
        for (int i = links.size() - 1; i >= 0; i--) {
            try {
                cause = build(links.get(i), cause);
            } catch (RuntimeException e) {
                throw in.invalid("link " + i + " (code " + links.get(i).code() + "): "
                        + e.getMessage());
            }
        }
        return cause;
    }

    // ---- encoding --------------------------------------------------------------------------

    /** The chain from {@code error}, cut at a cycle or at {@link #MAX_LINKS}. */
    private static List<Link> links(Throwable error) {
        List<Link> links = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            boolean last = links.size() == MAX_LINKS - 1;
            if (t.getClass() == RemoteTaskException.class) {
                RemoteTaskException remote = (RemoteTaskException) t;
                links.add(remote(remote.remoteClassName(), remote.remoteMessage(),
                        remote.remoteStackTrace()));
            } else {
                Link link = last ? null : library(t);
                if (link == null) {
                    RemoteTaskException remote = RemoteTaskException.describing(t);
                    links.add(remote(remote.remoteClassName(), remote.remoteMessage(),
                            remote.remoteStackTrace()));
                    break;
                }
                links.add(link);
            }
            if (last) {
                break;
            }
        }
        return links;
    }

    private static Link remote(String className, String message, String text) {
        return new Link(REMOTE, className, cut(message, MAX_VALUE_CHARS), cut(text, MAX_TEXT_CHARS),
                new StackTraceElement[0], Map.of());
    }

    /** {@code error} as a library link, or null if it is not one (or would not rebuild). */
    private static Link library(Throwable error) {
        Type<?> type = BY_CLASS.get(error.getClass());
        if (type == null) {
            return null;
        }
        String message = error.getMessage();
        Map<Integer, Object> values = new LinkedHashMap<>();
        Values fields = new Values(message, values);
        try {
            type.writeValues(error, fields);
            if (!fits(message) || !values.values().stream().allMatch(ErrorCodec::fits)
                    || !Objects.equals(type.build().apply(fields, null).getMessage(), message)) {
                return null;
            }
        } catch (RuntimeException e) {
            // a value the constructor refuses (null, say): it would not rebuild on arrival
            return null;
        }
        StackTraceElement[] frames = error.getStackTrace();
        return new Link(type.code(), error.getClass().getName(), message, "",
                Arrays.copyOf(frames, Math.min(frames.length, MAX_FRAMES)), values);
    }

    private static boolean fits(Object value) {
        if (value instanceof List<?> list) {
            return list.size() <= MAX_VALUE_CHARS && list.stream().allMatch(ErrorCodec::fits);
        }
        return !(value instanceof String s) || s.length() <= MAX_VALUE_CHARS;
    }

    private static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        String note = "... (" + (text.length() - max) + " more characters cut)";
        return text.substring(0, max - note.length()) + note;
    }

    // ---- decoding --------------------------------------------------------------------------

    private static Throwable build(Link link, Throwable cause) {
        Type<?> type = BY_CODE.get(link.code());
        if (type == null) {
            // code 1, or a code of a newer writer: what any reader can show of it
            String text = link.code() == REMOTE || !link.text().isEmpty() ? link.text()
                    : textOf(link);
            return new RemoteTaskException(link.className(), link.message(), text, cause);
        }
        Throwable error = type.build().apply(new Values(link.message(), link.values()), cause);
        if (cause != null && error.getCause() != cause) {
            error.initCause(cause);
        }
        error.setStackTrace(link.frames());
        return error;
    }

    /** A stack trace text from a link's frames, as {@code printStackTrace} would print them. */
    private static String textOf(Link link) {
        StringBuilder text = new StringBuilder(link.className());
        if (link.message() != null) {
            text.append(": ").append(link.message());
        }
        for (StackTraceElement frame : link.frames()) {
            text.append(System.lineSeparator()).append("\tat ").append(frame);
        }
        return text.toString();
    }

    private static Duration duration(long seconds, long nanos) {
        if (nanos < 0 || nanos > 999_999_999) {
            throw new IllegalArgumentException("nanoseconds must be in [0, 999999999], was "
                    + nanos);
        }
        return Duration.ofSeconds(seconds, nanos);
    }

    private static Set<String> ordered(List<String> values) {
        return new LinkedHashSet<>(values);
    }
}
