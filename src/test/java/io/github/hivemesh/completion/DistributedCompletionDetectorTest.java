package io.github.hivemesh.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.completion.CompletionProbe.Type;
import io.github.hivemesh.testing.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The detector's rules and API, driven by hand: hooks are called directly and signals are
 * captured by a list transport and delivered when the test says so.
 */
class DistributedCompletionDetectorTest {

    private static final String SWARM = "swarm";
    private static final String ROOT = "root";

    private final List<CompletionProbe> signals = new ArrayList<>();
    private VirtualScheduler time;
    private IDistributedCompletionDetector detector;
    private CompletionRoot root;
    private CompletionPeer p;
    private CompletionPeer q;

    @BeforeEach
    void setUp() {
        time = new VirtualScheduler();
        detector = DistributedCompletionDetector.createDistributedCompletionDetector(SWARM, ROOT,
                signals::add, DistributedCompletionConfig.builder().clock(time.clock())
                        .scheduler(time).defaultTimeout(Duration.ofSeconds(10)).build());
        detector.initialize(List.of("p", "q"));
        root = detector.root();
        p = detector.peer("p");
        q = detector.peer("q");
    }

    /** Delivers the oldest captured signal to the participant it is addressed to. */
    private void deliverSignal() {
        CompletionProbe ack = signals.remove(0);
        node(ack.senderId()).onSignal(ack);
    }

    private CompletionNode node(String id) {
        return id.equals(ROOT) ? root : detector.peer(id);
    }

    /** root → p (msg 1), p → q (msg 2): p engaged by root, q engaged by p. */
    private void chainRootPQ() {
        root.onSend("p", 1);
        p.onReceive(ROOT, 1);
        p.onSend("q", 2);
        q.onReceive("p", 2);
    }

    @Test
    void detectCompletion_whenQuiescent_completesTrueAtOnce() {
        assertThat(detector.detectCompletion(SWARM, Duration.ofSeconds(1))).isCompletedWithValue(true);
        CompletionDetectorMetrics metrics = detector.getMetrics();
        assertThat(metrics.detectionAttempts()).isEqualTo(1);
        assertThat(metrics.successfulDetections()).isEqualTo(1);
        assertThat(metrics.longestDetectionTime()).isZero();
    }

    @Test
    void detectCompletion_whileWorkRuns_completesFalseOnTimeout_andCountsIt() {
        chainRootPQ();
        CompletableFuture<Boolean> done = detector.detectCompletion(SWARM, Duration.ofSeconds(5));
        time.advance(Duration.ofSeconds(4));
        assertThat(done).isNotDone();
        time.advance(Duration.ofSeconds(1));
        assertThat(done).isCompletedWithValue(false);
        CompletionDetectorMetrics metrics = detector.getMetrics();
        assertThat(metrics.detectionAttempts()).isEqualTo(1);
        assertThat(metrics.timeouts()).isEqualTo(1);
        assertThat(metrics.successfulDetections()).isZero();
    }

    @Test
    void detectCompletion_withZeroTimeoutWhileBusy_isFalseAtOnce() {
        root.hold();
        assertThat(detector.detectCompletion(SWARM, Duration.ZERO)).isCompletedWithValue(false);
        assertThat(detector.getMetrics().timeouts()).isEqualTo(1);
    }

    @Test
    void detectCompletion_withATimeoutBeyondNanosecondRange_waitsInsteadOfExpiring() {
        root.hold();
        CompletableFuture<Boolean> done =
                detector.detectCompletion(SWARM, Duration.ofSeconds(Long.MAX_VALUE));
        time.advance(Duration.ofDays(365));
        assertThat(done).isNotDone();
        root.release();
        assertThat(done).isCompletedWithValue(true);
    }

    @Test
    void detectCompletion_defaultTimeout_comesFromTheConfig() {
        root.hold();
        CompletableFuture<Boolean> done = detector.detectCompletion(SWARM);
        time.advance(Duration.ofSeconds(9));
        assertThat(done).isNotDone();
        time.advance(Duration.ofSeconds(1));
        assertThat(done).isCompletedWithValue(false);
    }

    @Test
    void detectCompletion_isTrueWhenTheLastSignalReachesTheRoot_andTimesTheDetection() {
        chainRootPQ();
        CompletableFuture<Boolean> done = detector.detectCompletion(SWARM, Duration.ofMinutes(1));
        q.onIdle();                         // q: idle, deficit 0 → signals p
        assertThat(signals).extracting(CompletionProbe::senderId).containsExactly("p");
        deliverSignal();                    // p's deficit 0, but p is still busy
        assertThat(signals).isEmpty();
        assertThat(done).isNotDone();
        time.advance(Duration.ofSeconds(3));
        p.onIdle();                         // p detaches → signals root
        assertThat(done).isNotDone();
        deliverSignal();
        assertThat(done).isCompletedWithValue(true);
        CompletionDetectorMetrics metrics = detector.getMetrics();
        assertThat(metrics.probesSent()).isEqualTo(2);
        assertThat(metrics.acknowledgmentsReceived()).isEqualTo(2);
        assertThat(metrics.successfulDetections()).isEqualTo(1);
        assertThat(metrics.averageDetectionTime()).isEqualTo(Duration.ofSeconds(3));
        assertThat(metrics.longestDetectionTime()).isEqualTo(Duration.ofSeconds(3));
        assertThat(metrics.completedPeers()).isEqualTo(2);
        assertThat(time.queued()).as("the timeout was cancelled").isZero();
    }

