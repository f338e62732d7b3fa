package io.github.hivemesh.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.agent.AgentHandle;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.task.TaskState;
import io.github.hivemesh.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the hostile-use tests share: reading why a future failed without depending on how the
 * library wraps the reason, turning a call that throws into a failed future (for tests whose
 * subject is something else), the ids a hostile user picks, and a seed.
 */
final class Hostile {

    /** How long a test waits for something that must happen. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    /** How long a test waits for completion that a wedged swarm would never report. */
    static final Duration WEDGE = Duration.ofSeconds(10);

    /** Whether this run is the opt-in long one ({@code -Dhivemesh.scale=long}). */
    static final boolean LONG = "long".equals(System.getProperty("hivemesh.scale"));

    private Hostile() {
    }

    /**
     * The seed of a randomized test: {@code -Dhivemesh.seed=N} when given (to replay), else
     * {@code fallback}, which keeps the default suite's choices the same from run to run.
     */
    static long seed(long fallback) {
        return Long.getLong("hivemesh.seed", fallback);
    }

    /**
     * Awaitility, bounded by {@link #PATIENCE}, checking at once and then every 2 ms (the
     * default first check comes after 100 ms, which thousands of rounds cannot afford).
     */
    static ConditionFactory waiting() {
        return await().atMost(PATIENCE).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2));
    }

    /** The replay hint a failing randomized test prints. */
    static String replay(String test, long seed) {
        return test + " failed with seed " + seed + "; replay: mvn -B test -Djacoco.skip=true"
                + " -Dtest='" + test + "' -Dhivemesh.seed=" + seed;
    }

    /** The exception of {@code type} in {@code failure}'s cause chain, or null. */
    static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Whether {@code type} is in {@code failure}'s cause chain. */
    static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        return causeOf(failure, type) != null;
    }

    /** The cause chain, for a failure message. */
    static String chain(Throwable failure) {
        StringBuilder out = new StringBuilder();
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (out.length() > 0) {
                out.append(" <- ");
            }
            out.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return out.toString();
    }

    /**
     * Waits (bounded) for the future to complete, checks it failed, and returns the throwable it
     * failed with, as {@code handle} sees it (possibly a wrapper: read it with {@link #causeOf}).
     */
    static Throwable failure(CompletableFuture<?> future) {
        if (!future.isDone()) {
            waiting().until(future::isDone);
        }
        assertThat(future).as("a future expected to fail").isCompletedExceptionally();
        return future.handle((value, error) -> error).join();
    }

    /** Waits up to {@code bound} for the future; whether it is done. */
    static boolean doneWithin(CompletableFuture<?> future, Duration bound) {
        try {
            waiting().atMost(bound).until(future::isDone);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** The future's failure now, or null if it is not done or did not fail. */
    static Throwable failureNow(CompletableFuture<?> future) {
        if (!future.isDone() || !future.isCompletedExceptionally()) {
            return null;
        }
        return future.handle((value, error) -> error).join();
    }

    /** Asserts the future fails (bounded wait) with {@code type} somewhere in its cause chain. */
    static <T extends Throwable> T assertFailsWith(CompletableFuture<?> future, Class<T> type) {
        Throwable failure = failure(future);
        T found = causeOf(failure, type);
        assertThat(found).as("%s in the cause chain of: %s", type.getSimpleName(),
                chain(failure)).isNotNull();
        return found;
    }

    /**
     * Calls {@code call}; a synchronous exception becomes a failed future. For tests whose
     * subject is not the error channel (that one is asserted on its own).
     */
    static <T> CompletableFuture<T> caught(Supplier<CompletableFuture<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The agent's state, through the public handles; empty if it is not listed. */
    static Optional<AgentState> agentState(ICoordinator swarm, String agentId) {
        return swarm.agents().stream().filter(a -> a.id().equals(agentId)).findFirst()
                .map(AgentHandle::state);
    }

    /** Waits until the agent is listed and idle (the hierarchy settles states just after). */
    static void awaitIdle(ICoordinator swarm, String agentId) {
        waiting().until(() -> agentState(swarm, agentId)
                .orElse(AgentState.TERMINATED) == AgentState.IDLE);
    }

    /** The ids among {@code taskIds} whose status is known and not terminal. */
    static List<String> live(ICoordinator swarm, Collection<String> taskIds) {
        List<String> live = new ArrayList<>();
        for (String id : taskIds) {
            Optional<TaskStatus> status = swarm.taskStatus(id);
            if (status.isPresent() && !status.get().state().isTerminal()) {
                live.add(id + "=" + status.get().state());
            }
        }
        return live;
    }

    /** The task's state, or null if the swarm does not know (or no longer remembers) it. */
    static TaskState stateOf(ICoordinator swarm, String taskId) {
        return swarm.taskStatus(taskId).map(TaskStatus::state).orElse(null);
    }

    /** Runs {@code body} {@code frames} calls deep: code called from deep in a caller's stack. */
    static void deep(int frames, Runnable body) {
        if (frames <= 0) {
            body.run();
        } else {
            deep(frames - 1, body);
        }
    }

    /**
     * A user's clock that takes its time to answer — a wrapper that reads a slow source, say:
     * every reading spins for {@code nanos}. Legal for {@code SwarmConfig.clock}, and it
     * widens every window between two steps of the library that read the clock in between.
     */
    static final class SlowClock extends Clock {
        private final Clock base;
        private final long nanos;

        SlowClock(Clock base, long nanos) {
            this.base = base;
            this.nanos = nanos;
        }

        @Override
        public ZoneId getZone() {
            return base.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new SlowClock(base.withZone(zone), nanos);
        }

        @Override
        public Instant instant() {
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return base.instant();
        }
    }

    // ---- ids a hostile user picks ---------------------------------------------------------

    /** {@code n} upper-case letters. */
    static String upper(int n) {
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append((char) ('A' + i % 26));
        }
        return out.toString();
    }

    /** {@code n} lower-case letters. */
    static String lower(int n) {
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append((char) ('a' + i % 26));
        }
        return out.toString();
    }

    /** {@code n} CJK ideographs (three UTF-8 bytes each). */
    static String cjk(int n) {
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append((char) (0x4E00 + (i * 7) % 0x5000));
        }
        return out.toString();
    }

    /**
     * {@code n} characters ({@code String.length()}) of everything an id may hold: upper and
     * lower case, digits, CJK, separators a file system or a key format cares about
     * ({@code / \ . : * ? space}), and a character outside the BMP (a surrogate pair).
     */
    static String odd(int n) {
        String alphabet = "Ab9/\\.:*? _-%\u4e2d\u00e9\u0394";
        StringBuilder out = new StringBuilder(n);
        int i = 0;
        while (out.length() < n) {
            if (out.length() <= n - 2 && i % 11 == 5) {
                out.append("\ud83d\ude00");
            } else {
                out.append(alphabet.charAt(i % alphabet.length()));
            }
            i++;
        }
        return out.toString();
    }

    /** {@code base} cut or padded (with {@code '-'}) to exactly {@code n} characters, ending in {@code tag}. */
    static String sized(String base, int n, String tag) {
        String head = base.length() >= n - tag.length() ? base.substring(0, n - tag.length())
                : base + "-".repeat(n - tag.length() - base.length());
        if (Character.isHighSurrogate(head.charAt(head.length() - 1))) {
            head = head.substring(0, head.length() - 1) + "-";
        }
        return head + tag;
    }
}
