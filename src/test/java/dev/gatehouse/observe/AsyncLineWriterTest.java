package dev.gatehouse.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The decision log's writer: every line, in order, whole; a stalled output drops, never blocks. */
class AsyncLineWriterTest {

    @Test
    void writesEveryLineInOrder() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsyncLineWriter<String> writer = AsyncLineWriter.ofLines(out, 100_000, "test-writer");
        for (int i = 0; i < 20_000; i++) {
            writer.write("{\"n\":" + i + "}");
        }
        writer.close();
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(20_000);
        assertThat(lines[0]).isEqualTo("{\"n\":0}");
        assertThat(lines[19_999]).isEqualTo("{\"n\":19999}");
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void aStalledOutputDropsLinesInsteadOfBlocking() throws Exception {
        CountDownLatch stalledNow = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void write(byte[] b, int off, int len) {
                stalledNow.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        AsyncLineWriter<String> writer = AsyncLineWriter.ofLines(stalled, 10, "stalled-writer");
        // the writer takes a first line and hangs in the output: from then on nothing leaves the ring
        // (waiting for that makes the count exact: a writer still draining could take any number)
        writer.write("first");
        assertThat(stalledNow.await(10, TimeUnit.SECONDS)).as("the writer reached the output").isTrue();
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            writer.write("line " + i);
        }
        assertThat(System.nanoTime() - start).as("the caller never waits for the output").isLessThan(1_000_000_000L);
        // a ring asked for 10 places has 16 (a power of two): the other 984 lines are dropped
        assertThat(writer.dropped()).isEqualTo(1000 - 16);
        release.countDown();
        writer.close();
    }
}
