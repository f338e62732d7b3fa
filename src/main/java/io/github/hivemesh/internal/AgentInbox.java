package io.github.hivemesh.internal;

import io.github.hivemesh.agent.AgentMessageHandler;
import io.github.hivemesh.agent.MessageContext;
import io.github.hivemesh.artifact.ArtifactStorage;
import io.github.hivemesh.broker.Message;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.memory.ISwarmMemoryManager;
import io.github.hivemesh.task.BroadcastResult;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's application messages on their way to its {@link AgentMessageHandler}: the
 * handler runs on the worker executor (it may block), one message at a time, in arrival order.
 * At most one drain task is scheduled at a time; it runs until the queue is empty.
 *
 * <p>Each message comes with what to do once its handler has returned (or thrown): the
 * coordinator's accounting of that message as work. A handler gets a {@link MessageContext}
 * valid until it returns: its sends go through the coordinator ({@link TaskHost}) as the
 * agent's, and are refused after it returned.
 *
 * <p>Thread-safe: {@link #deliver} may be called from any thread (usually the agent's mailbox).
 */
public final class AgentInbox {

    private static final Logger LOG = LoggerFactory.getLogger(AgentInbox.class);

    /** A message to hand over, and what follows its handling. */
    private record Delivery(Message message, String root, Runnable handled) {
    }

    private final String agentId;
    private final AgentMessageHandler handler;
    private final Executor executor;
    private final TaskHost host;
    private final ConcurrentLinkedQueue<Delivery> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final LongAdder failures = new LongAdder();
    private final LongAdder handled = new LongAdder();

    /**
     * An inbox handing {@code agentId}'s messages to {@code handler} on {@code executor}.
     *
     * @param host what the handlers' contexts send through
     */
    public AgentInbox(String agentId, AgentMessageHandler handler, Executor executor,
            TaskHost host) {
        this.agentId = Objects.requireNonNull(agentId, "agentId");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.host = Objects.requireNonNull(host, "host");
    }

    /**
     * Queues an application message, carried by a broker message ({@link AgentMail#wrap});
     * {@code handled} runs once its handler has returned or thrown — or at once, if the swarm
     * is shutting down and it will never run. What the handler sends is work of {@code root}
     * (null: the coordinator's own; see {@link TaskRecord#root()}).
     */
    public void deliver(Message carried, UserMail mail, String root, Runnable handled) {
        queue.add(new Delivery(AgentMail.unwrap(carried, mail), root, handled));
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                LOG.warn("agent '{}' could not handle a message: the swarm is shutting down",
                        agentId);
                for (Delivery dropped; (dropped = queue.poll()) != null; ) {
                    dropped.handled().run();
                }
            }
        }
    }

    /** How many times the handler threw. */
    public long handlerFailures() {
        return failures.sum();
    }

    /** How many messages the handler has handled (returned or thrown). */
    public long handled() {
        return handled.sum();
    }

    private void drain() {
        do {
            for (Delivery next; (next = queue.poll()) != null; ) {
                HandlerContext context = new HandlerContext(next.root());
                try {
                    handler.onMessage(next.message(), context);
                } catch (Throwable e) {
                    // an Error too (AssertionError, StackOverflowError): the contract is that a
                    // throwing handler is logged and counted and delivery goes on; letting it
                    // escape would leave this inbox marked as draining, delivering nothing more
                    failures.increment();
                    LOG.warn("message handler of agent '{}' threw", agentId, e);
                } finally {
                    context.close();
                    handled.increment();
                    next.handled().run();
                }
            }
            draining.set(false);
            // a message queued after the last poll and before the flag dropped is ours to run
        } while (!queue.isEmpty() && draining.compareAndSet(false, true));
    }

    /** One handler call's context: open until the handler returns. */
    private final class HandlerContext implements MessageContext {
        private volatile boolean open = true;
        private final String root;

        HandlerContext(String root) {
            this.root = root;
        }

        void close() {
            open = false;
        }

        private void checkOpen() {
            if (!open) {
                throw new IllegalStateException("the handler of agent '" + agentId
                        + "' has returned: send from inside onMessage");
            }
        }

        @Override
        public String agentId() {
            return agentId;
        }

        @Override
        public String swarmId() {
            return host.swarmId();
        }

        @Override
        public CompletableFuture<Void> sendToPeer(String toAgentId, String type,
                Object payload) {
            Objects.requireNonNull(toAgentId, "agentId");
            Objects.requireNonNull(type, "type");
            checkOpen();
            return host.sendToPeer(agentId, root, toAgentId, type, payload);
        }

        @Override
        public CompletableFuture<BroadcastResult> broadcast(String type, Object payload) {
            Objects.requireNonNull(type, "type");
            checkOpen();
            return host.broadcast(agentId, root, null, type, payload);
        }

        @Override
        public CompletableFuture<BroadcastResult> broadcastToCapability(String capability,
                String type, Object payload) {
            Objects.requireNonNull(capability, "capability");
            Objects.requireNonNull(type, "type");
            checkOpen();
            return host.broadcast(agentId, root, capability, type, payload);
        }

        @Override
        public ISwarmMemoryManager memory() {
            return host.memory();
        }

        @Override
        public ArtifactStorage artifacts() {
            return host.artifacts();
        }
    }
}
