package io.github.hivemesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.broker.Message;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.testing.ManualExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class AgentInboxTest {

    /** An application message from {@code from} to agent "a", as a coordinator carries it. */
    private static Message mail(String from, String type, Object payload) {
        return AgentMail.wrap(new UserMail(from, "a", type, payload), from + "@1", "a@1");
    }

    @Test
    void messages_reachTheHandlerInOrder_throughOneDrain_evenWhenOneThrows() {
        ManualExecutor executor = new ManualExecutor();
        List<Object> seen = new ArrayList<>();
        AgentInbox inbox = new AgentInbox("a", message -> {
            seen.add(message.type() + ":" + message.payload() + ":" + message.senderId());
            if ("boom".equals(message.payload())) {
                throw new IllegalStateException("handler failure, logged");
            }
        }, executor);

        inbox.onMessage(mail("b", "note", 1));
        inbox.onMessage(mail("b", "note", "boom"));
        inbox.onMessage(mail("c", "note", 3));

        assertThat(executor.pending()).isEqualTo(1);
        executor.runAll();
        assertThat(seen).containsExactly("note:1:b", "note:boom:b", "note:3:c");
        inbox.onMessage(mail("b", "late", 4));
        assertThat(executor.runAll()).isEqualTo(1);
        assertThat(seen).hasSize(4);
    }

    /** Regression (issue 13.7): an Error left the inbox marked as draining, delivering no more. */
    @Test
    void aHandlerThrowingAnError_isCounted_andLaterMessagesAreStillDelivered() {
        ManualExecutor executor = new ManualExecutor();
        List<Object> seen = new ArrayList<>();
        AgentInbox inbox = new AgentInbox("a", message -> {
            seen.add(message.payload());
            if ("assert".equals(message.payload())) {
                throw new AssertionError("a test assertion inside a handler");
            }
            if ("overflow".equals(message.payload())) {
                throw new StackOverflowError();
            }
        }, executor);

        inbox.onMessage(mail("b", "note", "assert"));
        inbox.onMessage(mail("b", "note", 2));
        executor.runAll();
        inbox.onMessage(mail("b", "note", "overflow"));
        executor.runAll();
        inbox.onMessage(mail("b", "note", 4));
        executor.runAll();

        assertThat(seen).containsExactly("assert", 2, "overflow", 4);
        assertThat(inbox.handlerFailures()).isEqualTo(2);
    }

    @Test
    void aRefusingExecutor_dropsTheDrain_withoutThrowing() {
        List<Message> seen = new ArrayList<>();
        AgentInbox inbox = new AgentInbox("a", seen::add, command -> {
            throw new RejectedExecutionException("stopped");
        });

        inbox.onMessage(mail("b", "note", 1));

        assertThat(seen).isEmpty();
    }

    @Test
    void refusal_namesWhyAnAgentCannotReceive() {
        CompletableFuture<Void> unknown = AgentMail.refusal("s", "x", false, false);
        CompletableFuture<Void> deaf = AgentMail.refusal("s", "x", true, false);

        assertThat(AgentMail.refusal("s", "x", true, true)).isNull();
        assertThat(unknown.handle((v, e) -> e.getMessage()).join())
                .isEqualTo("agent 'x' is not in swarm 's'");
        assertThat(deaf.handle((v, e) -> e.getMessage()).join())
                .contains("accepts no messages");
    }

    @Test
    void futuresAll_keepsOrder_andFailsWithTheFirstFailure() {
        CompletableFuture<String> late = new CompletableFuture<>();
        CompletableFuture<List<String>> all = Futures.all(List.of(
                CompletableFuture.completedFuture("a"), late));

        assertThat(all).isNotDone();
        late.complete("b");
        assertThat(all.join()).containsExactly("a", "b");
        assertThat(Futures.all(List.of(CompletableFuture.<String>failedFuture(
                new IllegalStateException("no"))))).isCompletedExceptionally();
    }
}
