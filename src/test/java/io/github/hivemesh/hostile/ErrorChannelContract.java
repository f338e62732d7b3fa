package io.github.hivemesh.hostile;

import static io.github.hivemesh.hostile.SwarmUnderTest.echo;
import static io.github.hivemesh.hostile.SwarmUnderTest.pass;
import static io.github.hivemesh.hostile.SwarmUnderTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.SwarmSaturatedException;
import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.DuplicateAgentException;
import io.github.hivemesh.agent.UnknownAgentException;
import io.github.hivemesh.task.DuplicateTaskException;
import io.github.hivemesh.task.UnknownDependencyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 13, items 7 and 13, and the error channel decided for the issue: the calls that return
 * a future never throw but for a null or malformed argument — a problem (shutdown, unknown
 * dependency, duplicate id, saturation, unknown agent) fails the future — and a message handler
 * that throws, even an {@code Error}, does not stop delivery.
 */
interface ErrorChannelContract extends SwarmUnderTest {

    /** Calls {@code call}, which must not throw, and returns its future. */
    private static <T> CompletableFuture<T> noThrow(String what,
            Supplier<CompletableFuture<T>> call) {
        List<CompletableFuture<T>> result = new ArrayList<>(1);
        assertThatCode(() -> result.add(call.get())).as(what).doesNotThrowAnyException();
        return result.get(0);
    }

    /**
     * The decided error channel. Each problem a running swarm can have with a legal request
     * fails the returned future with the specific exception; none is thrown.
     */
    @Test
    default void problems_failTheReturnedFuture_insteadOfThrowing() {
        ICoordinator swarm = swarm(config(3).maxPendingTasks(2)
                .saturation(SwarmConfig.Saturation.REJECT));
        CountDownLatch gate = gate();
        swarm.spawnAgent(AgentDefinition.builder().id("w").capabilities("t")
                .maxConcurrentTasks(4).session(ctx -> pass(gate)).build()).join();
        swarm.submitTask(task("same", "t").build());

        Hostile.assertFailsWith(noThrow("a duplicate task id", () ->
                swarm.submitTask(task("same", "t").build())), DuplicateTaskException.class);
        Hostile.assertFailsWith(noThrow("an unknown dependency", () ->
                swarm.submitTask(task("orphan", "t").dependencies("never-submitted").build())),
                UnknownDependencyException.class);
        assertThat(swarm.taskStatus("orphan")).isEmpty();
        swarm.submitTask(task("second", "t").build());
        Hostile.assertFailsWith(noThrow("a saturated swarm refusing", () ->
                swarm.submitTask(task("third", "t").build())), SwarmSaturatedException.class);
        assertThat(swarm.taskStatus("third")).isEmpty();
        Hostile.assertFailsWith(noThrow("a duplicate agent id", () ->
                swarm.spawnAgent(echo("w", "t"))), DuplicateAgentException.class);
        Hostile.assertFailsWith(noThrow("removing an unknown agent", () ->
                swarm.removeAgent("ghost")), UnknownAgentException.class);
        Hostile.assertFailsWith(noThrow("pausing an unknown agent", () ->
                swarm.queryController().pauseAgent("ghost")), UnknownAgentException.class);
        Hostile.assertFailsWith(noThrow("resuming an unknown agent", () ->
                swarm.queryController().resumeAgent("ghost", null)),
                UnknownAgentException.class);
        assertThat(swarm.agents()).extracting(AgentHandle::id).containsExactly("w");
        gate.countDown();
        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join()).isTrue();
        assertThat(swarm.getMetrics().tasksSubmitted()).isEqualTo(2);

        swarm.close();

