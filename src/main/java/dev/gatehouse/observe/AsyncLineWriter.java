package dev.gatehouse.observe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes lines to a stream from one background thread, in batches (one write per batch, not per
 * line), so the event loop only pays for handing a line over. When the queue is full the line is
 * dropped and counted rather than blocking the event loop.
 */
final class AsyncLineWriter implements AutoCloseable {
    private final BlockingQueue<String> queue;
    private final OutputStream out;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    AsyncLineWriter(OutputStream out, int capacity, String threadName) {
        this.out = out;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::drain, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Hands a line over; never blocks. */
    void write(String line) {
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    /** Lines dropped because the writer could not keep up. */
    long dropped() {
        return dropped.get();
    }

    private void drain() {
        List<String> batch = new ArrayList<>(1024);
        StringBuilder sb = new StringBuilder(64 * 1024);
        while (!closed || !queue.isEmpty()) {
            try {
                String first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4095);
                for (String line : batch) {
                    sb.append(line).append('\n');
                }
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                dropped.addAndGet(batch.size());
            } finally {
                batch.clear();
                sb.setLength(0);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(2000);
    }
}
