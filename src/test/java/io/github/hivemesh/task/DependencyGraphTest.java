package io.github.hivemesh.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.task.DependencyGraph.Admission;
import io.github.hivemesh.task.DependencyGraph.NodeState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

    private final DependencyGraph graph = new DependencyGraph();

    @Test
    void taskWithoutDependencies_isReadyAtOnce() {
        assertThat(graph.add("a", List.of())).isEqualTo(Admission.READY);
        assertThat(graph.state("a")).contains(NodeState.READY);
        assertThat(graph.waitingCount()).isZero();
    }

    @Test
    void dependents_areReleasedOnlyWhenTheirLastDependencyCompletes() {
        graph.add("a", List.of());
        graph.add("b", List.of());
        assertThat(graph.add("c", List.of("a", "b"))).isEqualTo(Admission.WAITING);
        assertThat(graph.add("d", List.of("a"))).isEqualTo(Admission.WAITING);

        assertThat(graph.complete("a")).containsExactly("d");
        assertThat(graph.state("c")).contains(NodeState.WAITING);
        assertThat(graph.complete("b")).containsExactly("c");
        assertThat(graph.waitingCount()).isZero();
    }

    @Test
    void dependencyOnACompletedTask_isAlreadyMet() {
        graph.add("a", List.of());
        graph.complete("a");
        assertThat(graph.add("b", List.of("a"))).isEqualTo(Admission.READY);
    }

    @Test
    void unknownDependency_isRejectedNamingBothTasks() {
        assertThatThrownBy(() -> graph.add("b", List.of("nope")))
                .isInstanceOf(UnknownDependencyException.class)
                .hasMessage("task 'b' depends on unknown task 'nope'");
        assertThat(graph.contains("b")).isFalse();
    }

    @Test
    void duplicateId_isRejected() {
        graph.add("a", List.of());
        assertThatThrownBy(() -> graph.add("a", List.of()))
                .isInstanceOf(DuplicateTaskException.class).hasMessageContaining("'a'");
    }

    @Test
    void selfDependency_isACycle() {
        assertThatThrownBy(() -> graph.add("a", List.of("a")))
                .isInstanceOf(CyclicDependencyException.class)
                .hasMessage("dependency cycle: a -> a");
    }

    @Test
    void cycleInABatch_isRejectedNamingTheCycle_andNothingIsAdded() {
        Map<String, List<String>> batch = new LinkedHashMap<>();
        batch.put("x", List.of());
        batch.put("a", List.of("b"));
        batch.put("b", List.of("c"));
        batch.put("c", List.of("a", "x"));

        assertThatThrownBy(() -> graph.addAll(batch))
                .isInstanceOfSatisfying(CyclicDependencyException.class, e -> {
                    assertThat(e.cycle()).hasSize(4);
                    assertThat(e.cycle().get(0)).isEqualTo(e.cycle().get(3));
                    assertThat(new HashSet<>(e.cycle())).containsExactlyInAnyOrder("a", "b", "c");
                })
                .hasMessageContaining("->");
        assertThat(graph.size()).isZero();
    }

    @Test
    void batch_mayListDependentsBeforeTheirDependencies() {
        Map<String, List<String>> batch = new LinkedHashMap<>();
        batch.put("late", List.of("early"));
        batch.put("early", List.of());

        assertThat(graph.addAll(batch)).containsExactly(
                Map.entry("late", Admission.WAITING), Map.entry("early", Admission.READY));
    }

    @Test
    void failure_failsEveryDependentTransitively_andNotTheOthers() {
        graph.add("a", List.of());
        graph.add("b", List.of("a"));
        graph.add("c", List.of("b"));
        graph.add("other", List.of());
        graph.add("d", List.of("other"));

        assertThat(graph.fail("a")).containsExactly("b", "c");
        assertThat(graph.state("c")).contains(NodeState.FAILED);
        assertThat(graph.failedDependency("c")).contains("b");
        assertThat(graph.failedDependency("a")).isEmpty();
        assertThat(graph.state("d")).contains(NodeState.WAITING);
        assertThat(graph.waitingCount()).isEqualTo(1);
    }

    @Test
    void dependencyOnAFailedTask_failsOnAdmission() {
        graph.add("a", List.of());
        graph.fail("a");
        assertThat(graph.add("b", List.of("a"))).isEqualTo(Admission.FAILED);
        assertThat(graph.failedDependency("b")).contains("a");
    }

    @Test
    void waitingTask_canFail_forCancellation() {
        graph.add("a", List.of());
        graph.add("b", List.of("a"));
        assertThat(graph.fail("b")).isEmpty();
        assertThat(graph.complete("a")).isEmpty();
        assertThat(graph.waitingCount()).isZero();
    }

    @Test
    void endedTasks_cannotEndAgain_norCompleteWhileWaiting() {
        graph.add("a", List.of());
        graph.add("b", List.of("a"));
        assertThatThrownBy(() -> graph.complete("b")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WAITING");
        graph.complete("a");
        assertThatThrownBy(() -> graph.complete("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> graph.fail("a")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> graph.complete("zzz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void forgetEnded_dropsOnlyEndedTasks() {
        graph.add("a", List.of());
        graph.add("b", List.of());
        graph.complete("a");
        assertThat(graph.forgetEnded(List.of("a", "b", "unknown"))).isEqualTo(1);
        assertThat(graph.contains("a")).isFalse();
        assertThat(graph.contains("b")).isTrue();
        assertThat(graph.waitingTasks()).isEmpty();
    }

    /** Any DAG is accepted, and completing tasks in release order eventually releases all. */
    @Property(tries = 200)
    void randomDag_isAccepted_andEveryTaskIsReleasedExactlyOnce(
            @ForAll @IntRange(min = 1, max = 40) int size, @ForAll long seed) {
        DependencyGraph graph = new DependencyGraph();
        java.util.Random random = new java.util.Random(seed);
        Map<String, List<String>> batch = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            List<String> deps = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                if (random.nextInt(4) == 0) {
                    deps.add("t" + j);
                }
            }
            batch.put("t" + i, deps);
        }
        List<String> shuffled = new ArrayList<>(batch.keySet());
        java.util.Collections.shuffle(shuffled, random);
        Map<String, List<String>> shuffledBatch = new LinkedHashMap<>();
        shuffled.forEach(id -> shuffledBatch.put(id, batch.get(id)));

        List<String> ready = new ArrayList<>();
        graph.addAll(shuffledBatch).forEach((id, admission) -> {
            if (admission == Admission.READY) {
                ready.add(id);
            }
        });
        Set<String> completed = new HashSet<>();
        while (!ready.isEmpty()) {
            String next = ready.remove(random.nextInt(ready.size()));
            assertThat(completed).containsAll(batch.get(next));
            assertThat(completed.add(next)).isTrue();
            ready.addAll(graph.complete(next));
        }
        assertThat(completed).hasSize(size);
        assertThat(graph.waitingCount()).isZero();
    }

    /** Adding one back edge to a chain always yields a cycle whose every edge is real. */
    @Property(tries = 200)
    void backEdge_isAlwaysFound_andTheReportedCycleIsReal(
            @ForAll @IntRange(min = 1, max = 30) int size, @ForAll @IntRange(min = 0, max = 29) int from) {
        DependencyGraph graph = new DependencyGraph();
        int start = Math.min(from, size - 1);
        Map<String, List<String>> batch = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            List<String> deps = new ArrayList<>();
            if (i > 0) {
                deps.add("t" + (i - 1));
            }
            if (i == start) {
                deps.add("t" + (size - 1));
            }
            batch.put("t" + i, deps);
        }

        assertThatThrownBy(() -> graph.addAll(batch))
                .isInstanceOfSatisfying(CyclicDependencyException.class, e -> {
                    List<String> cycle = e.cycle();
                    assertThat(cycle.get(0)).isEqualTo(cycle.get(cycle.size() - 1));
                    for (int i = 0; i + 1 < cycle.size(); i++) {
                        assertThat(batch.get(cycle.get(i))).contains(cycle.get(i + 1));
                    }
                });
    }
}
