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
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * Formats and writes records as lines from one background thread, in batches (one write per batch,
 * not per line), so the event loop only pays for handing a record over: no formatting, no encoding,
 * no system call, and no wake-up of the writer (it polls every {@link #POLL_MILLIS} ms instead of
 * waiting on the queue, since a waiting consumer costs every producer a futex wake, a context
 * switch on a busy core). When the queue is full the record is dropped and counted rather than
 * blocking the event loop.
 *
 * @param <T> what is handed over; formatted by the writer thread
 */
final class AsyncLineWriter<T> implements AutoCloseable {
    /** How long the writer sleeps when it found nothing: the most a line waits before it is written. */
    static final long POLL_MILLIS = 5;

    private final BlockingQueue<T> queue;
    private final OutputStream out;
    private final BiConsumer<T, StringBuilder> format;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    /** A writer of ready-made lines. */
    @SuppressWarnings("unchecked")
    AsyncLineWriter(OutputStream out, int capacity, String threadName) {
        this(out, capacity, threadName, (line, sb) -> sb.append((String) line));
    }

    /**
     * @param format appends one record, without the line end; runs on the writer thread, so it must
     *               read nothing that changes after the hand-over
     */
    AsyncLineWriter(OutputStream out, int capacity, String threadName, BiConsumer<T, StringBuilder> format) {
        this.out = out;
        this.format = format;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::drain, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Hands a record over; never blocks. */
    void write(T record) {
        if (!queue.offer(record)) {
            dropped.incrementAndGet();
        }
    }

    /** Records dropped because the writer could not keep up. */
    long dropped() {
        return dropped.get();
    }

    private void drain() {
        List<T> batch = new ArrayList<>(4096);
        StringBuilder sb = new StringBuilder(256 * 1024);
        while (true) {
            boolean last = closed; // read before draining: whatever was queued before close() is written
            queue.drainTo(batch, 4096);
            if (batch.isEmpty()) {
                if (last) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
                if (Thread.interrupted()) {
                    return;
                }
                continue;
            }
            try {
                for (T record : batch) {
                    format.accept(record, sb);
                    sb.append('\n');
                }
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException | RuntimeException e) {
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
        LockSupport.unpark(thread);
        thread.join(2000);
    }
}
