package dev.gatehouse.observe;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded, lock-free hand-over from any number of threads (the event loops) to one consumer (a
 * writer thread), each record with a {@code long} stamp kept beside it (the time it was recorded,
 * so that no wrapper object is made per record). An offer is one compare-and-set and two stores;
 * a full ring refuses the record instead of waiting.
 *
 * <p>The algorithm is the usual multi-producer array queue (as JCTools' {@code MpscArrayQueue}): a
 * producer claims a sequence number, then publishes its record into the slot with a release store;
 * the consumer takes slots in order and stops at one that is not yet published.
 *
 * @param <T> what is handed over
 */
final class HandOffRing<T> {
    /** Receives what {@link #drain} takes, in order. */
    interface Sink<T> {
        void accept(T record, long stamp);
    }

    private final AtomicReferenceArray<T> slots;
    /** Written before the slot's release store and read after its acquiring load: plain is enough. */
    private final long[] stamps;
    private final int mask;
    private final int capacity;
    private final AtomicLong producerIndex = new AtomicLong();
    /** Written by the consumer only; read by producers to tell a full ring. */
    private final AtomicLong consumerIndex = new AtomicLong();

    /** @param capacity at least this many records fit (rounded up to a power of two) */
    HandOffRing(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.stamps = new long[size];
        this.mask = size - 1;
        this.capacity = size;
    }

    /** Hands a record over; false when the ring is full. Never blocks. */
    boolean offer(T record, long stamp) {
        while (true) {
            long p = producerIndex.get();
            if (p - consumerIndex.get() >= capacity) {
                return false;
            }
            if (producerIndex.compareAndSet(p, p + 1)) {
                int i = (int) p & mask;
                stamps[i] = stamp;
                slots.lazySet(i, record); // publishes the stamp with it
                return true;
            }
        }
    }

    /** Takes up to {@code limit} records, oldest first; consumer thread only. Returns how many. */
    int drain(Sink<? super T> sink, int limit) {
        long c = consumerIndex.get();
        int n = 0;
        while (n < limit) {
            int i = (int) c & mask;
            T record = slots.get(i);
            if (record == null) {
                break; // empty, or claimed and not yet published: taken on the next drain
            }
            long stamp = stamps[i];
            slots.lazySet(i, null);
            consumerIndex.lazySet(++c); // frees the slot for producers, after it was emptied
            n++;
            sink.accept(record, stamp);
        }
        return n;
    }
}