        Hostile.assertFailsWith(noThrow("submitting after close", () ->
                swarm.submitTask(task("late", "t").build())), SwarmShutdownException.class);
        Hostile.assertFailsWith(noThrow("spawning after close", () ->
                swarm.spawnAgent(echo("late", "t"))), SwarmShutdownException.class);
        assertThat(noThrow("removing after close", () -> swarm.removeAgent("w"))).isDone();
        assertThat(noThrow("pausing after close", () -> swarm.queryController()
                .pauseAgent("w"))).isDone();
        assertThat(noThrow("waiting after close", () -> swarm.waitForCompletion(
                Duration.ofSeconds(1)))).isDone();
    }

    /**
     * Item 13. Pausing or resuming an agent the swarm does not know fails the future with
     * {@link UnknownAgentException}; it does not throw.
     */
    @Test
    default void pauseOrResumeOfAnUnknownAgent_failsTheFuture() {
        ICoordinator swarm = swarm(config(3));
        swarm.spawnAgent(echo("known", "t")).join();

        Hostile.assertFailsWith(noThrow("pauseAgent(\"unknown\")", () ->
                swarm.queryController().pauseAgent("unknown")), UnknownAgentException.class);
        Hostile.assertFailsWith(noThrow("resumeAgent(\"unknown\")", () ->
                swarm.queryController().resumeAgent("unknown", "cp")),
                UnknownAgentException.class);
        assertThat(swarm.queryController().pauseAgent("known").join()).isNull();
    }

    /**
     * Item 13. {@code waitForCompletion} with a negative timeout answers now: true when the
     * swarm is quiescent, false while work runs; it does not throw.
     */
    @Test
    default void waitForCompletion_withANegativeTimeout_answersNow() {
        ICoordinator swarm = swarm(config(3));
        CountDownLatch gate = gate();
        swarm.spawnAgent(AgentDefinition.builder().id("w").capabilities("t")
                .session(ctx -> pass(gate)).build()).join();

        assertThat(noThrow("waiting -5 ms while quiescent", () ->
                swarm.waitForCompletion(Duration.ofMillis(-5))).join()).isTrue();
        swarm.submitTask(task("busy", "t").build());
        assertThat(noThrow("waiting -5 ms while busy", () ->
                swarm.waitForCompletion(Duration.ofMillis(-5))).join()).isFalse();
        gate.countDown();
        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join()).isTrue();
    }

    /** The throwable a handler throws, by name. */
    private static Throwable thrown(String kind) {
        return switch (kind) {
            case "AssertionError" -> new AssertionError("a handler's assertion");
            case "StackOverflowError" -> new StackOverflowError("a handler's overflow");
            case "IllegalStateException" -> new IllegalStateException("a handler's bug");
            default -> new Exception("a handler's checked exception");
        };
    }

    /**
     * Item 7. A message handler throws once — an {@code Error} as well as an exception — on the
     * first of twenty messages: the other nineteen are delivered, in order, and so are the
     * messages sent afterwards.
     */
    @ParameterizedTest
    @ValueSource(strings = {"AssertionError", "StackOverflowError", "IllegalStateException",
        "Exception"})
    default void handlerThrowingOnce_doesNotStopDelivery(String kind) {
        ICoordinator swarm = swarm(config(3));
        List<Object> received = new CopyOnWriteArrayList<>();
        AtomicBoolean threw = new AtomicBoolean();
        swarm.spawnAgent(AgentDefinition.builder().id("listener").capabilities("listen")
                .session(ctx -> null)
                .messageHandler(message -> {
                    if (Integer.valueOf(0).equals(message.payload()) && threw.compareAndSet(false,
                            true)) {
                        Throwable t = thrown(kind);
                        if (t instanceof Error error) {
                            throw error;
                        }
                        throw (Exception) t;
                    }
                    received.add(message.payload());
                }).build()).join();
        swarm.spawnAgent(AgentDefinition.builder().id("talker").capabilities("talk")
                .session(ctx -> {
                    int from = (Integer) ctx.task().payload();
                    for (int i = from; i < from + 20; i++) {
                        ctx.sendToPeer("listener", "note", i).join();
                    }
                    return null;
                }).build()).join();

        swarm.submitTask(task("first", "talk").payload(0).build()).join();
        List<Object> expected = new ArrayList<>();
        for (int i = 1; i < 20; i++) {
            expected.add(i);
        }
        // an Error escaping to a library thread is not the failure looked for: lost delivery is
        Hostile.waiting().atMost(Duration.ofSeconds(10)).dontCatchUncaughtExceptions()
                .alias("messages 1 to 19 delivered after the handler threw " + kind)
                .until(() -> received.size() >= 19);
        assertThat(received).isEqualTo(expected);
        assertThat(threw).isTrue();

        swarm.submitTask(task("later", "talk").payload(20).build()).join();
        for (int i = 20; i < 40; i++) {
            expected.add(i);
        }
        Hostile.waiting().atMost(Duration.ofSeconds(10)).dontCatchUncaughtExceptions()
                .alias("messages sent later delivered").until(() -> received.size() >= 39);
        assertThat(received).isEqualTo(expected);
        assertThat(swarm.waitForCompletion(Hostile.WEDGE).join()).isTrue();
    }
}
