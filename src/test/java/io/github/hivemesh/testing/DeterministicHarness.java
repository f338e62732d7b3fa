package io.github.hivemesh.testing;

import io.github.hivemesh.broker.InProcessMessageBroker;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageBrokerConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Runs any set of broker endpoints under a seeded, adversarial, single-threaded schedule: the
 * production {@link InProcessMessageBroker} with its mailboxes on a
 * {@link DeterministicDispatcher} (one message per step), behind a {@link DeterministicBroker}
 * that reorders deliveries across senders while keeping FIFO per pair. Each {@link #step()} is
 * one choice drawn from the seed: release one held message, or run one queued runnable. The
 * same seed gives the same schedule (see {@link #trace()}).
 *
 * <pre>{@code
 * DeterministicHarness h = DeterministicHarness.create(seed, m -> m.type().equals(SIGNAL));
 * IMessageBroker broker = h.broker();      // give this to the peers / the coordinator
 * Executor worker = h.dispatcher();        // and this as their worker executor, if any
 * ... register endpoints, submit work ...
 * while (h.step()) { check oracles: h.quiet(), your task ledger }
 * }</pre>
 *
 * <p>The oracle {@link #quiet()} is computed from the harness's own counts, independently of
 * any completion detector. Not thread-safe: everything runs on the creating thread.
 */
public final class DeterministicHarness implements AutoCloseable {

    private final long seed;
    private final SplittableRandom random;
    private final DeterministicPolicy policy;
    private final Predicate<Message> deferrable;
    private final DeterministicDispatcher dispatcher = new DeterministicDispatcher();
    private final InProcessMessageBroker realBroker;
    private final DeterministicBroker broker;
    private int[] scratch = new int[16];
    private long steps;
    private long trace;

    private DeterministicHarness(long seed, DeterministicPolicy policy,
            Predicate<Message> deferrable, MessageBrokerConfig.Builder brokerConfig) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.policy = policy != null ? policy : DeterministicPolicy.draw(random);
        this.deferrable = Objects.requireNonNull(deferrable, "deferrable");
        this.realBroker = new InProcessMessageBroker(brokerConfig
                .dispatcher(dispatcher)
                .dispatchBatchSize(1)
                .closeTimeout(Duration.ofMillis(1))
                .build());
        this.broker = new DeterministicBroker(realBroker);
    }

    /**
     * A harness with a policy drawn from the seed and a default broker configuration.
     *
     * @param deferrable the messages an adversarial policy delays (e.g. completion signals)
     */
    public static DeterministicHarness create(long seed, Predicate<Message> deferrable) {
        return new DeterministicHarness(seed, null, deferrable, MessageBrokerConfig.builder());
    }

    /**
     * A harness with a given policy (null: drawn from the seed) and broker configuration
     * (its dispatcher, batch size and close timeout are overridden).
     */
    public static DeterministicHarness create(long seed, DeterministicPolicy policy,
            Predicate<Message> deferrable, MessageBrokerConfig.Builder brokerConfig) {
        return new DeterministicHarness(seed, policy, deferrable, brokerConfig);
    }

    /** The seed this schedule replays from. */
    public long seed() {
        return seed;
    }

    /** The seeded source; workloads may draw from it too, keeping one replayable stream. */
    public SplittableRandom random() {
        return random;
    }

    /** The policy of this schedule. */
    public DeterministicPolicy policy() {
        return policy;
    }

    /** The reordering broker every endpoint must use. */
    public DeterministicBroker broker() {
        return broker;
    }

    /** The production broker underneath (for its metrics). */
    public InProcessMessageBroker realBroker() {
        return realBroker;
    }

    /** The executor that runs the mailboxes; usable as a worker executor too. */
    public DeterministicDispatcher dispatcher() {
        return dispatcher;
    }

    /** Steps taken. */
    public long steps() {
        return steps;
    }

    /** A hash of every choice made so far: equal traces mean the same schedule. */
    public long trace() {
        return trace;
    }

    /**
     * Takes one step of the schedule.
     *
     * @return false if nothing could move (no held message, no queued runnable)
     */
    public boolean step() {
        int runnables = dispatcher.pending();
        int channels = broker.readyChannels();
        if (runnables + channels == 0) {
            return false;
        }
        int movable = channels;
        if (channels > 0 && policy.deferral() > 0 && random.nextDouble() < policy.deferral()) {
            movable = collectUndeferred(channels);
        } else {
            fillIdentity(channels);
        }
        boolean release;
        if (movable == 0) {
            release = runnables == 0;
            if (release) {
                movable = channels;
                fillIdentity(channels);
            }
        } else {
            release = runnables == 0 || random.nextDouble() < policy.releaseBias();
        }
        if (release) {
            int choice = scratch[random.nextInt(movable)];
            record(1, choice);
            broker.release(choice);
        } else {
            int choice = pickRunnable(runnables);
            record(2, choice);
            dispatcher.run(choice);
        }
        steps++;
        return true;
    }

    /** Steps until nothing can move or {@code maxSteps} were taken; returns the steps taken. */
    public long runUntilStuck(long maxSteps) {
        long taken = 0;
        while (taken < maxSteps && step()) {
            taken++;
        }
        return taken;
    }

    /** Oracle: no message held or undelivered, no runnable queued. */
    public boolean quiet() {
        return dispatcher.pending() == 0 && broker.inFlight() == 0;
    }

    @Override
    public void close() {
        broker.close();
    }

    private int pickRunnable(int runnables) {
        switch (policy.order()) {
            case OLDEST:
                return 0;
            case NEWEST:
                return runnables - 1;
            default:
                return random.nextInt(runnables);
        }
    }

    private int collectUndeferred(int channels) {
        ensureScratch(channels);
        int n = 0;
        for (int i = 0; i < channels; i++) {
            if (!broker.headMatches(i, deferrable)) {
                scratch[n++] = i;
            }
        }
        return n;
    }

    private void fillIdentity(int channels) {
        ensureScratch(channels);
        for (int i = 0; i < channels; i++) {
            scratch[i] = i;
        }
    }

    private void ensureScratch(int size) {
        if (scratch.length < size) {
            scratch = new int[Math.max(size, scratch.length * 2)];
        }
    }

    private void record(int kind, int choice) {
        trace = trace * 31 + kind * 1_000_003L + choice;
    }
}
