package io.github.hivemesh.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.SwarmConfig;
import io.github.hivemesh.agent.AgentDefinition;
import io.github.hivemesh.task.Task;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13, items 4 and 5: ids have a documented limit — 256 characters for agent, task, swarm
 * and capability ids — enforced where they are built, before anything else can see them. 256
 * characters of anything are accepted; 257 are refused with an {@code IllegalArgumentException}
 * naming the field and the limit; so is a task id over the artifact decoder's 1 MiB string
 * limit (the id that poisoned its peer's shared state).
 */
class IdLimitsTest {

    private static AgentDefinition.Builder agent() {
        return AgentDefinition.builder().session(ctx -> null);
    }

    private static Task.Builder task() {
        return Task.builder().type("t");
    }

    /** Each field: its name in the message, and how to build with a given id in it. */
    static Stream<Arguments> fields() {
        return Stream.of(
                Arguments.of("agent id", "id", (Consumer<String>) id -> agent().id(id).build()),
                Arguments.of("agent capability", "capabilit",
                        (Consumer<String>) id -> agent().capabilities(id).build()),
                Arguments.of("task id", "id", (Consumer<String>) id -> task().id(id).build()),
                Arguments.of("task capability", "capabilit",
                        (Consumer<String>) id -> task().requiredCapabilities(id).build()),
                Arguments.of("swarm id", "swarmId",
                        (Consumer<String>) id -> SwarmConfig.builder().swarmId(id).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void idsOf256Characters_areAccepted(String field, String name, Consumer<String> build) {
        for (String id : new String[] {Hostile.odd(256), Hostile.cjk(256), Hostile.upper(256)}) {
            assertThat(id).hasSize(256);
            build.accept(id);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void idsOver256Characters_areRefusedAtBuild_namingTheField(String field, String name,
            Consumer<String> build) {
        for (String id : new String[] {Hostile.odd(257), Hostile.lower(257),
            Hostile.cjk(1_000)}) {
            assertThatThrownBy(() -> build.accept(id)).as(field)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name).hasMessageContaining("256");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void anIdOverTheDecodersStringLimit_isRefusedAtBuild(String field, String name,
            Consumer<String> build) {
        String poison = "x".repeat((1 << 20) + 1);

        assertThatThrownBy(() -> build.accept(poison)).as(field)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
    }
}
