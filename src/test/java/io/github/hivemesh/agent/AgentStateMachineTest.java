package io.github.hivemesh.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class AgentStateMachineTest {

    private static final Map<AgentState, Set<AgentState>> LEGAL = Map.of(
            AgentState.INITIALIZING, EnumSet.of(AgentState.IDLE, AgentState.TERMINATED),
            AgentState.IDLE, EnumSet.of(AgentState.BUSY, AgentState.PAUSED, AgentState.TERMINATED),
            AgentState.BUSY, EnumSet.of(AgentState.IDLE, AgentState.TERMINATED),
            AgentState.PAUSED, EnumSet.of(AgentState.IDLE, AgentState.TERMINATED),
            AgentState.TERMINATED, EnumSet.noneOf(AgentState.class));

    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1234), ZoneOffset.UTC);

    /** Drives a fresh machine into {@code state} along legal edges. */
    private AgentStateMachine machineIn(AgentState state) {
        AgentStateMachine machine = new AgentStateMachine("a1", clock);
        List<AgentState> path = switch (state) {
            case INITIALIZING -> List.of();
            case IDLE -> List.of(AgentState.IDLE);
            case BUSY -> List.of(AgentState.IDLE, AgentState.BUSY);
            case PAUSED -> List.of(AgentState.IDLE, AgentState.PAUSED);
            case TERMINATED -> List.of(AgentState.TERMINATED);
        };
        path.forEach(machine::transitionTo);
        return machine;
    }

    @Test
    void everyPairOfStates_isAllowedExactlyWhenTheLifecycleSaysSo() {
        for (AgentState from : AgentState.values()) {
            for (AgentState to : AgentState.values()) {
                AgentStateMachine machine = machineIn(from);
                if (LEGAL.get(from).contains(to)) {
                    assertThat(machine.transitionTo(to)).isEqualTo(from);
                    assertThat(machine.state()).isEqualTo(to);
                } else {
                    assertThatThrownBy(() -> machine.transitionTo(to))
                            .isInstanceOfSatisfying(IllegalStateTransitionException.class, e -> {
                                assertThat(e.from()).isEqualTo(from);
                                assertThat(e.to()).isEqualTo(to);
                                assertThat(e.agentId()).isEqualTo("a1");
                            })
                            .hasMessage("agent 'a1' cannot go from " + from + " to " + to);
                    assertThat(machine.state()).isEqualTo(from);
                }
            }
        }
    }

    @Test
    void conditionalTransition_failsQuietlyOnAnotherState_butRejectsIllegalEdges() {
        AgentStateMachine machine = machineIn(AgentState.BUSY);
        assertThat(machine.transition(AgentState.IDLE, AgentState.PAUSED)).isFalse();
        assertThat(machine.transition(AgentState.BUSY, AgentState.IDLE)).isTrue();
        assertThat(machine.enteredAtMillis()).isEqualTo(1234);
        assertThatThrownBy(() -> machine.transition(AgentState.BUSY, AgentState.PAUSED))
                .isInstanceOf(IllegalStateTransitionException.class);
        assertThat(machine.toString()).isEqualTo("a1:IDLE");
    }

    @RepeatedTest(20)
    void racingTransitions_onlyOneWins() throws Exception {
        AgentStateMachine machine = machineIn(AgentState.IDLE);
        CyclicBarrier barrier = new CyclicBarrier(4);
        AtomicInteger wins = new AtomicInteger();
        List<CompletableFuture<Void>> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racers.add(CompletableFuture.runAsync(() -> {
                try {
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                if (machine.transition(AgentState.IDLE, AgentState.BUSY)) {
                    wins.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(racers.toArray(new CompletableFuture<?>[0])).join();
        assertThat(wins.get()).isEqualTo(1);
    }

    @Test
    void terminate_endsEveryState_once_andIsQuietWhenAlreadyTerminated() {
        for (AgentState from : AgentState.values()) {
            AgentStateMachine machine = machineIn(from);
            assertThat(machine.terminate()).as("from %s", from)
                    .isEqualTo(from != AgentState.TERMINATED);
            assertThat(machine.state()).isEqualTo(AgentState.TERMINATED);
            assertThat(machine.terminate()).isFalse();
        }
    }

    @RepeatedTest(20)
    void racingTerminations_allReturn_andExactlyOneReportsTheTermination() throws Exception {
        AgentStateMachine machine = machineIn(AgentState.BUSY);
        CyclicBarrier barrier = new CyclicBarrier(4);
        AtomicInteger wins = new AtomicInteger();
        List<CompletableFuture<Void>> racers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racers.add(CompletableFuture.runAsync(() -> {
                try {
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                if (machine.terminate()) {
                    wins.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(racers.toArray(new CompletableFuture<?>[0])).join();
        assertThat(wins.get()).isEqualTo(1);
        assertThat(machine.state()).isEqualTo(AgentState.TERMINATED);
    }
}