    @Test
    void engagedPeer_signalsAnotherBasicMessageAtOnce_evenFromItself() {
        chainRootPQ();
        p.onSend("p", 3);
        p.onReceive("p", 3);
        assertThat(signals).containsExactly(new CompletionProbe(3, "p", "p", Type.ACKNOWLEDGMENT, 0));
        deliverSignal();
        assertThat(detector.getDeficitCounter("p")).isEqualTo(1);
    }

    @Test
    void idlePeer_withDeficit_waitsForItsLastSignalBeforeDetaching() {
        chainRootPQ();
        p.onIdle();
        assertThat(signals).isEmpty();
        assertThat(p.isEngaged()).isTrue();
        assertThat(detector.isPeerCompleted("p")).isFalse();
        q.onIdle();
        deliverSignal();                    // q's signal reaches p: p detaches at once
        assertThat(signals).extracting(CompletionProbe::senderId).containsExactly(ROOT);
        assertThat(p.isEngaged()).isFalse();
        deliverSignal();
        assertThat(detector.isQuiescent()).isTrue();
        assertThat(detector.isPeerCompleted(ROOT)).isTrue();
    }

    @Test
    void completionProbes_areTheUnsignalledBasicMessages_asManyAsTheDeficit() {
        chainRootPQ();
        p.onSend("q", 4);
        assertThat(detector.getDeficitCounter("p")).isEqualTo(2);
        assertThat(detector.getCompletionProbes("p")).containsExactlyInAnyOrder(
                new CompletionProbe(2, "p", "q", Type.PROBE, 0),
                new CompletionProbe(4, "p", "q", Type.PROBE, 0));
        assertThat(detector.getCompletionProbes(ROOT)).containsExactly(
                new CompletionProbe(1, ROOT, "p", Type.PROBE, 0));
        assertThat(detector.getDeficitCounter(ROOT)).isEqualTo(1);
        assertThat(detector.getCompletionProbes("q")).isEmpty();
    }

    @Test
    void rootPendingTask_keepsTheSwarmBusy_untilReleased() {
        root.hold();
        assertThat(root.pending()).isEqualTo(1);
        CompletableFuture<Boolean> done = detector.detectCompletion(SWARM, Duration.ofMinutes(1));
        root.onSend("p", 7);                // the held task is sent: deficit first ...
        root.release();                     // ... then the hold goes
        assertThat(done).isNotDone();
        p.onReceive(ROOT, 7);
        p.onIdle();
        deliverSignal();
        assertThat(done).isCompletedWithValue(true);
        assertThat(root.pending()).isZero();
    }

    @Test
    void release_withoutHold_isRefused() {
        assertThatThrownBy(root::release).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds no pending task");
    }

    @Test
    void onSendFailed_withdrawsTheBasicMessage_atRootAndPeer() {
        chainRootPQ();
        p.onSend("q", 5);
        p.onSendFailed(5);
        p.onSendFailed(99);                 // unknown: ignored
        assertThat(detector.getDeficitCounter("p")).isEqualTo(1);
        root.onSend("q", 6);
        root.onSendFailed(6);
        assertThat(detector.getDeficitCounter(ROOT)).isEqualTo(1);
        assertThat(detector.getMetrics().probesSent()).isEqualTo(2);
    }

    @Test
    void onSendFailed_ofTheLastOutstandingMessage_letsAnIdlePeerDetach() {
        root.onSend("p", 1);
        p.onReceive(ROOT, 1);
        p.onSend("q", 2);
        p.onIdle();
        p.onSendFailed(2);
        assertThat(signals).extracting(CompletionProbe::messageId).containsExactly(1L);
        root.onSend("q", 3);
        root.onSendFailed(3);
        deliverSignal();
        assertThat(detector.isQuiescent()).isTrue();
    }

