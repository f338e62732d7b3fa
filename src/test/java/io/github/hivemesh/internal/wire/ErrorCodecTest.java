package io.github.hivemesh.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.artifact.ArtifactStorageException;
import io.github.hivemesh.broker.BrokerException;
import io.github.hivemesh.task.DependencyFailedException;
import io.github.hivemesh.task.TaskTimeoutException;
import io.github.hivemesh.testing.WireArbitraries;
import io.github.hivemesh.wire.RemoteTaskException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class ErrorCodecTest {

    private final ErrorCodec codec = ErrorCodec.INSTANCE;

    private Throwable roundTrip(Throwable error) {
        return codec.decode(codec.encode(error));
    }

    // ---- the library's own exceptions arrive as themselves ---------------------------------

    @Property(tries = 500)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void libraryException_arrivesAsItself_withItsMessageValuesAndFrames(
            @ForAll("libraryErrors") Throwable error) {
        Throwable decoded = roundTrip(error);

        assertThat(decoded).isExactlyInstanceOf(error.getClass());
        assertThat(decoded.getMessage()).isEqualTo(error.getMessage());
        assertThat(values(decoded)).isEqualTo(values(error)).isNotEmpty();
        assertThat(frames(decoded)).isEqualTo(frames(error)).isNotEmpty();
        assertThat(decoded.getCause()).isNull();
        Statistics.collect(error.getClass().getSimpleName());
        Statistics.coverage(checker -> {
            for (Class<?> type : ErrorCodec.libraryTypes()) {
                checker.check(type.getSimpleName()).count(n -> n > 0);
            }
        });
    }

    @Provide
    Arbitrary<Throwable> libraryErrors() {
        return WireArbitraries.libraryErrors();
    }

    // ---- anything else arrives as a RemoteTaskException ------------------------------------

    @Property(tries = 300)
    void foreignException_arrivesAsRemoteTaskException_namingItsClassMessageAndStack(
            @ForAll("foreignErrors") Throwable error) {
        Throwable decoded = roundTrip(error);

        assertThat(decoded).isExactlyInstanceOf(RemoteTaskException.class);
        RemoteTaskException remote = (RemoteTaskException) decoded;
        assertThat(remote.remoteClassName()).isEqualTo(error.getClass().getName());
        assertThat(remote.remoteMessage()).isEqualTo(error.getMessage());
        assertThat(remote.getMessage()).startsWith(error.getClass().getName());
        assertThat(remote.remoteStackTrace()).startsWith(error.toString())
                .contains("\tat " + error.getStackTrace()[0]);
        if (error.getCause() != null) {
            assertThat(remote.remoteStackTrace()).contains("Caused by: " + error.getCause());
        }
        assertThat(remote.getCause()).isNull();
    }

    @Provide
    Arbitrary<Throwable> foreignErrors() {
        return WireArbitraries.foreignErrors();
    }

    @Test
    void remoteTaskException_travelsAsItself_keepingTheOriginalClassName() {
        RemoteTaskException remote = new RemoteTaskException("com.example.Boom", "bang",
                "com.example.Boom: bang\n\tat x.y(Z.java:1)\n");

        RemoteTaskException decoded = (RemoteTaskException) roundTrip(remote);

        assertThat(decoded.remoteClassName()).isEqualTo("com.example.Boom");
        assertThat(decoded.remoteMessage()).isEqualTo("bang");
        assertThat(decoded.remoteStackTrace()).isEqualTo(remote.remoteStackTrace());
    }

    // ---- chains ----------------------------------------------------------------------------

    @Test
    void cause_travelsAsTheNextLink_eachAsWhatItIs() {
        ArtifactStorageException error = new ArtifactStorageException("cannot store",
                new BrokerException("broker down", new IOException("disk full")));

        Throwable decoded = roundTrip(error);

        assertThat(decoded).isExactlyInstanceOf(ArtifactStorageException.class)
                .hasMessage("cannot store");
        assertThat(decoded.getCause()).isExactlyInstanceOf(BrokerException.class)
                .hasMessage("broker down");
        assertThat(decoded.getCause().getCause()).isExactlyInstanceOf(RemoteTaskException.class)
                .hasMessage("java.io.IOException: disk full");
    }

    @Test
    void causeOfAnExceptionWithoutCauseConstructor_isAttachedOnArrival() {
        DependencyFailedException error = new DependencyFailedException("t", "d");
        error.initCause(new SwarmShutdownException("closing"));

        Throwable decoded = roundTrip(error);

        assertThat(decoded.getCause()).isExactlyInstanceOf(SwarmShutdownException.class)
                .hasMessage("closing");
    }

    @Test
    void foreignCause_isFlattenedIntoTheRemoteText_andEndsTheChain() {
        IllegalStateException error = new IllegalStateException("outer",
                new DependencyFailedException("t", "d"));

        RemoteTaskException decoded = (RemoteTaskException) roundTrip(error);

        assertThat(decoded.remoteStackTrace()).contains("Caused by: "
                + DependencyFailedException.class.getName() + ": task 't' did not run");
        assertThat(decoded.getCause()).isNull();
    }

    @Test
    void causeCycle_isCut() {
        BrokerException a = new BrokerException("a");
        ArtifactFormatException b = new ArtifactFormatException("b", a);
        a.initCause(b);

        Throwable decoded = roundTrip(a);

        assertThat(decoded).hasMessage("a");
        assertThat(decoded.getCause()).hasMessage("b");
        assertThat(decoded.getCause().getCause()).isNull();
    }

    @Test
    void longChain_isCutAtEightLinks_theRestInTheLastOnesText() {
        Throwable error = new BrokerException("link 19");
        for (int i = 18; i >= 0; i--) {
            error = new BrokerException("link " + i, error);
        }

        Throwable decoded = roundTrip(error);

        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = decoded; t != null; t = t.getCause()) {
            chain.add(t);
        }
        assertThat(chain).hasSize(ErrorCodec.MAX_LINKS);
        assertThat(chain.get(6)).isExactlyInstanceOf(BrokerException.class).hasMessage("link 6");
        RemoteTaskException last = (RemoteTaskException) chain.get(7);
        assertThat(last.remoteClassName()).isEqualTo(BrokerException.class.getName());
        assertThat(last.remoteMessage()).isEqualTo("link 7");
        assertThat(last.remoteStackTrace()).contains("Caused by: " + BrokerException.class.getName()
                + ": link 19");
    }

    // ---- what cannot rebuild goes as remote ------------------------------------------------

    @Test
    void libraryExceptionWithANullValue_travelsAsRemote_ratherThanFailingTheResult() {
        TaskTimeoutException error = new TaskTimeoutException("t", null);

        Throwable decoded = roundTrip(error);

        assertThat(decoded).isExactlyInstanceOf(RemoteTaskException.class)
                .hasMessage(TaskTimeoutException.class.getName() + ": " + error.getMessage());
    }

    @Test
    void subclassOfALibraryException_isNotTheLibrarys() {
        Throwable decoded = roundTrip(new WireArbitraries.LateDependency("t", "d"));

        assertThat(((RemoteTaskException) decoded).remoteClassName())
                .isEqualTo(WireArbitraries.LateDependency.class.getName());
    }

    @Test
    void hugeMessagesAndTexts_areCut_soAnErrorAlwaysEncodes() {
        String huge = "x".repeat(2 * 1024 * 1024);
        Throwable decoded = roundTrip(new IllegalStateException(huge));
        Throwable library = roundTrip(new SwarmShutdownException(huge));

        RemoteTaskException remote = (RemoteTaskException) decoded;
        assertThat(remote.remoteMessage()).hasSize(ErrorCodec.MAX_VALUE_CHARS)
                .endsWith("more characters cut)");
        assertThat(remote.remoteStackTrace()).hasSize(ErrorCodec.MAX_TEXT_CHARS);
        assertThat(library).isExactlyInstanceOf(RemoteTaskException.class);
    }

    // ---- the format ------------------------------------------------------------------------

    @Test
    void decode_handWrittenLinks_byTheDocumentedCodes() throws IOException {
        byte[] link = bytes(p -> {
            p.packString("hivemesh.wire.ErrorLink").packInt(1).packMapHeader(7);
            p.packInt(1).packInt(6);
            p.packInt(2).packString("ignored.on.Arrival");
            p.packInt(10).packString("t-1");
            p.packInt(24).packLong(90);
            p.packInt(25).packLong(5);
            p.packInt(5).packArrayHeader(1).packString("a.B");
            p.packInt(99).packString("a field of a newer version");
        });

        assertThatThrownBy(() -> codec.decode(error(link)))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("the frame arrays differ in length");

        byte[] valid = bytes(p -> {
            p.packString("hivemesh.wire.ErrorLink").packInt(1).packMapHeader(4);
            p.packInt(1).packInt(6);
            p.packInt(2).packString("ignored.on.Arrival");
            p.packInt(10).packString("t-1");
            p.packInt(24).packLong(90);
        });
        byte[] withNanos = bytes(p -> {
            p.packString("hivemesh.wire.ErrorLink").packInt(1).packMapHeader(5);
            p.packInt(1).packInt(6);
            p.packInt(2).packString("ignored.on.Arrival");
            p.packInt(10).packString("t-1");
            p.packInt(24).packLong(90);
            p.packInt(25).packLong(5);
        });

        assertThatThrownBy(() -> codec.decode(error(valid)))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("link 0 (code 6): required field 25 (nanos) is missing");
        TaskTimeoutException timeout = (TaskTimeoutException) codec.decode(error(withNanos));
        assertThat(timeout.taskId()).isEqualTo("t-1");
        assertThat(timeout.timeout()).isEqualTo(Duration.ofSeconds(90, 5));
        assertThat(timeout.getStackTrace()).isEmpty();
    }

    @Test
    void decode_unknownCodeOfANewerWriter_arrivesAsRemote_withItsFramesAsText()
            throws IOException {
        byte[] link = bytes(p -> {
            p.packString("hivemesh.wire.ErrorLink").packInt(1).packMapHeader(7);
            p.packInt(1).packInt(999);
            p.packInt(2).packString("io.github.hivemesh.FutureException");
            p.packInt(3).packString("from the future");
            p.packInt(5).packArrayHeader(1).packString("a.B");
            p.packInt(6).packArrayHeader(1).packString("run");
            p.packInt(7).packArrayHeader(1).packString("B.java");
            p.packInt(8).packArrayHeader(1).packLong(7);
        });

        RemoteTaskException decoded = (RemoteTaskException) codec.decode(error(link));

        assertThat(decoded.remoteClassName()).isEqualTo("io.github.hivemesh.FutureException");
        assertThat(decoded.remoteMessage()).isEqualTo("from the future");
        assertThat(decoded.remoteStackTrace()).isEqualTo("io.github.hivemesh.FutureException:"
                + " from the future" + System.lineSeparator() + "\tat a.B.run(B.java:7)");
    }

    @Test
    void decode_noLinksOrTooMany_isAFormatError() throws IOException {
        byte[] none = bytes(p -> p.packString("hivemesh.wire.Error").packInt(1).packMapHeader(1)
                .packInt(1).packArrayHeader(0));
        byte[] link = ErrorLinkCodec.INSTANCE.encode(new ErrorLinkCodec.Link(1, "X", null, "",
                new StackTraceElement[0], Map.of()));
        byte[] nine = bytes(p -> {
            p.packString("hivemesh.wire.Error").packInt(1).packMapHeader(1);
            p.packInt(1).packArrayHeader(9);
            for (int i = 0; i < 9; i++) {
                p.packBinaryHeader(link.length).writePayload(link);
            }
        });

        assertThatThrownBy(() -> codec.decode(none)).hasMessageContaining("1 to 8 links, this one 0");
        assertThatThrownBy(() -> codec.decode(nine)).hasMessageContaining("this one 9");
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** The values a library exception's own accessors give, by name. */
    static Map<String, Object> values(Throwable error) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Method method : error.getClass().getMethods()) {
            if (method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                    && method.getDeclaringClass().getName().startsWith("io.github.hivemesh")) {
                try {
                    values.put(method.getName(), method.invoke(error));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        values.put("message", error.getMessage());
        return values;
    }

    /** Class, method, file and line of each frame (what the codec carries). */
    static List<String> frames(Throwable error) {
        return Arrays.stream(error.getStackTrace()).map(f -> f.getClassName() + "."
                + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                .toList();
    }

    private static byte[] error(byte[] link) throws IOException {
        return bytes(p -> {
            p.packString("hivemesh.wire.Error").packInt(1).packMapHeader(1);
            p.packInt(1).packArrayHeader(1).packBinaryHeader(link.length).writePayload(link);
        });
    }

    private interface Packing {
        void pack(MessageBufferPacker packer) throws IOException;
    }

    private static byte[] bytes(Packing packing) throws IOException {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            packing.pack(p);
            return p.toByteArray();
        }
    }
}
