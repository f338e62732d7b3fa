package io.github.hivemesh.cluster.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.hivemesh.testing.ClusterFixture;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Closing the transports stops every thread JGroups started for them. */
class TransportThreadsTest {

    private static List<String> threadsOf(String cluster) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(name -> name.contains(cluster))
                .sorted().collect(Collectors.toList());
    }

    @Test
    void close_stopsTheEnginesThreads() {
        String cluster;
        try (ClusterFixture fixture = ClusterFixture.start(2)) {
            cluster = fixture.clusterName();
            fixture.transport(0).sendToAll(new byte[] {1});
            // platform threads only: on JDK 21+ JGroups uses virtual threads where it can
            assertThat(Runtime.version().feature() >= 21 || !threadsOf(cluster).isEmpty())
                    .as("JGroups threads are named after the cluster").isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(threadsOf(cluster)).as("threads left after close").isEmpty());
    }
}
