package io.github.hivemesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.SwarmShutdownException;
import io.github.hivemesh.agent.TokenMeter;
import io.github.hivemesh.completion.CountingCompletionDetector;
import io.github.hivemesh.completion.DistributedCompletionConfig;
import io.github.hivemesh.completion.ICompletionDetector;
import io.github.hivemesh.task.BroadcastResult;
import io.github.hivemesh.task.Task;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The kernel's promise that a stop leaves no tracked request pending, also for a request an
 * agent's mailbox starts after the stop swept the pending ones — as the mesh's removal of an
 * agent whose spawn the stop ended does.
 */
class SwarmKernelTrackTest {

    @Test
    void aRequestTrackedBeforeTheStop_isFailedByIt() {
        SwarmKernel kernel = started();
        CompletableFuture<Void> request = kernel.track(new CompletableFuture<>());

        kernel.shutdown(() -> { }).join();

        assertThat(request).isCompletedExceptionally();
        assertThat(request.handle((v, e) -> e).join()).isInstanceOf(SwarmShutdownException.class);
    }

    @Test
    void aRequestTrackedAfterTheStop_failsAtOnce() {
        SwarmKernel kernel = started();
        kernel.shutdown(() -> { }).join();

        CompletableFuture<Void> request = kernel.track(new CompletableFuture<>());

        assertThat(request).isCompletedExceptionally();
        assertThat(request.handle((v, e) -> e).join()).isInstanceOf(SwarmShutdownException.class);
    }

    @Test
    void aRequestAnsweredInTime_keepsItsAnswer() {
        SwarmKernel kernel = started();
        CompletableFuture<String> request = kernel.track(new CompletableFuture<>());
        request.complete("answered");

        kernel.shutdown(() -> { }).join();

        assertThat(request.join()).isEqualTo("answered");
    }

    private static SwarmKernel started() {
        SwarmConfig config = SwarmConfig.builder().swarmId("track").build();
        SwarmKernel kernel = new SwarmKernel(config, "hivemesh-track-test");
        CountingCompletionDetector detector = CountingCompletionDetector.create("track",
                DistributedCompletionConfig.builder()
                        .scheduler(kernel.runtime().scheduler()).build());
        kernel.bind(new NoAgents(detector));
        kernel.start(() -> { }).join();
        return kernel;
    }

    /** A topology without agents: the kernel's own bookkeeping is all that runs. */
    private record NoAgents(ICompletionDetector detector) implements SwarmKernel.Topology {
        @Override
        public void beforeRegister(Task task, boolean delegated) {
            throw new UnsupportedOperationException("no agents");
        }

        @Override
        public void notRegistered(Task task, boolean delegated) {
        }

        @Override
        public void route(TaskRecord record, String delegatingAgentId) {
        }

        @Override
        public CompletableFuture<Void> sendToPeer(String fromAgentId, String root,
                String toAgentId, String type, Object payload) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletableFuture<BroadcastResult> broadcast(String fromAgentId, String root,
                String capability, String type, Object payload) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public void recordTokens(String agentId, TaskRecord record,
                Consumer<TokenMeter> report) {
        }

        @Override
        public void sessionEnded(SessionTask session, boolean onSessionThread) {
        }

        @Override
        public void stopAgents() {
        }
    }
}
