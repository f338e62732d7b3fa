package io.github.hivemesh.cluster.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.cluster.ClusterConfig;
import io.github.hivemesh.cluster.ClusterTransport;
import io.github.hivemesh.cluster.ClusterView;
import io.github.hivemesh.cluster.MemberId;
import io.github.hivemesh.testing.ChildJvm;
import io.github.hivemesh.testing.ClusterFixture;
import io.github.hivemesh.testing.RecordingListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member in a child JVM that leaves, is killed ({@code SIGKILL}) or hangs ({@code SIGSTOP})
 * leaves the view of the two members in this JVM within the configured detection time
 * (fast timeouts, {@link ClusterFixture#fast}); a hung one, once continued, is a zombie that
 * this side never admits again.
 */
class ClusterFailureTest {

    /** Generous slack over the configured times for a loaded 2-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    /** Which timeouts both sides use: {@code fast} ({@link ClusterFixture#fast}). */
    String timeouts() {
        return "fast";
    }

    /** The config those timeouts give, for the bounds. */
    ClusterConfig timing() {
        return ClusterFixture.fast("x", "x", List.of(1), 0).build();
    }

    private final List<ClusterTransport> local = new ArrayList<>();
    private final List<RecordingListener> listeners = new ArrayList<>();
    private ChildJvm child;
    private MemberId childId;

    /** Two members here, one in a child JVM, all in one view. */
    private void startCluster() {
        String timeouts = timeouts();
        String cluster = ClusterFixture.freshClusterName();
        List<Integer> ports = ClusterFixture.freePorts(3);
        for (int i = 0; i < 2; i++) {
            ClusterTransport transport = ClusterTransport.create(ClusterMemberMain.config(
                    cluster, "local" + i, ports, i, timeouts));
            RecordingListener listener = new RecordingListener();
            local.add(transport);
            listeners.add(listener);
            transport.start(listener);
        }
        child = ChildJvm.builder(ClusterMemberMain.class).name("member-child")
                .systemProperty("hm.cluster", cluster).systemProperty("hm.member", "child")
                .systemProperty("hm.ports", ports.stream().map(String::valueOf)
                        .collect(Collectors.joining(",")))
                .systemProperty("hm.index", "2").systemProperty("hm.timeouts", timeouts)
                .start();
        String ready = child.awaitLine(l -> l.startsWith("READY "), Duration.ofSeconds(60));
        String self = ready.substring("READY ".length());
        await().atMost(Duration.ofSeconds(20)).until(() -> local.stream().allMatch(t ->
                t.view().size() == 3));
        childId = local.get(0).view().members().stream().filter(m -> m.toString().equals(self))
                .findFirst().orElseThrow();
    }

    @AfterEach
    void tearDown() {
        if (child != null) {
            child.close();
        }
        for (ClusterTransport transport : local) {
            transport.close();
        }
    }

    private boolean childGoneEverywhere() {
        return local.stream().noneMatch(t -> t.view().contains(childId));
    }

    /** Waits until both local members dropped the child; returns how long that took. */
    private Duration awaitExclusion(long startNanos, Duration bound) {
        await().atMost(bound).pollInterval(Duration.ofMillis(10)).until(this::childGoneEverywhere);
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Test
    void aLeavingMember_isOutOfTheViewAtOnce() {
        startCluster();
        long start = System.nanoTime();
        child.send("QUIT");
        Duration took = awaitExclusion(start, timing().failureDetectionTimeout());
        assertThat(child.awaitExit(Duration.ofSeconds(10))).isZero();
        System.out.println("cluster detection (" + timeouts() + " timeouts): leave "
                + took.toMillis() + " ms");
        assertThat(local.get(0).send(childId, new byte[] {1})).isFalse();
        assertThat(listeners.get(0).violations()).isEmpty();
    }

    @Test
    void aKilledMember_leavesTheViewWithinTheDetectionTime() {
        startCluster();
        long start = System.nanoTime();
        child.kill();
        Duration took = awaitExclusion(start, timing().suspectVerificationTimeout().plus(SLACK));
        System.out.println("cluster detection (" + timeouts() + " timeouts): crash (SIGKILL) "
                + took.toMillis() + " ms");
        assertThat(local.get(1).view().size()).isEqualTo(2);
    }

    @Test
    void aHungMember_isExcluded_andOnceContinuedIsAZombieThatIsNeverReadmitted() {
        startCluster();
        long start = System.nanoTime();
        child.suspend();
        Duration took = awaitExclusion(start, timing().failureDetectionTimeout()
                .plus(timing().failureDetectionInterval())
                .plus(timing().suspectVerificationTimeout()).plus(SLACK));
        System.out.println("cluster detection (" + timeouts() + " timeouts): hang (SIGSTOP) "
                + took.toMillis() + " ms");
        List<MemberId> survivors = local.get(0).view().members();

        child.resume();
        child.send("ALL zombie-speaks");
        // The zombie ends alone in its own view: either it suspects the others itself, or
        // JGroups merges it back and its gate fences the members that went on without it.
        String alone = child.awaitLine(l -> l.startsWith("VIEW ") && l.contains("members="
                + childId + " "), timing().failureDetectionTimeout().plus(Duration.ofSeconds(30)));
        System.out.println("zombie's view after SIGCONT: " + alone);
        // MERGE3 merges the two sides; this side fences the zombie.
        await().atMost(timing().mergeMaxInterval().multipliedBy(2).plus(Duration.ofSeconds(30))).until(() -> listeners.get(0).views().stream()
                .anyMatch(v -> v.merge() && v.fenced().contains(childId)));
        for (int i = 0; i < 2; i++) {
            List<ClusterView> views = listeners.get(i).views();
            int excluded = 0;
            while (!views.get(excluded).contains(childId)) {
                excluded++;                          // views before the child joined
            }
            while (views.get(excluded).contains(childId)) {
                excluded++;                          // views with the child
            }
            for (ClusterView view : views.subList(excluded, views.size())) {
                assertThat(view.members()).as("views after the exclusion").doesNotContain(childId);
            }
            assertThat(listeners.get(i).textsFrom(childId)).doesNotContain("zombie-speaks");
            // a merge may change the order (JGroups sorts the merged members), not the set
            assertThat(local.get(i).view().members())
                    .containsExactlyInAnyOrderElementsOf(survivors);
            assertThat(listeners.get(i).violations()).isEmpty();
        }
        child.send("ALL zombie-again");
        assertThat(child.awaitLine(l -> l.startsWith("SENT "), Duration.ofSeconds(10)))
                .as("the zombie has no one to send to").isIn("SENT 0", "SENT 1", "SENT 2");
        assertThat(listeners.get(0).textsFrom(childId)).isEmpty();
    }
}
