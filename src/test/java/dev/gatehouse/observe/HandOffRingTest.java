package dev.gatehouse.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision log's hand-over: nothing lost or reordered per producer, each stamp with its record, a full ring refuses. */
class HandOffRingTest {

    @Test
    void aFullRingRefusesAndTakesAgainOnceDrained() {
        HandOffRing<String> ring = new HandOffRing<>(4);
        for (int i = 0; i < 4; i++) {
            assertThat(ring.offer("r" + i, i)).isTrue();
        }
        assertThat(ring.offer("r4", 4)).isFalse();
        List<String> taken = new ArrayList<>();
        assertThat(ring.drain((r, stamp) -> taken.add(r + "@" + stamp), 3)).isEqualTo(3);
        assertThat(taken).containsExactly("r0@0", "r1@1", "r2@2");
        assertThat(ring.offer("r5", 5)).isTrue();
        assertThat(ring.drain((r, stamp) -> taken.add(r + "@" + stamp), 100)).isEqualTo(2);
        assertThat(taken).endsWith("r3@3", "r5@5");
        assertThat(ring.drain((r, stamp) -> taken.add(r), 100)).isZero();
    }

    @Test
    void manyProducersOneConsumer() throws Exception {
        int producers = 4;
        int each = 200_000;
        HandOffRing<long[]> ring = new HandOffRing<>(1024);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            Thread t = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    long[] record = {id, i};
                    while (!ring.offer(record, id * 1_000_000L + i)) {
                        Thread.onSpinWait(); // full: the test wants every record through
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        long[] next = new long[producers];
        long[] received = {0};
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (received[0] < (long) producers * each && System.nanoTime() < deadline) {
            ring.drain((r, stamp) -> {
                int id = (int) r[0];
                assertThat(r[1]).isEqualTo(next[id]);
                assertThat(stamp).isEqualTo(id * 1_000_000L + r[1]);
                next[id]++;
                received[0]++;
            }, 4096);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(received[0]).isEqualTo((long) producers * each);
    }
}
