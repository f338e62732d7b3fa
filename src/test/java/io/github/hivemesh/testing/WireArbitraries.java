package io.github.hivemesh.testing;

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
import io.github.hivemesh.artifact.InvalidArtifactKeyException;
import io.github.hivemesh.broker.BrokerClosedException;
import io.github.hivemesh.broker.BrokerException;
import io.github.hivemesh.broker.MailboxFullException;
import io.github.hivemesh.broker.UnknownPeerException;
import io.github.hivemesh.internal.wire.Assign;
import io.github.hivemesh.internal.wire.PeerStealChance;
import io.github.hivemesh.internal.wire.PeerStealRequest;
import io.github.hivemesh.internal.wire.PeerStolen;
import io.github.hivemesh.internal.wire.Result;
import io.github.hivemesh.internal.wire.Returned;
import io.github.hivemesh.internal.wire.Signal;
import io.github.hivemesh.internal.wire.DependencyNotice;
import io.github.hivemesh.internal.wire.TaskNotice;
import io.github.hivemesh.internal.wire.StealChance;
import io.github.hivemesh.internal.wire.StealRequest;
import io.github.hivemesh.internal.wire.Stolen;
import io.github.hivemesh.internal.wire.TeamQueued;
import io.github.hivemesh.internal.wire.TeamRequeue;
import io.github.hivemesh.internal.wire.TeamRoom;
import io.github.hivemesh.internal.wire.TeamTasks;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.internal.wire.WireMessage;
import io.github.hivemesh.memory.UnknownMemoryEntryException;
import io.github.hivemesh.task.CyclicDependencyException;
import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.DuplicateTaskException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.task.TaskCancelledException;
import io.github.hivemesh.task.TaskTimeoutException;
import io.github.hivemesh.task.UnknownDependencyException;
import io.github.hivemesh.wire.RemoteTaskException;
import io.github.hivemesh.wire.UnsupportedPayloadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of wire values: payloads of every type the default payload codec carries,
 * tasks, errors (the library's own and foreign ones) and every {@link WireMessage} kind.
 */
public final class WireArbitraries {

    private WireArbitraries() {
    }

    // ---- payloads --------------------------------------------------------------------------

    /** Strings UTF-8 can carry (no unpaired surrogate), up to 20 chars. */
    public static Arbitrary<String> strings() {
        return Arbitraries.strings().ofMaxLength(20)
                .filter(WireArbitraries::utf8);
    }

    /** Whether UTF-8 can carry {@code s}: no unpaired surrogate. */
    public static boolean utf8(String s) {
        // a paired surrogate counts as one code point above 0xffff; a lone one as itself
        return s.codePoints().noneMatch(c -> c >= 0xd800 && c <= 0xdfff);
    }

    /** A scalar of a supported type: null, Boolean, Integer, Long, Float, Double, String, byte[]. */
    public static Arbitrary<Object> scalars() {
        return Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.of(true, false),
                Arbitraries.integers(),
                Arbitraries.longs(),
                Arbitraries.floats().withStandardSpecialValues(),
                Arbitraries.doubles().withStandardSpecialValues(),
                strings(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(16));
    }

    /** Any supported value: scalars, and lists and maps of them nested up to 4 deep. */
    public static Arbitrary<Object> payloads() {
        return Arbitraries.recursive(WireArbitraries::scalars, inner -> Arbitraries.oneOf(
                scalars(),
                inner.list().ofMaxSize(4).map(list -> (Object) list),
                Arbitraries.maps(Arbitraries.oneOf(scalars(), scalars().list().ofMaxSize(2)
                        .map(list -> (Object) list)), inner).ofMaxSize(4)
                        .map(map -> (Object) new LinkedHashMap<>(map))), 0, 4);
    }

    // ---- tasks and errors ------------------------------------------------------------------

    /** Ids as the API accepts them. */
    public static Arbitrary<String> ids() {
        return Generators.ids().filter(WireArbitraries::utf8);
    }

    /** Tasks with every field set at random (a timeout in half of them). */
    public static Arbitrary<Task> tasks() {
        Arbitrary<Duration> timeouts = Combinators.combine(
                Arbitraries.longs().between(0, 3649L * 86_400),
                Arbitraries.integers().between(1, 999_999_999)).as(Duration::ofSeconds);
        return Combinators.combine(ids(), ids(), strings(), ids().set().ofMaxSize(4),
                Arbitraries.integers().between(Task.MIN_PRIORITY, Task.MAX_PRIORITY),
                ids().set().ofMaxSize(4), payloads(), timeouts.injectNull(0.5))
                .as((id, type, description, capabilities, priority, dependencies, payload,
                        timeout) -> {
                    Task.Builder builder = Task.builder().id(id).type(type)
                            .description(description).requiredCapabilities(capabilities)
                            .priority(priority).dependencies(dependencies.stream()
                                    .filter(d -> !d.equals(id)).toList())
                            .payload(payload);
                    return (timeout == null ? builder : builder.timeout(timeout)).build();
                });
    }

    /** One of each of the library's exceptions that travel by code, with random values. */
    public static Arbitrary<Throwable> libraryErrors() {
        Arbitrary<String> s = ids();
        Arbitrary<Integer> n = Arbitraries.integers();
        Arbitrary<List<String>> list = ids().list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Set<String>> set = ids().set().ofMaxSize(4);
        Arbitrary<Duration> duration = Combinators.combine(Arbitraries.longs(),
                Arbitraries.integers().between(0, 999_999_999)).as(Duration::ofSeconds);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(s, s).as(DependencyFailedException::new),
                Combinators.combine(s, s).as(UnknownDependencyException::new),
                s.map(DuplicateTaskException::new),
                list.map(CyclicDependencyException::new),
                Combinators.combine(s, duration).as(TaskTimeoutException::new),
                Combinators.combine(s, strings()).as(TaskCancelledException::new),
                Combinators.combine(s, set, set).as(NoCapableAgentException::new),
                Combinators.combine(s, s).as(UnknownAgentException::new),
                s.map(DuplicateAgentException::new),
                strings().map(SwarmShutdownException::new),
                Combinators.combine(s, s, n, strings(), strings())
                        .as(SwarmSaturatedException::new),
                Combinators.combine(s, n).as(MailboxFullException::new),
                s.map(UnknownPeerException::new),
                strings().map(BrokerClosedException::new),
                strings().map(BrokerException::new),
                s.map(UnknownMemoryEntryException::new),
                strings().map(ArtifactStorageException::new),
                Combinators.combine(s, strings()).as(ArtifactCorruptedException::new),
                Combinators.combine(s, Arbitraries.longs(), Arbitraries.longs())
                        .as(ArtifactTooLargeException::new),
                Combinators.combine(s, strings()).as(InvalidArtifactKeyException::new),
                strings().map(ArtifactFormatException::new),
                Combinators.combine(s, Arbitraries.of(AgentState.class),
                        Arbitraries.of(AgentState.class))
                        .as(IllegalStateTransitionException::new),
                strings().map(UnsupportedPayloadException::new)));
    }

    /** Exceptions that are not the library's: they arrive as {@link RemoteTaskException}s. */
    public static Arbitrary<Throwable> foreignErrors() {
        Arbitrary<String> messages = strings().injectNull(0.2);
        return Arbitraries.oneOf(
                messages.map(IllegalStateException::new),
                messages.map(m -> new UncheckedIOException(m, new IOException("disk: " + m))),
                messages.map(m -> new IOException(m, new IllegalArgumentException("bad"))),
                messages.map(m -> new AssertionError(m)),
                // a subclass of a library exception is not the library's
                Combinators.combine(ids(), ids()).as(LateDependency::new));
    }

    /** Library and foreign errors, with causes of either kind (a chain up to 3 long). */
    public static Arbitrary<Throwable> errors() {
        Arbitrary<Throwable> single = Arbitraries.oneOf(libraryErrors(), foreignErrors(),
                Combinators.combine(Arbitraries.of("java.io.IOException", "com.example.Custom"),
                        strings().injectNull(0.3), strings())
                        .as((c, m, t) -> new RemoteTaskException(c, m, t)));
        return Combinators.combine(libraryErrors(), single, Arbitraries.integers().between(0, 2))
                .as((outer, inner, shape) -> switch (shape) {
                    case 0 -> inner;
                    case 1 -> outer;
                    default -> {
                        // a cause under a library exception that has none yet
                        Throwable chained = outer.getCause() == null ? outer.initCause(inner)
                                : outer;
                        yield chained;
                    }
                });
    }

    /** A subclass of a library exception, defined by the application. */
    public static final class LateDependency extends DependencyFailedException {

        private static final long serialVersionUID = 1L;

        /** The exception. */
        public LateDependency(String taskId, String dependency) {
            super(taskId, dependency);
        }
    }

    // ---- messages --------------------------------------------------------------------------

    /** Assignments of random tasks. */
    public static Arbitrary<Assign> assigns() {
        return Combinators.combine(tasks(), Arbitraries.longs(),
                Arbitraries.integers().between(1, Integer.MAX_VALUE), ids(), Arbitraries.longs(),
                Arbitraries.oneOf(Arbitraries.just(""), ids()))
                .as(Assign::new);
    }

    /** Results: an output, an error, or neither. */
    public static Arbitrary<Result> results() {
        return Combinators.combine(ids(), Arbitraries.longs(), Arbitraries.integers(),
                payloads(), errors(), Arbitraries.of(true, false),
                Arbitraries.oneOf(Arbitraries.just(""), ids()), Arbitraries.longs())
                .as((id, serial, attempt, output, error, failed, root, epoch) -> failed
                        ? new Result(id, serial, attempt, null, error, root, epoch)
                        : new Result(id, serial, attempt, output, null, root, epoch));
    }

    /** Signals acknowledging 1 to 8 messages. */
    public static Arbitrary<Signal> signals() {
        return Combinators.combine(Arbitraries.longs(), ids(), ids(),
                Arbitraries.longs().array(long[].class).ofMinSize(1).ofMaxSize(8),
                Arbitraries.oneOf(Arbitraries.just(""), ids())).as(Signal::new);
    }

    /** User messages with any payload. */
    public static Arbitrary<UserMail> mails() {
        return Combinators.combine(ids(), ids(), ids(), payloads(),
                Arbitraries.oneOf(Arbitraries.just(""), ids()), Arbitraries.longs())
                .as(UserMail::new);
    }

    /** Returned basic messages: assignments and user messages. */
    public static Arbitrary<Returned> returns() {
        Arbitrary<WireMessage> basic = Arbitraries.oneOf(assigns().map(a -> (WireMessage) a),
                mails().map(m -> (WireMessage) m));
        return Combinators.combine(basic, Arbitraries.longs()).as(Returned::new);
    }

    private static Arbitrary<List<Assign>> assignLists() {
        return assigns().list().ofMaxSize(3).map(ArrayList::new);
    }

    /** Every kind of wire message, each as likely. */
    public static Arbitrary<WireMessage> messages() {
        Arbitrary<Integer> n = Arbitraries.integers();
        return Arbitraries.oneOf(List.of(
                assigns(), results(), signals(), mails(), returns(),
                Combinators.combine(n, assignLists()).as(TeamTasks::new),
                Combinators.combine(n, n).as(TeamRoom::new),
                Combinators.combine(n, assignLists()).as(TeamRequeue::new),
                n.map(TeamQueued::new),
                Arbitraries.just(new StealChance()),
                Combinators.combine(n, ids().set().ofMaxSize(3).list().ofMaxSize(3), n)
                        .as((thief, free, slots) -> new StealRequest(thief,
                                new ArrayList<>(free), slots)),
                Combinators.combine(n, assignLists()).as(Stolen::new),
                Arbitraries.just(new PeerStealChance()),
                Combinators.combine(ids(), ids().set().ofMaxSize(3), n)
                        .as(PeerStealRequest::new),
                Arbitraries.integers().greaterOrEqual(0).map(PeerStolen::new),
                Combinators.combine(Arbitraries.of(TaskNotice.Kind.class), ids(),
                        Arbitraries.longs(), Arbitraries.integers().greaterOrEqual(1),
                        Arbitraries.oneOf(Arbitraries.just(""), ids()), Arbitraries.longs())
                        .as(TaskNotice::new),
                Combinators.combine(Arbitraries.of(DependencyNotice.Kind.class), ids(),
                        Arbitraries.longs(), errors())
                        .as((kind, id, lookup, error) -> new DependencyNotice(kind, id, lookup,
                                kind == DependencyNotice.Kind.FAILED ? error : null))));
    }

    /** A map with the given entries, in order (for readable test values). */
    public static Map<Object, Object> mapOf(Object... keysAndValues) {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
