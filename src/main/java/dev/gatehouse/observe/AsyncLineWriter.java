package dev.gatehouse.observe;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Formats and writes records as lines from one background thread, in batches (one write per batch,
 * not per line), so the event loop only pays for handing a record over: no formatting, no encoding,
 * no system call, no lock ({@link HandOffRing}) and no wake-up of the writer (it polls instead of
 * waiting, since a waiting consumer costs every producer a futex wake, a context switch on a busy
 * core: every {@link #POLL_MILLIS} ms while lines come, backing off to {@link #IDLE_POLL_MILLIS} ms
 * while none do, because on one core each poll is a context switch the event loop pays for too). Lines are formatted straight into one reused byte buffer,
 * so the writer makes no garbage per line either: on one core its CPU and its collections are paid
 * by the same core as the event loop. When the ring is full the record is dropped and counted rather
 * than blocking the event loop.
 *
 * @param <T> what is handed over; formatted by the writer thread
 */
final class AsyncLineWriter<T> implements AutoCloseable {
    /** How long the writer sleeps after a batch: about the most a line waits under load before it is written. */
    static final long POLL_MILLIS = 10;
    /** The longest sleep after finding nothing (doubling from {@link #POLL_MILLIS}): the most the first line after a quiet spell waits. */
    static final long IDLE_POLL_MILLIS = 80;
    /** Records taken per drain. */
    private static final int BATCH = 4096;
    /** A batch is written early past this many bytes, so long lines cannot grow the buffer without bound. */
    private static final int WRITE_AT = 256 * 1024;

    /** Appends one record's line, without the line end, on the writer thread. */
    interface LineFormat<T> {
        /**
         * @param stamp what the producer handed over with the record (the decision log: the time of recording)
         */
        void format(T record, long stamp, LineBuffer out);
    }

    private final HandOffRing<T> ring;
    private final OutputStream out;
    private final LineFormat<? super T> format;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private final LineBuffer buffer = new LineBuffer(WRITE_AT + 16 * 1024);
    private final HandOffRing.Sink<T> append = this::append;
    /** Lines in {@link #buffer} not yet written; writer thread only. */
    private int pending;
    private volatile boolean closed;

    /** A writer of ready-made lines. */
    static AsyncLineWriter<String> ofLines(OutputStream out, int capacity, String threadName) {
        return new AsyncLineWriter<>(out, capacity, threadName, (line, stamp, buf) -> buf.utf8(line));
    }

    /**
     * @param format appends one record, without the line end; runs on the writer thread, so it must
     *               read nothing that changes after the hand-over
     */
    AsyncLineWriter(OutputStream out, int capacity, String threadName, LineFormat<? super T> format) {
        this.out = out;
        this.format = format;
        this.ring = new HandOffRing<>(capacity);
        this.thread = new Thread(this::drain, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Hands a record over; never blocks. */
    void write(T record) {
        write(record, 0);
    }

    /** Hands a record over with a stamp passed to the format; never blocks. */
    void write(T record, long stamp) {
        if (!ring.offer(record, stamp)) {
            dropped.incrementAndGet();
        }
    }

    /** Records dropped because the writer could not keep up (or could not format or write them). */
    long dropped() {
        return dropped.get();
    }

    private void drain() {
        long sleep = POLL_MILLIS;
        while (true) {
            boolean last = closed; // read before draining: whatever was queued before close() is written
            int n = ring.drain(append, BATCH);
            flush();
            if (n == BATCH) {
                continue; // more may be waiting
            }
            if (last) {
                if (n == 0) {
                    return;
                }
                continue; // closing: no sleep until everything handed over is written
            }
            sleep = n > 0 ? POLL_MILLIS : Math.min(sleep * 2, IDLE_POLL_MILLIS);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(sleep));
            if (Thread.interrupted()) {
                return;
            }
        }
    }

    private void append(T record, long stamp) {
        int start = buffer.length();
        try {
            format.format(record, stamp, buffer);
            buffer.put((byte) '\n');
            pending++;
        } catch (RuntimeException e) {
            // one record that cannot be formatted costs its own line, not the batch's
            buffer.truncate(start);
            dropped.incrementAndGet();
        }
        if (buffer.length() >= WRITE_AT) {
            flush();
        }
    }

    private void flush() {
        if (pending == 0) {
            return;
        }
        try {
            buffer.writeTo(out);
            out.flush();
        } catch (IOException | RuntimeException e) {
            dropped.addAndGet(pending);
        } finally {
            buffer.clear();
            pending = 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        LockSupport.unpark(thread);
        thread.join(2000);
    }
}
