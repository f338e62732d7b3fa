package io.github.hivemesh.hostile;

import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.task.Task;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What every hostile-use contract needs from the test class running it: the topology, swarms
 * of it that are closed after the test, and gates that are opened after the test.
 */
interface SwarmUnderTest {

    /** The topology under test. */
    Topology topology();

    /** An initialized swarm of the topology under test, closed after the test. */
    ICoordinator swarm(SwarmConfig.Builder config);

    /** A swarm of the topology under test, not initialized, closed after the test. */
    ICoordinator unstarted(SwarmConfig.Builder config);

    /** A gate sessions can wait on, opened by the test (and after it). */
    CountDownLatch gate();

    /** Settings every hostile test starts from: {@code maxAgents}, no automatic pausing. */
    default SwarmConfig.Builder config(int maxAgents) {
        return SwarmConfig.builder().maxAgents(maxAgents).autoPause(false);
    }

    /** An agent returning its task's payload. */
    static AgentDefinition echo(String id, String... capabilities) {
        return AgentDefinition.builder().id(id).capabilities(capabilities)
                .session(ctx -> ctx.task().payload()).build();
    }

    /** A task of type "t" needing {@code capability}; a null id is generated. */
    static Task.Builder task(String id, String capability) {
        Task.Builder task = Task.builder().type("t").requiredCapabilities(capability);
        return id == null ? task : task.id(id);
    }

    /** Waits (at most 30 s) for a gate; a session's way to hold its slot until the test says. */
    static boolean pass(CountDownLatch gate) throws InterruptedException {
        return gate.await(30, TimeUnit.SECONDS);
    }

    /**
     * Spins for about {@code nanos} without sleeping, returning early when interrupted (it
     * leaves the flag set): a session that is busy, not blocked.
     */
    static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
            Thread.onSpinWait();
        }
    }
}
