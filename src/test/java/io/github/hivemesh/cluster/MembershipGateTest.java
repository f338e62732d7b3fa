package io.github.hivemesh.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.internal.cluster.MembershipGate;
import io.github.hivemesh.internal.cluster.TransportCounters;
import io.github.hivemesh.testing.RecordingListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gate's rules one by one, including the paths the simulation cannot reach (a message from
 * another lineage's member, a full join buffer, a throwing listener).
 */
class MembershipGateTest {

    private final MemberId a = new MemberId("a", 1);
    private final MemberId b = new MemberId("b", 2);
    private final MemberId c = new MemberId("c", 3);
    private final TransportCounters counters = new TransportCounters();
    private final RecordingListener listener = new RecordingListener();
    private final MembershipGate gate = new MembershipGate(a, listener, counters, 10);

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private boolean view(long id, MemberId... members) {
        return gate.onView(id, List.of(members), false, List.of(), List.of());
    }

    @Test
    void aJoinersEarlyMessages_waitForItsView_andComeRightAfterIt() {
        gate.onMessage(b, 1, text("early"));
        assertThat(gate.pending()).isEqualTo(1);
        view(1, a);
        assertThat(gate.pending()).as("b's view 1 admits no b: its message waits no longer")
                .isZero();
        assertThat(gate.isDeparted(b)).isTrue();
        assertThat(counters.notInView.sum()).isEqualTo(1);

        gate.onMessage(c, 3, text("c1"));
        gate.onMessage(c, 3, text("c2"));
        view(2, a);                                   // not yet: c's view 3 is ahead
        assertThat(gate.pending()).isEqualTo(2);
        view(3, a, c);
        assertThat(listener.textsFrom(c)).containsExactly("c1", "c2");
        assertThat(listener.events().get(listener.events().size() - 3).view().id()).isEqualTo(3);
        assertThat(listener.violations()).isEmpty();
    }

    @Test
    void aMessageFromOutsideTheView_notAJoiner_isDropped_andItsSenderIsNeverHeardAgain() {
        view(5, a);
        gate.onMessage(b, 5, text("other lineage"));
        assertThat(counters.notInView.sum()).isEqualTo(1);
        assertThat(gate.isDeparted(b)).isTrue();
        gate.onMessage(b, 9, text("later"));
        assertThat(counters.departed.sum()).isEqualTo(1);
        view(6, a, b);
        assertThat(gate.view().members()).containsExactly(a);
        assertThat(gate.view().fenced()).containsExactly(b);
        assertThat(listener.messages()).isEmpty();
    }

    @Test
    void aFullJoinBuffer_dropsThatJoiner_whole() {
        view(1, a);
        gate.onMessage(b, 2, text("12345"));
        gate.onMessage(b, 2, text("123456"));        // 11 bytes > 10
        assertThat(counters.bufferFull.sum()).isEqualTo(2);
        assertThat(gate.pending()).isZero();
        assertThat(gate.isDeparted(b)).isTrue();
        view(2, a, b);
        assertThat(listener.messages()).isEmpty();
    }

    @Test
    void staleViews_andViewsWithoutThisMember_areIgnored() {
        assertThat(view(3, a, b)).isTrue();
        assertThat(view(3, a, b)).isFalse();
        assertThat(view(2, a)).isFalse();
        assertThat(view(4, b)).isFalse();
        assertThat(gate.view().id()).isEqualTo(3);
        assertThatThrownBy(() -> gate.onView(5, List.of(a), true, List.of(List.of(a)),
                List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aThrowingListener_isCounted_andDeliveryGoesOn() {
        TransportCounters count = new TransportCounters();
        MembershipGate throwing = new MembershipGate(a, new ClusterListener() {
            @Override
            public void onView(ClusterView view) {
                throw new IllegalStateException("view boom");
            }

            @Override
            public void onMessage(MemberId from, byte[] payload) {
                throw new IllegalStateException("message boom");
            }
        }, count, 100);
        throwing.onView(1, List.of(a, b), false, List.of(), List.of());
        throwing.onMessage(b, 1, text("x"));
        throwing.onMessage(b, 1, text("y"));
        assertThat(count.listenerFailures.sum()).isEqualTo(3);
        assertThat(count.delivered.sum()).isEqualTo(2);
        throwing.close();
        throwing.onMessage(b, 1, text("z"));
        assertThat(throwing.onView(2, List.of(a), false, List.of(), List.of())).isFalse();
        assertThat(count.delivered.sum()).isEqualTo(2);
    }

    @Test
    void aMerge_departsOnlyMembersWhoseNewestSubgroupLacksUs() {
        view(4, a, b, c);
        // b's newest subgroup (id 6) lacks a: b went on without a. c is only in a's stale
        // subgroup (id 4) with a: it stays.
        gate.onView(7, List.of(b, a, c), true, List.of(List.of(b), List.of(a, b, c)),
                List.of(6L, 4L));
        assertThat(gate.view().members()).containsExactly(a, c);
        assertThat(gate.view().fenced()).containsExactly(b);
        assertThat(gate.view().merge()).isTrue();
    }
}
