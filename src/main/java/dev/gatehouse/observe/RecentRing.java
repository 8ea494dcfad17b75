package dev.gatehouse.observe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The last {@code capacity} entries of something, in memory, per replica: written from event
 * loops at the cost of one counter increment and one array write (no lock, no formatting, the
 * oldest entry simply overwritten), read rarely (an admin looking) by scanning the whole array.
 * Entries must be immutable (their final fields are then safely published by the release write).
 *
 * <p>A reader racing a writer may see a slot not yet overwritten: an older entry, never a torn
 * one; results are sorted by time so such an entry lands in its place.
 *
 * @param <T> the entry type
 */
public final class RecentRing<T> {
    private final AtomicReferenceArray<T> slots;
    private final AtomicLong next = new AtomicLong();
    private final ToLongFunction<T> time;

    /**
     * @param capacity how many entries are kept
     * @param time     an entry's time (epoch millis), to order what is read newest first
     */
    public RecentRing(int capacity, ToLongFunction<T> time) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.slots = new AtomicReferenceArray<>(capacity);
        this.time = time;
    }

    /** Keeps {@code entry}, forgetting the oldest one when full. */
    public void add(T entry) {
        long n = next.getAndIncrement();
        slots.setRelease((int) (n % slots.length()), entry);
    }

    /** At most {@code limit} entries that {@code filter} accepts, newest first. */
    public List<T> newest(Predicate<? super T> filter, int limit) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < slots.length(); i++) {
            T e = slots.getAcquire(i);
            if (e != null && filter.test(e)) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingLong(time).reversed());
        return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }

    /** How many entries were ever added (the ring holds at most its capacity of them). */
    public long added() {
        return next.get();
    }

    public int capacity() {
        return slots.length();
    }
}
