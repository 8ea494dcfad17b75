package dev.gatehouse.gateway.forward;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The deadlines of one event loop, all touched only on that loop's thread: a {@link Deadline} joins
 * with {@link #add}, leaves with {@link Deadline#cancel()}, and is {@linkplain Deadline#expire()
 * expired} by one task of the loop when its time has come.
 *
 * <p>Why not a timer each: a Vert.x timer per upstream request ({@code RequestOptions.setIdleTimeout})
 * puts an entry in the Vert.x-wide timer map, a task in the loop's priority queue and a close hook,
 * and takes all three out again when the answer comes, which nearly every request does long before
 * its deadline (3.4% of the event loop's samples). Here the deadlines of one timeout length form a
 * list in deadline order (a later add has a later deadline), so adding is a link at the tail and
 * cancelling an unlink, and a single task, scheduled for the earliest deadline, serves them all: it
 * runs when a deadline is due (or when the one it was scheduled for was cancelled meanwhile, then
 * schedules itself for the next), never per request.
 */
final class LoopDeadlines {
    private static final Logger LOG = Logger.getLogger(LoopDeadlines.class);
    /** Distinct timeout lengths are few (one per app at most, usually one): a short array of lanes. */
    private Lane[] lanes = new Lane[0];
    private final EventExecutor loop;
    private final LongSupplier nanoClock;
    private final Runnable sweep = this::sweep;
    /** The pending sweep and the time it was scheduled for; null when none is pending. */
    private ScheduledFuture<?> pending;
    private long pendingAt;

    LoopDeadlines(EventExecutor loop, LongSupplier nanoClock) {
        this.loop = loop;
        this.nanoClock = nanoClock;
    }

    /** Starts {@code d}'s countdown of {@code timeoutMillis} (at least 1) now. Loop thread only. */
    void add(Deadline d, long timeoutMillis) {
        long now = nanoClock.getAsLong();
        Lane lane = lane(timeoutMillis);
        d.at = now + lane.nanos;
        d.lane = lane;
        d.prev = lane.tail;
        if (lane.tail == null) {
            lane.head = d;
        } else {
            lane.tail.next = d;
        }
        lane.tail = d;
        if (pending == null || d.at - pendingAt < 0) {
            // nothing pending, or this deadline is earlier than the pending sweep (a shorter timeout)
            schedule(d.at, now);
        }
    }

    private Lane lane(long timeoutMillis) {
        for (Lane l : lanes) {
            if (l.millis == timeoutMillis) {
                return l;
            }
        }
        Lane[] more = java.util.Arrays.copyOf(lanes, lanes.length + 1);
        more[lanes.length] = new Lane(timeoutMillis);
        lanes = more;
        return more[lanes.length - 1];
    }

    private void schedule(long at, long now) {
        if (pending != null) {
            pending.cancel(false);
        }
        pendingAt = at;
        pending = loop.schedule(sweep, Math.max(0, at - now), TimeUnit.NANOSECONDS);
    }

    /** Expires every due deadline, then waits for the earliest one left, if any. */
    void sweep() {
        pending = null;
        long now = nanoClock.getAsLong();
        long next = 0;
        boolean any = false;
        for (Lane lane : lanes) {
            Deadline d;
            while ((d = lane.head) != null && d.at - now <= 0) {
                d.cancel();
                try {
                    d.expire();
                } catch (RuntimeException e) {
                    // one failed expiry must not leave the loop's other deadlines unserved
                    LOG.warnf(e, "a deadline's expiry failed");
                }
            }
            if (lane.head != null && (!any || lane.head.at - next < 0)) {
                next = lane.head.at;
                any = true;
            }
        }
        if (any && (pending == null || next - pendingAt < 0)) {
            // (an expire() may have added a deadline and scheduled a sweep for it already)
            schedule(next, now);
        }
    }

    /** Deadlines waiting, for tests. */
    int size() {
        int n = 0;
        for (Lane lane : lanes) {
            for (Deadline d = lane.head; d != null; d = d.next) {
                n++;
            }
        }
        return n;
    }

    /** The deadlines of one timeout length, earliest first. */
    static final class Lane {
        final long millis;
        final long nanos;
        Deadline head;
        Deadline tail;

        Lane(long millis) {
            this.millis = millis;
            this.nanos = TimeUnit.MILLISECONDS.toNanos(millis);
        }
    }

    /** One countdown; a subclass says what its expiry does. Used on the loop's thread only. */
    abstract static class Deadline {
        long at;
        Lane lane;
        Deadline prev;
        Deadline next;

        /** Called on the loop once the deadline passed, unless cancelled first; called once. */
        abstract void expire();

        /** Stops the countdown; nothing when it expired or was cancelled already. Loop thread only. */
        final void cancel() {
            Lane l = lane;
            if (l == null) {
                return;
            }
            if (prev == null) {
                l.head = next;
            } else {
                prev.next = next;
            }
            if (next == null) {
                l.tail = prev;
            } else {
                next.prev = prev;
            }
            lane = null;
            prev = null;
            next = null;
        }
    }
}
