package io.github.hivemesh.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Signals that acknowledge several basic messages at once
 * ({@link DistributedCompletionConfig#signalBatchSize()}), and the trees of other roots
 * ({@link CompletionPeer#tree}), driven by hand: signals are captured and delivered when the
 * test says so.
 */
class CombinedSignalsTest {

    private static final String SWARM = "swarm";
    private static final String ROOT = "root";

    /** Captures combined signals; single acknowledgments too, as signals of {@link #ROOT}. */
    private final class Captured implements SignalTransport {
        final List<CompletionSignal> sent = new ArrayList<>();

        @Override
        public void send(CompletionProbe acknowledgment) {
            sent.add(CompletionSignal.of(ROOT, acknowledgment));
        }

        @Override
        public void send(CompletionSignal signal) {
            sent.add(signal);
        }
    }

    private final Captured signals = new Captured();

    private DistributedCompletionDetector detector(int batch) {
        DistributedCompletionDetector detector = new DistributedCompletionDetector(SWARM, ROOT,
                signals, DistributedCompletionConfig.builder().signalBatchSize(batch).build(),
                RuleBreak.NONE);
        detector.initialize(List.of("p", "q"));
        return detector;
    }

    private static void deliverAll(DistributedCompletionDetector detector,
            List<CompletionSignal> sent) {
        while (!sent.isEmpty()) {
            CompletionSignal signal = sent.remove(0);
            CompletionNode to = signal.senderId().equals(ROOT) ? detector.root()
                    : detector.peer(signal.senderId());
            to.onSignal(signal);
        }
    }

    @Test
    void engagedPeer_holdsAcknowledgmentsWhileBusy_andSendsThemWithItsParentsAtDetach() {
        DistributedCompletionDetector detector = detector(8);
        CompletionRoot root = detector.root();
        CompletionPeer p = detector.peer("p");
        for (long id = 1; id <= 3; id++) {
            root.onSend("p", id);
            p.onReceive(ROOT, id);
        }
        assertThat(signals.sent).as("nothing is signalled while p is busy").isEmpty();
        assertThat(detector.getDeficitCounter(ROOT)).isEqualTo(3);

        p.onIdle();

        assertThat(signals.sent).singleElement().satisfies(signal -> {
            assertThat(signal.rootId()).isEqualTo(ROOT);
            assertThat(signal.recipientId()).isEqualTo("p");
            assertThat(signal.senderId()).isEqualTo(ROOT);
            assertThat(signal.messageIds()).containsExactlyInAnyOrder(1, 2, 3);
        });
        assertThat(detector.isQuiescent()).isFalse();
        deliverAll(detector, signals.sent);
        assertThat(detector.isQuiescent()).isTrue();
        assertThat(detector.getMetrics().acknowledgmentsReceived()).isEqualTo(3);
        assertThat(detector.getMetrics().probesSent()).isEqualTo(3);
    }

    @Test
    void fullBatch_isSentAtOnce_evenWhileBusy() {
        DistributedCompletionDetector detector = detector(2);
        CompletionRoot root = detector.root();
        CompletionPeer p = detector.peer("p");
        for (long id = 1; id <= 4; id++) {
            root.onSend("p", id);
            p.onReceive(ROOT, id);
        }
        // message 1 engaged p; 2 and 3 fill a batch; 4 waits
        assertThat(signals.sent).singleElement()
                .satisfies(s -> assertThat(s.messageIds()).containsExactly(2, 3));
        deliverAll(detector, signals.sent);
        assertThat(detector.getDeficitCounter(ROOT)).isEqualTo(2);
        p.onIdle();
        assertThat(signals.sent).singleElement()
                .satisfies(s -> assertThat(s.messageIds()).containsExactly(4, 1));
        deliverAll(detector, signals.sent);
        assertThat(detector.isQuiescent()).isTrue();
    }

    @Test
    void idlePeerStillWaitingForSignals_sendsWhatItHeld_soTwoPeersNeverWaitOnEachOther() {
        DistributedCompletionDetector detector = detector(8);
        CompletionRoot root = detector.root();
        CompletionPeer p = detector.peer("p");
        CompletionPeer q = detector.peer("q");
        root.onSend("p", 1);
        p.onReceive(ROOT, 1);
        root.onSend("q", 2);
        q.onReceive(ROOT, 2);
        p.onSend("q", 3);
        q.onReceive("p", 3); // q engaged: held
        q.onSend("p", 4);
        p.onReceive("q", 4); // p engaged: held

        p.onIdle();
        q.onIdle();

        // each flushed the other's acknowledgment while still waiting for its own
        assertThat(signals.sent).extracting(CompletionSignal::recipientId, CompletionSignal::count)
                .containsExactly(Tuple.tuple("p", 1),
                        Tuple.tuple("q", 1));
        deliverAll(detector, signals.sent);
        assertThat(detector.isQuiescent()).isTrue();
        assertThat(p.isNeutral()).isTrue();
        assertThat(q.isNeutral()).isTrue();
    }

    @Test
    void anotherRootsTree_isItsOwn_andItsSignalsCarryThatRootAndItsMessagesEpoch() {
        DistributedCompletionDetector detector = detector(1);
        CompletionPeer p = detector.peer("p");
        CompletionPeer other = p.tree("m2.root");
        assertThat(p.tree(ROOT)).isSameAs(p);
        assertThat(p.tree("m2.root")).isSameAs(other);
        assertThat(other.rootId()).isEqualTo("m2.root");

        other.onReceive("m2.root", 10, 5);
        assertThat(other.epoch()).isEqualTo(5);
        assertThat(p.isEngaged()).as("p's own tree is not engaged").isFalse();
        assertThat(p.isNeutral()).as("but p is not neutral in every tree").isFalse();
        other.onSend("q", 11);
        assertThat(detector.getDeficitCounter("p")).isEqualTo(1);
        other.onIdle();
        assertThat(signals.sent).isEmpty();

        p.onSignal(new CompletionSignal("m2.root", 5, "p", "q", new long[] {11}));

        assertThat(signals.sent).containsExactly(
                new CompletionSignal("m2.root", 5, "m2.root", "p", new long[] {10}));
        assertThat(p.isNeutral()).isTrue();
        assertThatThrownBy(() -> other.tree("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not the peer's own node");
    }

    @Test
    void signalOfAnUnknownTree_orOfAnotherRootAtTheRoot_isIgnoredAndCounted() {
        DistributedCompletionDetector detector = detector(1);
        detector.root().onSend("p", 1);
        detector.peer("p").onSignal(new CompletionSignal("nowhere", 0, "p", "q",
                new long[] {1, 2}));
        detector.root().onSignal(new CompletionSignal("m2.root", 0, ROOT, "p",
                new long[] {1}));
        assertThat(detector.getMetrics().ignoredSignals()).isEqualTo(3);
        assertThat(detector.getDeficitCounter(ROOT)).isEqualTo(1);
    }

    @Test
    void defaultTransport_sendsEachAcknowledgmentOfACombinedSignal() {
        List<CompletionProbe> probes = new ArrayList<>();
        SignalTransport single = probes::add;
        single.send(new CompletionSignal(ROOT, 3, "a", "b", new long[] {7, 8}));
        assertThat(probes).containsExactly(
                new CompletionProbe(7, "a", "b", CompletionProbe.Type.ACKNOWLEDGMENT, 3),
                new CompletionProbe(8, "a", "b", CompletionProbe.Type.ACKNOWLEDGMENT, 3));
    }

    @Test
    void completionSignal_validatesAndCopies() {
        long[] ids = {1, 2};
        CompletionSignal signal = new CompletionSignal(ROOT, 0, "a", "b", ids);
        ids[0] = 99;
        assertThat(signal.messageIds()).containsExactly(1, 2);
        signal.messageIds()[1] = 99;
        assertThat(signal.messageIds()).containsExactly(1, 2);
        assertThat(signal).isEqualTo(new CompletionSignal(ROOT, 0, "a", "b", new long[] {1, 2}))
                .hasSameHashCodeAs(new CompletionSignal(ROOT, 0, "a", "b", new long[] {1, 2}));
        assertThat(signal.toString()).contains("[1, 2]");
        assertThatThrownBy(() -> new CompletionSignal(ROOT, 0, "a", "b", new long[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        assertThatThrownBy(() -> CompletionSignal.of(ROOT,
                new CompletionProbe(1, "a", "b", CompletionProbe.Type.PROBE, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signalBatchSize_outOfRange_failsAtBuildNamingIt() {
        assertThatThrownBy(() -> DistributedCompletionConfig.builder().signalBatchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signalBatchSize");
        assertThatThrownBy(() -> DistributedCompletionConfig.builder()
                .signalBatchSize(DistributedCompletionConfig.MAX_SIGNAL_BATCH_SIZE + 1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signalBatchSize");
        assertThat(DistributedCompletionConfig.defaults().signalBatchSize()).isEqualTo(1);
        assertThat(DistributedCompletionConfig.builder().signalBatchSize(64).build().toBuilder()
                .build().signalBatchSize()).isEqualTo(64);
    }
}
