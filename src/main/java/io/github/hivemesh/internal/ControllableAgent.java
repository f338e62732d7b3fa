package io.github.hivemesh.internal;

import io.github.hivemesh.agent.TokenMeter;
import java.util.concurrent.CompletableFuture;

/**
 * An agent as {@link AgentControls} sees it: a coordinator's agent actor (a mesh peer, a
 * hierarchy worker) that can be asked, through its mailbox, to pause and resume.
 */
public interface ControllableAgent {

    /** The agent's id. */
    String id();

    /** Its token account. */
    TokenMeter meter();

    /** Its busy / idle / paused cycle (read for the idle sweep). */
    PauseCycle cycle();

    /** Asks it to pause; completes with the checkpoint id, or fails with why it would not. */
    CompletableFuture<String> requestPause();

    /** Asks it to resume; completes once it takes work again. */
    CompletableFuture<Void> requestResume(String checkpointId);

    /** Asks it to pause if it is still idle in the idle period {@code epoch}. */
    void requestAutoPause(long epoch);
}
