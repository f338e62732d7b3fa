package io.github.hivemesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.broker.Message;
import io.github.hivemesh.internal.util.Futures;
import io.github.hivemesh.internal.wire.UserMail;
import io.github.hivemesh.testing.ManualExecutor;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class AgentInboxTest {

    private final List<String> handledLog = new ArrayList<>();

    /** Delivers an application message from {@code from} to agent "a", as a peer would. */
    private void deliver(AgentInbox inbox, String from, String type, Object payload) {
        UserMail mail = new UserMail(from, "a", type, payload);
        inbox.deliver(AgentMail.wrap(mail, from + "@1", "a@1"), mail, null,
                () -> handledLog.add(type + ":" + payload));
    }

    /** A host for handlers' contexts that no test here sends through. */
    private static final TaskHost NO_HOST = (TaskHost) Proxy.newProxyInstance(
            TaskHost.class.getClassLoader(), new Class<?>[] {TaskHost.class},
            (proxy, method, args) -> {
                throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void messages_reachTheHandlerInOrder_throughOneDrain_evenWhenOneThrows() {
        ManualExecutor executor = new ManualExecutor();
        List<Object> seen = new ArrayList<>();
        AgentInbox inbox = new AgentInbox("a", (message, context) -> {
            seen.add(message.type() + ":" + message.payload() + ":" + message.senderId());
            if ("boom".equals(message.payload())) {
                throw new IllegalStateException("handler failure, logged");
            }
        }, executor, NO_HOST);

        deliver(inbox, "b", "note", 1);
        deliver(inbox, "b", "note", "boom");
        deliver(inbox, "c", "note", 3);

        assertThat(executor.pending()).isEqualTo(1);
        executor.runAll();
        assertThat(seen).containsExactly("note:1:b", "note:boom:b", "note:3:c");
        deliver(inbox, "b", "late", 4);
        assertThat(executor.runAll()).isEqualTo(1);
        assertThat(seen).hasSize(4);
    }

    /** Regression (issue 13.7): an Error left the inbox marked as draining, delivering no more. */
    @Test
    void aHandlerThrowingAnError_isCounted_andLaterMessagesAreStillDelivered() {
        ManualExecutor executor = new ManualExecutor();
        List<Object> seen = new ArrayList<>();
        AgentInbox inbox = new AgentInbox("a", (message, context) -> {
            seen.add(message.payload());
            if ("assert".equals(message.payload())) {
                throw new AssertionError("a test assertion inside a handler");
            }
            if ("overflow".equals(message.payload())) {
                throw new StackOverflowError();
            }
        }, executor, NO_HOST);

        deliver(inbox, "b", "note", "assert");
        deliver(inbox, "b", "note", 2);
        executor.runAll();
        deliver(inbox, "b", "note", "overflow");
        executor.runAll();
        deliver(inbox, "b", "note", 4);
        executor.runAll();

        assertThat(seen).containsExactly("assert", 2, "overflow", 4);
        assertThat(inbox.handlerFailures()).isEqualTo(2);
        // every message, thrown on or not, was accounted as handled
        assertThat(handledLog).containsExactly("note:assert", "note:2", "note:overflow",
                "note:4");
    }

    @Test
    void aRefusingExecutor_dropsTheDrain_withoutThrowing() {
        List<Message> seen = new ArrayList<>();
        AgentInbox inbox = new AgentInbox("a", (message, context) -> seen.add(message),
                command -> {
                    throw new RejectedExecutionException("stopped");
                }, NO_HOST);

        deliver(inbox, "b", "note", 1);

        assertThat(seen).isEmpty();
        // a message that will never be handled is not left counted as work
        assertThat(handledLog).containsExactly("note:1");
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
