package io.github.hivemesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.BadValue;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AgentDefinitionTest {

    private static final AgentSession NOOP = ctx -> null;

    @Test
    void builder_keepsValues_andGeneratesIds() throws Exception {
        AgentDefinition defined = AgentDefinition.builder().id("r1").capabilities("a", "b")
                .session(NOOP).maxConcurrentTasks(3).metadata(Map.of("k", "v")).build();
        AgentDefinition generated = AgentDefinition.builder().session(NOOP).build();

        assertThat(defined.id()).isEqualTo("r1");
        assertThat(defined.capabilities()).containsExactly("a", "b");
        assertThat(defined.maxConcurrentTasks()).hasValue(3);
        assertThat(defined.metadata()).containsEntry("k", "v");
        assertThat(defined.toString()).contains("r1");
        assertThat(generated.id()).startsWith("agent-");
        assertThat(generated.maxConcurrentTasks()).isEmpty();
        assertThat(generated.session().checkpoint()).isNull();
        generated.session().onPause();
        generated.session().onResume(null);
    }

    @Test
    void badValues_failAtBuild() {
        assertThatThrownBy(() -> AgentDefinition.builder().build())
                .hasMessage("session is required");
        assertThatThrownBy(() -> AgentDefinition.builder().session(NOOP).maxConcurrentTasks(0).build())
                .hasMessage("maxConcurrentTasks must be in [1, 10000], was 0");
        assertThatThrownBy(() -> AgentDefinition.builder().capabilities(" "))
                .hasMessageContaining("capability");
        assertThatThrownBy(() -> AgentDefinition.builder().session(NOOP).id(" ").build())
                .hasMessageContaining("id");
    }

    static List<BadValue<AgentDefinition.Builder>> badValues() {
        return List.of(BadValue.of("maxConcurrentTasks", 10_001,
                AgentDefinition.Builder::maxConcurrentTasks));
    }

    @Test
    void idsAndCapabilities_upTo256Characters_areAccepted_longerOnesRefused() {
        String longest = "\u4e2d".repeat(io.github.hivemesh.task.Task.MAX_ID_LENGTH);
        assertThat(AgentDefinition.builder().id(longest).capabilities(longest).session(NOOP)
                .build().id()).isEqualTo(longest);
        assertThatThrownBy(() -> AgentDefinition.builder().id(longest + "x").session(NOOP)
                .build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("id must be at most 256 characters, was 257");
        assertThatThrownBy(() -> AgentDefinition.builder().capabilities(longest + "x"))
                .hasMessage("capability must be at most 256 characters, was 257");
    }

    @TestFactory
    Stream<DynamicTest> build_rejectsEachBadValue_namingFieldValueAndRange() {
        return BadValue.rejectedAtBuild(() -> AgentDefinition.builder().session(NOOP),
                AgentDefinition.Builder::build, badValues());
    }
}
