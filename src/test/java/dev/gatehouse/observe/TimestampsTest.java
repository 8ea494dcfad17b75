package dev.gatehouse.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decision log's hand-rolled timestamps equal what java.time writes, across days and years. */
class TimestampsTest {
    @Test
    void equalToInstantToStringWithMillis() {
        Random random = new Random(42);
        long[] fixed = {0L, 999L, 86_399_999L, 86_400_000L, 951_782_400_000L /* 2000-02-29 */, 4_102_444_799_999L};
        for (long t : fixed) {
            assertThat(Timestamps.iso(t)).isEqualTo(expected(t));
        }
        for (int i = 0; i < 10_000; i++) {
            long t = (long) (random.nextDouble() * 4_102_444_800_000L);
            assertThat(Timestamps.iso(t)).as("%d", t).isEqualTo(expected(t));
        }
    }

    /** One instance keeps the text of the last second: consecutive times reuse it, a new second replaces it. */
    @Test
    void oneInstanceAcrossConsecutiveTimes() {
        Random random = new Random(7);
        Timestamps timestamps = new Timestamps();
        LineBuffer b = new LineBuffer(32);
        long t = 1_796_265_599_990L; // ten milliseconds before a new day
        for (int i = 0; i < 20_000; i++) {
            t += random.nextInt(8) == 0 ? random.nextInt(5_000_000) : random.nextInt(3);
            b.clear();
            timestamps.append(b, t);
            assertThat(b.toString()).as("%d", t).isEqualTo(expected(t));
        }
    }

    private static String expected(long millis) {
        Instant i = Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.MILLIS);
        String s = i.toString(); // omits .000 and seconds when zero: normalise
        String date = s.substring(0, 10);
        long ms = Math.floorMod(millis, 86_400_000L);
        return String.format("%sT%02d:%02d:%02d.%03dZ", date, ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }
}
