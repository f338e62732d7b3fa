package io.github.hivemesh.cluster.jgroups;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hivemesh.testing.ChildJvm;
import io.github.hivemesh.testing.ClusterFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mesh across processes (issue 20): three child JVMs, each a member of one swarm over
 * JGroups TCP on 127.0.0.1 hosting two agents ({@link MeshMemberMain}). Two members submit a
 * delegating, messaging workload at once; every task runs exactly once, somewhere, and each
 * member's completion is exact for its own work: reported after the last session or handler
 * of that work ended, in whichever process it ran (one monotonic clock for every process of
 * the machine), with every one of its tasks' futures complete.
 */
class MeshAcrossProcessesTest {

    private static final Duration STEP = Duration.ofSeconds(90);
    private static final int PARENTS = 40;

    private final List<ChildJvm> children = new ArrayList<>();

    @AfterEach
    void close() {
        children.forEach(ChildJvm::close);
    }

    @Test
    void twoMembersSubmitAtOnce_everyTaskRunsOnce_andEachCompletionIsExact() {
        String cluster = ClusterFixture.freshClusterName();
        List<Integer> ports = ClusterFixture.freePorts(3);
        for (int i = 0; i < 3; i++) {
            children.add(ChildJvm.builder(MeshMemberMain.class).name("mesh-member-" + i)
                    .systemProperty("hm.cluster", cluster)
                    .systemProperty("hm.ports", ports.stream().map(String::valueOf)
                            .collect(Collectors.joining(",")))
                    .systemProperty("hm.index", String.valueOf(i)).start());
        }
        for (ChildJvm child : children) {
            child.awaitLine(line -> line.equals("READY"), STEP);
        }
        for (ChildJvm child : children) {
            child.send("AGENTS 4");
            assertThat(child.awaitLine(line -> line.startsWith("AGENTS "), STEP))
                    .isEqualTo("AGENTS 4");
        }

        children.get(0).send("SUBMIT " + PARENTS);
        children.get(1).send("SUBMIT " + PARENTS);
        Map<String, Long> detectedAt = new HashMap<>();
        for (int m = 0; m < 2; m++) {
            String[] done = children.get(m).awaitLine(line -> line.startsWith("DONE "), STEP)
                    .split(" ");
            assertThat(done[1]).as("member %d's completion", m).isEqualTo("true");
            assertThat(Long.parseLong(done[3])).as("member %d's parents completed when it "
                    + "reported", m).isEqualTo(PARENTS);
            detectedAt.put("m" + m, Long.parseLong(done[2]));
        }

        List<String> ran = new ArrayList<>();
        Map<String, Long> latestEnd = new HashMap<>();
        Map<String, Long> handled = new HashMap<>();
        List<Integer> ranPerProcess = new ArrayList<>();
        for (ChildJvm child : children) {
            int before = ran.size();
            int from = child.lines().size();
            child.send("STATS");
            child.awaitLine(line -> line.startsWith("STATS DONE"), STEP);
            for (String line : child.lines().subList(from, child.lines().size())) {
                if (line.startsWith("RAN ") && line.length() > 4) {
                    ran.addAll(List.of(line.substring(4).split(",")));
                } else if (line.startsWith("END ")) {
                    String[] end = line.split(" ");
                    latestEnd.merge(end[1], Long.parseLong(end[2]), Math::max);
                    handled.merge(end[1], Long.parseLong(end[3]), Long::sum);
                }
            }
            ranPerProcess.add(ran.size() - before);
        }

        Set<String> expected = new HashSet<>();
        for (int m = 0; m < 2; m++) {
            for (int t = 0; t < PARENTS; t++) {
                String parent = "m" + m + "-" + t + "-p";
                expected.add(parent);
                expected.add(parent + "0");
                expected.add(parent + "1");
            }
        }
        assertThat(ran).as("every task ran exactly once").hasSize(expected.size())
                .containsExactlyInAnyOrderElementsOf(expected);
        for (int m = 0; m < 2; m++) {
            String root = "m" + m;
            assertThat(handled.get(root)).as("messages of %s's work handled", root)
                    .isEqualTo(PARENTS);
            assertThat(latestEnd.get(root)).as("%s's last work ended before its completion "
                    + "was reported", root).isLessThan(detectedAt.get(root));
        }
        // the work ran in every process, the one that submitted nothing too
        assertThat(ranPerProcess).as("tasks run per process").allSatisfy(n ->
                assertThat(n).isPositive());
        for (ChildJvm child : children) {
            child.send("QUIT");
        }
    }
}
