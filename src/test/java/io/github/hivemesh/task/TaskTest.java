package io.github.hivemesh.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.BadValue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class TaskTest {

    @Test
    void idsTypesCapabilitiesAndDependencies_upTo256Characters_areAccepted_longerOnesRefused() {
        String longest = "a".repeat(Task.MAX_ID_LENGTH);
        Task task = Task.builder().id(longest).type(longest).requiredCapabilities(longest)
                .dependencies("b".repeat(Task.MAX_ID_LENGTH)).build();
        assertThat(task.id()).hasSize(256);
        String tooLong = longest + "b";
        assertThatThrownBy(() -> Task.builder().id(tooLong).type("t").build())
                .hasMessage("id must be at most 256 characters, was 257");
        assertThatThrownBy(() -> Task.builder().type(tooLong).build())
                .hasMessage("type must be at most 256 characters, was 257");
        assertThatThrownBy(() -> Task.builder().requiredCapabilities(tooLong))
                .hasMessage("capability must be at most 256 characters, was 257");
        assertThatThrownBy(() -> Task.builder().dependencies(tooLong))
                .hasMessage("dependency must be at most 256 characters, was 257");
    }

    @Test
    void builder_appliesDefaults_andGeneratesUniqueIds() {
        Task a = Task.builder().type("x").build();
        Task b = Task.builder().type("x").build();

        assertThat(a.id()).isNotEqualTo(b.id()).startsWith("task-");
        assertThat(a.priority()).isEqualTo(Task.DEFAULT_PRIORITY);
        assertThat(a.requiredCapabilities()).isEmpty();
        assertThat(a.dependencies()).isEmpty();
        assertThat(a.timeout()).isEmpty();
        assertThat(a.description()).isEmpty();
        assertThat(a.costEstimate()).isEmpty();
    }

    @Test
    void costEstimate_isKept_copiedByToBuilder_andShown() {
        Task task = Task.builder().type("x").costEstimate(2.5).build();

        assertThat(task.costEstimate()).hasValue(2.5);
        assertThat(task.toBuilder().build().costEstimate()).hasValue(2.5);
        assertThat(task.toBuilder().priority(9).build().costEstimate()).hasValue(2.5);
        assertThat(task.toString()).contains("costEstimate=2.5");
        assertThat(Task.builder().type("x").costEstimate(Double.MIN_VALUE).build().costEstimate())
                .hasValue(Double.MIN_VALUE);
    }

    @Test
    void builder_keepsEverythingGiven_immutably() {
        Task task = Task.builder().id("t1").type("review").description("d")
                .requiredCapabilities("a", "b").priority(10).dependencies("t0")
                .payload(42).timeout(Duration.ofSeconds(3)).build();

        assertThat(task.requiredCapabilities()).containsExactly("a", "b");
        assertThat(task.dependencies()).containsExactly("t0");
        assertThat(task.payload()).isEqualTo(42);
        assertThat(task.timeout()).contains(Duration.ofSeconds(3));
        assertThat(task.toString()).contains("t1", "review", "10");
        assertThatThrownBy(() -> task.requiredCapabilities().add("c"))
                .isInstanceOf(UnsupportedOperationException.class);
        Task copy = task.toBuilder().priority(1).build();
        assertThat(copy.id()).isEqualTo("t1");
        assertThat(copy.priority()).isEqualTo(1);
        assertThat(copy.requiredCapabilities()).containsExactly("a", "b");
    }

    @Test
    void badValues_failAtBuild_withClearMessages() {
        assertThatThrownBy(() -> Task.builder().build()).hasMessage("type is required");
        assertThatThrownBy(() -> Task.builder().type("x").priority(11).build())
                .hasMessage("priority must be in [1, 10], was 11");
        assertThatThrownBy(() -> Task.builder().type("x").priority(0).build())
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> Task.builder().type(" ").build()).hasMessageContaining("type");
        assertThatThrownBy(() -> Task.builder().type("x").id("").build()).hasMessageContaining("id");
        assertThatThrownBy(() -> Task.builder().requiredCapabilities(List.of(" ")))
                .hasMessageContaining("capability");
        assertThatThrownBy(() -> Task.builder().type("x").timeout(Duration.ZERO).build())
                .hasMessageContaining("timeout");
        assertThatThrownBy(() -> Task.builder().type("x").id("a").dependencies("a").build())
                .isInstanceOf(CyclicDependencyException.class);
        assertThatThrownBy(() -> Task.builder().type(null)).hasMessage("type");
    }

    @Test
    void stateLifecycle_allowsOnlyItsEdges() {
        assertThat(TaskState.PENDING.canTransitionTo(TaskState.ASSIGNED)).isTrue();
        assertThat(TaskState.ASSIGNED.canTransitionTo(TaskState.PENDING)).isTrue();
        assertThat(TaskState.RUNNING.canTransitionTo(TaskState.PENDING)).isFalse();
        assertThat(TaskState.PENDING.canTransitionTo(TaskState.RUNNING)).isFalse();
        assertThat(TaskState.COMPLETED.canTransitionTo(TaskState.FAILED)).isFalse();
        assertThat(TaskState.FAILED.isTerminal()).isTrue();
        assertThat(TaskState.RUNNING.isTerminal()).isFalse();
    }

    @Test
    void result_mustBeTerminal_andCarryAnErrorExactlyWhenFailed() {
        Instant t = Instant.EPOCH;
        TaskResult ok = TaskResult.completed("t", "out", "a", t, t, t.plusSeconds(2));
        assertThat(ok.isSuccess()).isTrue();
        assertThat(ok.latency()).isEqualTo(Duration.ofSeconds(2));
        assertThat(ok.executionTime()).contains(Duration.ofSeconds(2));
        TaskResult failed = TaskResult.failed("t", new IllegalStateException("x"), null, t, null, t);
        assertThat(failed.executionTime()).isEmpty();
        assertThat(new TaskFailedException(failed)).hasMessageContaining("'t'")
                .hasCauseInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.result()).isSameAs(failed))
                .satisfies(e -> assertThat(e.taskId()).isEqualTo("t"));

        assertThatThrownBy(() -> new TaskResult("t", TaskState.RUNNING, null, null, null, t, t, t))
                .hasMessageContaining("terminal");
        assertThatThrownBy(() -> new TaskResult("t", TaskState.FAILED, null, null, null, t, t, t))
                .hasMessageContaining("error");
        assertThatThrownBy(() -> new TaskResult("t", TaskState.COMPLETED, null,
                new RuntimeException(), null, t, t, t)).hasMessageContaining("error");
    }

    @Test
    void status_exposesOptionalAgentAndParent() {
        TaskStatus status = new TaskStatus("t", "x", 5, TaskState.PENDING, null, "p",
                Instant.EPOCH, null, null, null, null);
        assertThat(status.agent()).isEmpty();
        assertThat(status.parent()).contains("p");
    }

    static List<BadValue<Task.Builder>> badValues() {
        return List.of(
                BadValue.of("priority", Integer.MIN_VALUE, Task.Builder::priority),
                BadValue.of("timeout", Duration.ofMillis(-1), Task.Builder::timeout),
                // a timer this long would overflow in nanoseconds
                BadValue.of("timeout", Duration.ofDays(3651), Task.Builder::timeout),
                BadValue.of("costEstimate", 0.0, Task.Builder::costEstimate),
                BadValue.of("costEstimate", -1.0, Task.Builder::costEstimate),
                BadValue.of("costEstimate", Double.NaN, Task.Builder::costEstimate),
                BadValue.of("costEstimate", Double.POSITIVE_INFINITY, Task.Builder::costEstimate));
    }

    @TestFactory
    Stream<DynamicTest> build_rejectsEachBadValue_namingFieldValueAndRange() {
        return BadValue.rejectedAtBuild(() -> Task.builder().type("x"), Task.Builder::build,
                badValues());
    }
}
