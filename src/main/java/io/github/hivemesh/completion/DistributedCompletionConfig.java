package io.github.hivemesh.completion;

import static io.github.hivemesh.internal.util.Preconditions.checkPositive;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Configuration of a completion detector; immutable, built by {@link #builder()}. It keeps the
 * seed's fields. Two of them, {@link #probeRetryInterval()} and {@link #maxRetries()}, and
 * {@link #checkpointsEnabled()}, have no effect on real Dijkstra–Scholten in one JVM (their
 * Javadoc says why); they are validated and kept so that seed configurations carry over and a
 * future multi-JVM broker can use them.
 *
 * <p>Time comes from {@link #clock()}, and timeouts run on {@link #scheduler()} when one is
 * injected. Without one, timeouts use the JDK's shared {@code CompletableFuture} delayer: the
 * detector never starts a thread of its own.
 */
public final class DistributedCompletionConfig {

    /** Default timeout of {@code detectCompletion(swarmId)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** Default probe retry interval (no effect in one JVM). */
    public static final Duration DEFAULT_PROBE_RETRY_INTERVAL = Duration.ofMillis(100);
    /** Default number of probe retries (no effect in one JVM). */
    public static final int DEFAULT_MAX_RETRIES = 3;
    /** Most probe retries accepted. */
    public static final int MAX_RETRIES_LIMIT = 1_000;
    /** Default number of acknowledgments a peer combines into one signal: 1, none combined. */
    public static final int DEFAULT_SIGNAL_BATCH_SIZE = 1;
    /** Most acknowledgments one signal may combine. */
    public static final int MAX_SIGNAL_BATCH_SIZE = 4_096;

    private final Duration defaultTimeout;
    private final Duration probeRetryInterval;
    private final int maxRetries;
    private final boolean checkpointsEnabled;
    private final int signalBatchSize;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    private DistributedCompletionConfig(Builder b) {
        this.defaultTimeout = b.defaultTimeout;
        this.probeRetryInterval = b.probeRetryInterval;
        this.maxRetries = b.maxRetries;
        this.checkpointsEnabled = b.checkpointsEnabled;
        this.signalBatchSize = b.signalBatchSize;
        this.clock = b.clock;
        this.scheduler = b.scheduler;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the default configuration} */
    public static DistributedCompletionConfig defaults() {
        return builder().build();
    }

    /**
     * {@return how long {@code detectCompletion(swarmId)} waits before completing {@code false}}
     */
    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    /**
     * {@return the seed's interval between probe retries} No effect in one JVM: Dijkstra–Scholten
     * sends no probes to retry; each basic message is acknowledged by exactly one signal, and the
     * in-process broker never loses an accepted control message.
     */
    public Duration probeRetryInterval() {
        return probeRetryInterval;
    }

    /** {@return the seed's number of probe retries} No effect in one JVM, for the same reason. */
    public int maxRetries() {
        return maxRetries;
    }

    /**
     * {@return the seed's detector checkpoints} No effect in one JVM: the detector's state lives
     * and dies with the swarm's mailboxes, so there is nothing to restore it into.
     */
    public boolean checkpointsEnabled() {
        return checkpointsEnabled;
    }

    /**
     * How many acknowledgments an engaged peer may combine into one signal. At 1 (the default)
     * it signals each basic message at once, as rule 2 reads. Above 1 it holds the
     * acknowledgments of the basic messages it receives while engaged and sends them, one
     * signal per sender, when it is idle in that tree again, when it detaches (its parent's
     * acknowledgment rides with the others to the parent), or when {@code signalBatchSize} of
     * them wait for one sender. Holding a signal back while busy is safe (the sender stays
     * engaged a little longer, never less), and flushing at idle at the latest keeps detection
     * live: a cycle of peers each holding the other's acknowledgment cannot form among idle
     * peers. It trades signal messages (cluster mode: bytes on the network) for a sender's
     * deficit lasting until the receiver's next idle moment.
     *
     * @return how many acknowledgments one signal may carry
     */
    public int signalBatchSize() {
        return signalBatchSize;
    }

    /** {@return the clock detection times are measured with} */
    public Clock clock() {
        return clock;
    }

    /** {@return the injected scheduler for timeouts, or empty to use the JDK's shared delayer} */
    public Optional<ScheduledExecutorService> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    /** {@return a builder starting from this configuration} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.defaultTimeout = defaultTimeout;
        b.probeRetryInterval = probeRetryInterval;
        b.maxRetries = maxRetries;
        b.checkpointsEnabled = checkpointsEnabled;
        b.signalBatchSize = signalBatchSize;
        b.clock = clock;
        b.scheduler = scheduler;
        return b;
    }

    @Override
    public String toString() {
        return "DistributedCompletionConfig[defaultTimeout=" + defaultTimeout
                + ", probeRetryInterval=" + probeRetryInterval
                + ", maxRetries=" + maxRetries
                + ", checkpointsEnabled=" + checkpointsEnabled
                + ", signalBatchSize=" + signalBatchSize
                + ", clock=" + clock
                + ", scheduler=" + (scheduler == null ? "JDK delayer" : scheduler) + "]";
    }

    /** Builds a {@link DistributedCompletionConfig}; values are validated at {@link #build()}. */
    public static final class Builder {
        private Duration defaultTimeout = DEFAULT_TIMEOUT;
        private Duration probeRetryInterval = DEFAULT_PROBE_RETRY_INTERVAL;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private boolean checkpointsEnabled;
        private int signalBatchSize = DEFAULT_SIGNAL_BATCH_SIZE;
        private Clock clock = Clock.systemUTC();
        private ScheduledExecutorService scheduler;

        private Builder() {
        }

        /**
         * Timeout of {@code detectCompletion(swarmId)}; positive.
         *
         * @param defaultTimeout how long {@code detectCompletion(swarmId)} waits before completing
         *     {@code false}
         * @return this builder
         */
        public Builder defaultTimeout(Duration defaultTimeout) {
            this.defaultTimeout = Objects.requireNonNull(defaultTimeout, "defaultTimeout");
            return this;
        }

        /**
         * The seed's probe retry interval; positive (no effect in one JVM).
         *
         * @param interval the seed's interval between probe retries
         * @return this builder
         */
        public Builder probeRetryInterval(Duration interval) {
            this.probeRetryInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * The seed's probe retries, in [0, 1000] (no effect in one JVM).
         *
         * @param retries the seed's number of probe retries
         * @return this builder
         */
        public Builder maxRetries(int retries) {
            this.maxRetries = retries;
            return this;
        }

        /**
         * The seed's detector checkpoints (no effect in one JVM).
         *
         * @param enabled the seed's detector checkpoints
         * @return this builder
         */
        public Builder checkpointsEnabled(boolean enabled) {
            this.checkpointsEnabled = enabled;
            return this;
        }

        /**
         * Acknowledgments an engaged peer may combine into one signal, in [1, 4096]; 1 (the
         * default) signals each basic message at once. See
         * {@link DistributedCompletionConfig#signalBatchSize()}.
         *
         * @param size acknowledgments per signal at most
         * @return this builder
         */
        public Builder signalBatchSize(int size) {
            this.signalBatchSize = size;
            return this;
        }

        /**
         * The clock for detection times (default: the system UTC clock).
         *
         * @param clock the clock detection times are measured with
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Runs timeouts on this scheduler; the detector never shuts it down.
         *
         * @param scheduler the injected scheduler for timeouts, or empty to use the JDK's shared
         *     delayer
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return a new {@code DistributedCompletionConfig} with this builder's settings
         */
        public DistributedCompletionConfig build() {
            checkPositive("defaultTimeout", defaultTimeout);
            checkPositive("probeRetryInterval", probeRetryInterval);
            checkRange("maxRetries", maxRetries, 0, MAX_RETRIES_LIMIT);
            checkRange("signalBatchSize", signalBatchSize, 1, MAX_SIGNAL_BATCH_SIZE);
            return new DistributedCompletionConfig(this);
        }
    }
}
