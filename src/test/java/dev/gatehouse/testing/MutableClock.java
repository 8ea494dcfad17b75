package dev.gatehouse.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock tests move by hand: the system time plus an offset that only {@link #advance} changes
 * (so it still flows like the real one), or a fixed start that only {@link #advance} moves.
 */
public class MutableClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();
    private final Instant fixed;

    /** The system time plus an offset. */
    public MutableClock() {
        this(null);
    }

    /** Frozen at {@code start} until advanced (null: follow the system time). */
    public MutableClock(Instant start) {
        this.fixed = start;
    }

    /** Moves time forward (or back, with a negative duration). */
    public void advance(Duration by) {
        offsetMillis.addAndGet(by.toMillis());
    }

    /** Back to no offset. */
    public void reset() {
        offsetMillis.set(0);
    }

    @Override
    public long millis() {
        return (fixed == null ? System.currentTimeMillis() : fixed.toEpochMilli()) + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
