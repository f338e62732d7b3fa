package io.github.hivemesh.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.internal.util.AcceptedFuture;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTest {

    @Test
    void ids_areUniqueAndIncreasing() {
        Message first = Message.of("t", null);
        Message second = Message.of("t", null);
        assertThat(second.messageId()).isGreaterThan(first.messageId());
    }

    @Test
    void metadata_isCopied_soTheMessageStaysImmutable() {
        Map<String, String> headers = new HashMap<>();
        headers.put("k", "v");
        Message message = Message.of("t", null).withMetadata(headers);
        headers.put("k", "changed");

        assertThat(message.metadata()).containsExactly(Map.entry("k", "v"));
        assertThatThrownBy(() -> message.metadata().put("x", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void blankOrMissingType_isRejected() {
        assertThatThrownBy(() -> Message.of(" ", null)).hasMessageContaining("type");
        assertThatThrownBy(() -> Message.of(null, null)).hasMessage("type");
    }

    @Test
    void routed_copiesOnlyWhenRoutingDiffers() {
        Message message = Message.of("t", "p", "a", "b");
        assertThat(message.routed("a", "b", RoutingType.P2P)).isSameAs(message);
        Message copy = message.routed("a", "c", RoutingType.BROADCAST);
        assertThat(copy.recipientId()).isEqualTo("c");
        assertThat(copy.messageId()).isEqualTo(message.messageId());
        assertThat(copy.payload()).isEqualTo("p");
    }

    @Test
    void sharedAcceptedFuture_cannotBeChanged() {
        assertThat(AcceptedFuture.INSTANCE).isCompleted();
        assertThatThrownBy(() -> AcceptedFuture.INSTANCE.complete(null))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> AcceptedFuture.INSTANCE.obtrudeException(new RuntimeException()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> AcceptedFuture.INSTANCE.cancel(true))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> AcceptedFuture.INSTANCE.completeExceptionally(new RuntimeException()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> AcceptedFuture.INSTANCE.obtrudeValue(null))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(AcceptedFuture.INSTANCE.thenApply(v -> 42).join()).isEqualTo(42);
    }
}
