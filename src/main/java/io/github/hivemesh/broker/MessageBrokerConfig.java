package io.github.hivemesh.broker;

import static io.github.hivemesh.internal.util.Preconditions.MAX_TIMER;
import static io.github.hivemesh.internal.util.Preconditions.checkPositive;
import static io.github.hivemesh.internal.util.Preconditions.checkRange;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Configuration of an {@link InProcessMessageBroker}; immutable, built by {@link #builder()}.
 *
 * <p>Without an injected {@link #dispatcher()}, the broker creates its own pool of
 * {@link #dispatcherThreads()} daemon threads and stops them on {@code close()}. An injected
 * executor is used as is and never shut down by the broker: that is how a test runs the broker
 * under a deterministic scheduler, and how an application shares one pool.
 */
public final class MessageBrokerConfig {

    /** Default user-message capacity of one mailbox. */
    public static final int DEFAULT_MAILBOX_CAPACITY = 10_000;
    /** Default number of messages one mailbox delivers before yielding its dispatcher thread. */
    public static final int DEFAULT_DISPATCH_BATCH_SIZE = 256;
    /** Default number of spin-waits an empty mailbox makes for a next message before idling. */
    public static final int DEFAULT_IDLE_SPINS = 128;
    /** Default time {@code close()} waits for queued messages to be delivered. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final int mailboxCapacity;
    private final int dispatchBatchSize;
    private final Executor dispatcher;
    private final int dispatcherThreads;
    private final Duration closeTimeout;
    private final boolean countByType;
    private final int idleSpins;

    private MessageBrokerConfig(Builder b) {
        this.mailboxCapacity = b.mailboxCapacity;
        this.dispatchBatchSize = b.dispatchBatchSize;
        this.dispatcher = b.dispatcher;
        this.dispatcherThreads = b.dispatcherThreads;
        this.closeTimeout = b.closeTimeout;
        this.countByType = b.countByType;
        this.idleSpins = b.idleSpins;
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the default configuration} */
    public static MessageBrokerConfig defaults() {
        return builder().build();
    }

    /** {@return user messages (tasks, user payloads) one mailbox holds before refusing more} */
    public int mailboxCapacity() {
        return mailboxCapacity;
    }

    /**
     * {@return messages one mailbox delivers in a row before giving its thread to another mailbox}
     */
    public int dispatchBatchSize() {
        return dispatchBatchSize;
    }

    /** {@return the injected dispatcher executor, or empty when the broker owns its threads} */
    public Optional<Executor> dispatcher() {
        return Optional.ofNullable(dispatcher);
    }

    /** {@return threads of the broker's own pool, used only when no dispatcher is injected} */
    public int dispatcherThreads() {
        return dispatcherThreads;
    }

    /** {@return how long {@code close()} waits for queued messages to be delivered} */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** {@return whether the broker keeps a delivered-message count per message type} */
    public boolean countByType() {
        return countByType;
    }

    /**
     * {@return how many times an emptied mailbox spin-waits for a next message before it gives its
     * dispatcher thread back (a streaming sender avoids a thread wake-up per burst this way)}
     */
    public int idleSpins() {
        return idleSpins;
    }

    /** {@return a builder starting from this configuration} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.mailboxCapacity = mailboxCapacity;
        b.dispatchBatchSize = dispatchBatchSize;
        b.dispatcher = dispatcher;
        b.dispatcherThreads = dispatcherThreads;
        b.closeTimeout = closeTimeout;
        b.countByType = countByType;
        b.idleSpins = idleSpins;
        return b;
    }

    @Override
    public String toString() {
        return "MessageBrokerConfig[mailboxCapacity=" + mailboxCapacity
                + ", dispatchBatchSize=" + dispatchBatchSize
                + ", dispatcher=" + (dispatcher == null ? "owned" : dispatcher)
                + ", dispatcherThreads=" + dispatcherThreads
                + ", closeTimeout=" + closeTimeout
                + ", countByType=" + countByType
                + ", idleSpins=" + idleSpins + "]";
    }

    /** Builds a {@link MessageBrokerConfig}; every setter validates at {@link #build()}. */
    public static final class Builder {
        private int mailboxCapacity = DEFAULT_MAILBOX_CAPACITY;
        private int dispatchBatchSize = DEFAULT_DISPATCH_BATCH_SIZE;
        private Executor dispatcher;
        private int dispatcherThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private boolean countByType = true;
        private int idleSpins = DEFAULT_IDLE_SPINS;

        private Builder() {
        }

        /**
         * User messages one mailbox holds, in [1, 2^30].
         *
         * @param capacity user messages (tasks, user payloads) one mailbox holds before refusing
         *     more
         * @return this builder
         */
        public Builder mailboxCapacity(int capacity) {
            this.mailboxCapacity = capacity;
            return this;
        }

        /**
         * Messages delivered per turn of a mailbox, in [1, 65536].
         *
         * @param batchSize messages one mailbox delivers in a row before giving its thread to
         *     another mailbox
         * @return this builder
         */
        public Builder dispatchBatchSize(int batchSize) {
            this.dispatchBatchSize = batchSize;
            return this;
        }

        /**
         * Runs mailboxes on this executor instead of a pool of the broker's own.
         *
         * @param executor the injected dispatcher executor, or empty when the broker owns its
         *     threads
         * @return this builder
         */
        public Builder dispatcher(Executor executor) {
            this.dispatcher = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Size of the broker's own pool, in [1, 1024]; ignored with an injected dispatcher.
         *
         * @param threads threads of the broker's own pool, used only when no dispatcher is injected
         * @return this builder
         */
        public Builder dispatcherThreads(int threads) {
            this.dispatcherThreads = threads;
            return this;
        }

        /**
         * How long {@code close()} waits for queued messages; positive, at most 10 years.
         *
         * @param timeout how long {@code close()} waits for queued messages to be delivered
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Keep a per-type count of delivered messages (on by default).
         *
         * @param enabled whether the broker keeps a delivered-message count per message type
         * @return this builder
         */
        public Builder countByType(boolean enabled) {
            this.countByType = enabled;
            return this;
        }

        /**
         * Spin-waits of an emptied mailbox before idling, in [0, 100000]; 0 never spins.
         *
         * @param spins how many times an emptied mailbox spin-waits for a next message before it
         *     gives its dispatcher thread back (a streaming sender avoids a thread wake-up per
         *     burst this way)
         * @return this builder
         */
        public Builder idleSpins(int spins) {
            this.idleSpins = spins;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return a new {@code MessageBrokerConfig} with this builder's settings
         */
        public MessageBrokerConfig build() {
            checkRange("idleSpins", idleSpins, 0, 100_000);
            checkRange("mailboxCapacity", mailboxCapacity, 1, 1 << 30);
            checkRange("dispatchBatchSize", dispatchBatchSize, 1, 65_536);
            checkRange("dispatcherThreads", dispatcherThreads, 1, 1024);
            checkPositive("closeTimeout", closeTimeout, MAX_TIMER);
            return new MessageBrokerConfig(this);
        }
    }
}
