package io.github.hivemesh.internal;

import io.github.hivemesh.broker.Message;
import io.github.hivemesh.broker.MessageHandler;
import io.github.hivemesh.internal.wire.UserMail;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's application messages on their way to its {@link MessageHandler}: the handler runs
 * on the worker executor (it may block), one message at a time, in arrival order — as
 * {@code AgentDefinition.messageHandler} promises. At most one drain task is scheduled at a
 * time; it runs until the queue is empty.
 *
 * <p>Thread-safe: {@link #deliver} may be called from any thread (usually the agent's mailbox).
 */
public final class AgentInbox {

    private static final Logger LOG = LoggerFactory.getLogger(AgentInbox.class);

    private final String agentId;
    private final MessageHandler handler;
    private final Executor executor;
    private final ConcurrentLinkedQueue<Message> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final LongAdder failures = new LongAdder();

    /** An inbox handing {@code agentId}'s messages to {@code handler} on {@code executor}. */
    public AgentInbox(String agentId, MessageHandler handler, Executor executor) {
        this.agentId = Objects.requireNonNull(agentId, "agentId");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * The broker handler of an agent that has only an inbox (a hierarchy worker): queues the
     * application message a broker message carries, and drops anything else, logged.
     */
    public void onMessage(Message carried) {
        if (carried.payload() instanceof UserMail mail) {
            deliver(carried, mail);
        } else {
            LOG.warn("agent '{}' ignored a message that is not an application message: {}",
                    agentId, carried.type());
        }
    }

    /** Queues an application message, carried by a broker message ({@link AgentMail#wrap}). */
    public void deliver(Message carried, UserMail mail) {
        queue.add(AgentMail.unwrap(carried, mail));
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                LOG.warn("agent '{}' could not handle a message: the swarm is shutting down",
                        agentId);
            }
        }
    }

    /** How many times the handler threw. */
    public long handlerFailures() {
        return failures.sum();
    }

    private void drain() {
        do {
            for (Message next; (next = queue.poll()) != null; ) {
                try {
                    handler.onMessage(next);
                } catch (Throwable e) {
                    // an Error too (AssertionError, StackOverflowError): the contract is that a
                    // throwing handler is logged and counted and delivery goes on; letting it
                    // escape would leave this inbox marked as draining, delivering nothing more
                    failures.increment();
                    LOG.warn("message handler of agent '{}' threw", agentId, e);
                }
            }
            draining.set(false);
            // a message queued after the last poll and before the flag dropped is ours to run
        } while (!queue.isEmpty() && draining.compareAndSet(false, true));
    }
}
