package io.github.hivemesh.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hivemesh.testing.VirtualTime;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LoadTableTest {

    private final VirtualTime time = new VirtualTime();
    private final LoadTable table = new LoadTable(time.clock());

    @Test
    void get_unknownNode_isZero() {
        assertThat(table.get("nobody")).isZero();
        assertThat(table.accumulatedLoad("nobody")).isZero();
        assertThat(table.contains("nobody")).isFalse();
    }

    @Test
    void loadsBeyondOneByte_areKept() {
        table.set("a", 300);
        table.add("a", 70_000);

        assertThat(table.get("a")).isEqualTo(70_300);
    }

    /** Each add returns its own new load: concurrent adds of 1 return every value once. */
    @Test
    void add_concurrently_eachCallReturnsItsOwnNewLoad() throws Exception {
        int perThread = 200_000;
        BitSet[] returned = {new BitSet(), new BitSet()};
        CountDownLatch start = new CountDownLatch(1);
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            BitSet mine = returned[t];
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    mine.set(table.add("x", 1));
                }
            });
            threads[t].start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(returned[0].intersects(returned[1])).as("a value returned twice").isFalse();
        BitSet all = (BitSet) returned[0].clone();
        all.or(returned[1]);
        assertThat(all.cardinality()).isEqualTo(2 * perThread);
        assertThat(all.nextSetBit(0)).isEqualTo(1);
        assertThat(table.get("x")).isEqualTo(2 * perThread);
    }

    @Test
    void add_belowZero_isRejectedAndLoadUnchanged() {
        table.set("a", 2);

        assertThatThrownBy(() -> table.add("a", -3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("load of 'a' must stay in [0, 2147483647], was 2 + -3");
        assertThat(table.get("a")).isEqualTo(2);
    }

    @Test
    void add_overflow_isRejected() {
        table.set("a", Integer.MAX_VALUE);

        assertThatThrownBy(() -> table.add("a", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void set_negative_isRejectedNamingTheRange() {
        assertThatThrownBy(() -> table.set("a", -1))
                .hasMessage("load must be in [0, 2147483647], was -1");
    }

    @Test
    void accumulatedLoad_integratesLoadOverTime() {
        table.set("a", 2);
        time.advance(Duration.ofMillis(100));
        table.set("a", 5);
        time.advance(Duration.ofMillis(10));

        assertThat(table.accumulatedLoad("a")).isEqualTo(2 * 100 + 5 * 10);
    }

    @Test
    void remove_andSnapshot_reflectTheTable() {
        table.set("b", 1);
        table.add("a", 3);

        assertThat(table.snapshot()).containsExactly(
                java.util.Map.entry("a", 3), java.util.Map.entry("b", 1));
        assertThat(table.remove("b")).isTrue();
        assertThat(table.remove("b")).isFalse();
        assertThat(table.size()).isEqualTo(1);
    }
}