    @Test
    void neutralPeer_mayNotSendBasicMessages() {
        assertThatThrownBy(() -> p.onSend("q", 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'p' is neutral");
    }

    @Test
    void sameMessageIdTwice_isRefused_andLeavesTheCountsAlone() {
        root.onSend("p", 1);
        assertThatThrownBy(() -> root.onSend("q", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already outstanding");
        assertThat(detector.getDeficitCounter(ROOT)).isEqualTo(1);
        p.onReceive(ROOT, 1);
        p.onIdle();
        deliverSignal();
        assertThat(detector.isQuiescent()).isTrue();
    }

    @Test
    void reset_isRefusedWhileWorkIsOutstanding() {
        root.hold();
        assertThatThrownBy(detector::reset).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not quiescent");
        assertThat(detector.epoch()).isZero();
    }

    @Test
    void reset_whileQuiescent_startsANewEpoch_andStaleSignalsAreIgnored() {
        detector.reset();
        assertThat(detector.epoch()).isEqualTo(1);
        chainRootPQ();
        q.onIdle();
        CompletionProbe current = signals.remove(0);
        assertThat(current.epoch()).isEqualTo(1);
        CompletionProbe stale = new CompletionProbe(current.messageId(), current.senderId(),
                current.recipientId(), Type.ACKNOWLEDGMENT, 0);
        p.onSignal(stale);
        assertThat(detector.getDeficitCounter("p")).isEqualTo(1);
        assertThat(detector.getMetrics().ignoredSignals()).isEqualTo(1);
        p.onSignal(current);
        assertThat(detector.getDeficitCounter("p")).isZero();
        assertThat(detector.getMetrics().epoch()).isEqualTo(1);
    }

    @Test
    void repeatedMisaddressedOrProbeTypedSignals_areIgnored() {
        chainRootPQ();
        q.onIdle();
        CompletionProbe ack = signals.remove(0);
        q.onSignal(ack);                                       // addressed to p, not q
        p.onSignal(new CompletionProbe(2, "p", "q", Type.PROBE, 0)); // not an acknowledgment
        p.onSignal(ack);
        p.onSignal(ack);                                       // repeated
        root.onSignal(new CompletionProbe(42, ROOT, "p", Type.ACKNOWLEDGMENT, 0)); // unknown id
        assertThat(detector.getMetrics().ignoredSignals()).isEqualTo(4);
        assertThat(detector.getMetrics().acknowledgmentsReceived()).isEqualTo(1);
        assertThat(detector.getDeficitCounter("p")).isZero();
        assertThat(detector.getDeficitCounter(ROOT)).isEqualTo(1);
    }

    @Test
    void peersMayJoinLater_andLeaveOnlyWhenNeutral() {
        CompletionPeer r = detector.addPeer("r");
        assertThat(detector.addPeer("r")).isSameAs(r);
        assertThat(detector.peerIds()).isEqualTo(Set.of("p", "q", "r"));
        root.onSend("r", 1);
        r.onReceive(ROOT, 1);
        assertThatThrownBy(() -> detector.removePeer("r"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("engaged");
        r.onIdle();
        assertThat(detector.removePeer("r")).isTrue();
        assertThat(detector.removePeer("r")).isFalse();
        assertThat(detector.getMetrics().peers()).isEqualTo(2);
    }

    @Test
    void unknownPeersAndTheRootId_areRejectedClearly() {
        assertThatThrownBy(() -> detector.peer("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no peer 'x'");
        assertThatThrownBy(() -> detector.getDeficitCounter("x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> detector.addPeer(ROOT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root");
        assertThatThrownBy(() -> detector.addPeer(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> detector.initialize(java.util.Arrays.asList("a", null)))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void detectCompletion_rejectsAnotherSwarm_aNegativeTimeout_andNulls() {
        assertThatThrownBy(() -> detector.detectCompletion("other", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'other'");
        assertThatThrownBy(() -> detector.detectCompletion(SWARM, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> detector.detectCompletion(null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> root.onSignal((CompletionProbe) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shutdown_failsWaitingFutures_andLaterCalls() {
        root.hold();
        CompletableFuture<Boolean> waiting = detector.detectCompletion(SWARM, Duration.ofSeconds(5));
        detector.shutdown();
        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::join).isInstanceOf(CompletionException.class)
                .hasMessageContaining("shut down");
        assertThat(detector.detectCompletion(SWARM, Duration.ofSeconds(5)))
                .isCompletedExceptionally();
        assertThat(time.queued()).as("timeouts cancelled").isZero();
    }

    @Test
    void toString_namesTheStateOfRootAndPeers() {
        chainRootPQ();
        assertThat(detector.toString()).contains("swarm", "deficit=1");
        assertThat(p.toString()).contains("parent=root", "deficit=1");
        assertThat(q.toString()).contains("parent=p", "deficit=0");
        assertThat(root.toString()).contains("pending=0");
        assertThat(root.id()).isEqualTo(ROOT);
        assertThat(p.id()).isEqualTo("p");
    }

    @Test
    void withoutAnInjectedScheduler_timeoutsStillFire() {
        IDistributedCompletionDetector plain = DistributedCompletionDetector
                .createDistributedCompletionDetector(SWARM, ROOT, signals::add,
                        DistributedCompletionConfig.defaults());
        plain.root().hold();
        assertThat(plain.detectCompletion(SWARM, Duration.ofMillis(20)).join()).isFalse();
        assertThat(plain.getMetrics().timeouts()).isEqualTo(1);
    }
}
