package io.github.hivemesh.langchain4j;

import static io.github.hivemesh.langchain4j.Scripted.answer;
import static io.github.hivemesh.langchain4j.Scripted.lastUserText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import io.github.hivemesh.CoordinatorFactory;
import io.github.hivemesh.ICoordinator;
import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.Topology;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.agent.AgentState;
import io.github.hivemesh.agent.IQueryController;
import io.github.hivemesh.artifact.ArtifactFormatException;
import io.github.hivemesh.task.Task;
import io.github.hivemesh.testing.HandlerFailureWatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@link ChatAgent}'s memory through pausing: checkpointed as an artifact, restored on resume
 * — the same conversation, an older one from an older checkpoint, and the whole conversation
 * in a new swarm over the same durable store.
 */
@ExtendWith(HandlerFailureWatch.class)
class ChatAgentPausingTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private static ICoordinator swarm(Topology topology, Path store, boolean checkpoints) {
        ICoordinator swarm = CoordinatorFactory.createWithTopology(SwarmConfig.builder()
                .topology(topology).maxAgents(topology == Topology.MESH ? 4 : 8)
                .autoPause(false).checkpointsEnabled(checkpoints).artifactStoragePath(store)
                .build());
        swarm.initialize().join();
        return swarm;
    }

    private static Scripted.Chat model() {
        return Scripted.chat(request -> answer("noted " + lastUserText(request),
                request.messages().size(), 1));
    }

    private static AgentDefinition scribe(Scripted.Chat model) {
        return ChatAgent.builder().id("scribe").capabilities("write").chatModel(model)
                .systemPrompt("Keep notes.").build();
    }

    /** Asks, and waits for the swarm to be quiescent: an agent is paused only when idle. */
    private static Object ask(ICoordinator swarm, String text) {
        Object output = swarm.submitTask(Task.builder().type("write").requiredCapabilities("write")
                .payload(text).build()).join().output();
        assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
        return output;
    }

    /** Pauses once the agent is idle (a worker hears its task ended just after quiescence). */
    private static String pause(ICoordinator swarm, String agentId) {
        await().until(() -> swarm.agents().stream().filter(a -> a.id().equals(agentId))
                .findFirst().orElseThrow().state() == AgentState.IDLE);
        return swarm.queryController().pauseAgent(agentId).join();
    }

    private static List<ChatMessage> memory(AgentDefinition agent) {
        return ((ChatAgentSession) agent.session()).memorySnapshot();
    }

    private static final List<ChatMessage> FIRST_TURN = List.of(UserMessage.from("remember 42"),
            AiMessage.from("noted remember 42"));

    @ParameterizedTest
    @EnumSource(value = Topology.class, names = {"MESH", "HIERARCHICAL"})
    void pauseThenResume_keepsTheConversation_andAnOlderCheckpointRollsItBack(Topology topology,
            @TempDir Path store) {
        Scripted.Chat model = model();
        AgentDefinition agent = scribe(model);
        try (ICoordinator swarm = swarm(topology, store, true)) {
            IQueryController control = swarm.queryController();
            swarm.spawnAgent(agent).join();
            ask(swarm, "remember 42");

            String first = pause(swarm, "scribe");
            assertThat(first).isNotNull();
            byte[] stored = swarm.artifacts().retrieve(first).orElseThrow();
            assertThat(AgentMemory.decode(stored)).isEqualTo(FIRST_TURN);
            assertThat(new String(stored, StandardCharsets.UTF_8))
                    .startsWith("{\"format\":\"hivemesh.chat-memory\",\"version\":1,");

            // a task sent to the paused agent resumes it (from its last checkpoint) and runs
            assertThat(ask(swarm, "what number?")).isEqualTo("noted what number?");
            assertThat(model.requests.get(1).messages()).hasSize(4)
                    .endsWith(FIRST_TURN.get(0), FIRST_TURN.get(1),
                            UserMessage.from("what number?"));

            String second = pause(swarm, "scribe");
            assertThat(AgentMemory.decode(swarm.artifacts().retrieve(second).orElseThrow()))
                    .hasSize(4);
            control.resumeAgent("scribe", first).join();
            assertThat(memory(agent)).isEqualTo(FIRST_TURN);
            assertThat(swarm.waitForCompletion(LONG).join()).isTrue();
            assertThat(control.getTokenSavings("scribe").resumes()).isEqualTo(2);
        }
    }

    @Test
    void aNewSwarmOverTheSameStore_resumesTheAgentWhereItWas(@TempDir Path store) {
        String checkpoint;
        try (ICoordinator before = swarm(Topology.MESH, store, true)) {
            before.spawnAgent(scribe(model())).join();
            ask(before, "remember 42");
            checkpoint = pause(before, "scribe");
        }

        Scripted.Chat model = model();
        AgentDefinition agent = scribe(model);
        try (ICoordinator after = swarm(Topology.MESH, store, true)) {
            after.spawnAgent(agent).join();
            assertThat(memory(agent)).isEmpty();
            pause(after, "scribe");
            after.queryController().resumeAgent("scribe", checkpoint).join();
            assertThat(memory(agent)).isEqualTo(FIRST_TURN);

            ask(after, "what number?");
            assertThat(model.requests.get(0).messages()).hasSize(4)
                    .contains(FIRST_TURN.get(0), FIRST_TURN.get(1));
        }
    }

    @Test
    void withoutCheckpoints_pausingStoresNothing_andTheMemoryStaysInTheAgent(
            @TempDir Path store) {
        Scripted.Chat model = model();
        AgentDefinition agent = scribe(model);
        try (ICoordinator swarm = swarm(Topology.MESH, store, false)) {
            swarm.spawnAgent(agent).join();
            ask(swarm, "remember 42");
            assertThat(pause(swarm, "scribe")).isNull();
            swarm.queryController().resumeAgent("scribe", null).join();
            assertThat(memory(agent)).isEqualTo(FIRST_TURN);
        }
    }

    @Test
    void memoryPerTask_hasNothingToCheckpoint(@TempDir Path store) {
        try (ICoordinator swarm = swarm(Topology.MESH, store, true)) {
            swarm.spawnAgent(ChatAgent.builder().id("scribe").capabilities("write")
                    .chatModel(model()).memoryScope(MemoryScope.TASK).build()).join();
            ask(swarm, "remember 42");
            assertThat(pause(swarm, "scribe")).isNull();
        }
    }

    @Test
    void aCheckpointThatIsNotOne_isRefusedClearly() {
        assertThatThrownBy(() -> AgentMemory.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ArtifactFormatException.class).hasMessageContaining("no JSON");
        assertThatThrownBy(() -> AgentMemory.decode(bytes("{\"format\":\"other\"}")))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("format is not 'hivemesh.chat-memory'");
        assertThatThrownBy(() -> AgentMemory.decode(bytes(
                "{\"format\":\"hivemesh.chat-memory\",\"version\":2,\"messages\":[]}")))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("version 2 is not supported");
        assertThatThrownBy(() -> AgentMemory.decode(bytes(
                "{\"format\":\"hivemesh.chat-memory\",\"version\":1}")))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("without a messages array");
        assertThatThrownBy(() -> AgentMemory.decode(bytes(
                "{\"format\":\"hivemesh.chat-memory\",\"version\":1,\"messages\":[{\"type\":7}]}")))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("LangChain4j cannot read");
        assertThat(AgentMemory.decode(bytes(
                "{\"format\":\"hivemesh.chat-memory\",\"version\":1,\"messages\":[]}"))).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
