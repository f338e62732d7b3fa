package io.github.hivemesh.task;

import java.util.concurrent.CompletableFuture;

/**
 * The ways to send application messages to agents: from a running session
 * ({@link TaskContext}), from a message handler ({@code MessageContext}), or from the
 * application ({@code ICoordinator}).
 *
 * <h2>Messages are work</h2>
 * A message sent any of these ways is work from the moment it is sent until the receiving
 * agent's handler has returned: the swarm is not quiescent while one is in flight or being
 * handled, nor while work it causes (messages its handler sends) runs. A send whose future
 * fails (the recipient is unknown, has no message handler, or its mailbox is full) counts
 * nothing. The receiver gets the message on its handler, one at a time, in the order each
 * sender sent them.
 *
 * <p>A session may send while its work is not done (inside {@code execute}, or until the
 * stage it returned completes); a handler while it runs. After that a send is refused with an
 * {@code IllegalStateException}: nothing would keep the swarm busy for it.
 */
public interface Messaging {

    /**
     * Sends a message to one agent.
     *
     * @param agentId the agent's id
     * @param type the type
     * @param payload the payload
     * @return completes when the agent's mailbox has accepted it; fails with the reason it did not
     *     (unknown agent, no handler, full mailbox, swarm shut down)
     */
    CompletableFuture<Void> sendToPeer(String agentId, String type, Object payload);

    /**
     * Sends a message to every other agent that has a message handler.
     *
     * @param type the type
     * @param payload the payload
     * @return completes, once every delivery was accepted or refused, with which were which
     */
    CompletableFuture<BroadcastResult> broadcast(String type, Object payload);

    /**
     * Sends a message to every other agent that has {@code capability} and a message handler.
     *
     * @param capability the capability
     * @param type the type
     * @param payload the payload
     * @return completes, once every delivery was accepted or refused, with which were which
     */
    CompletableFuture<BroadcastResult> broadcastToCapability(String capability, String type,
            Object payload);
}
