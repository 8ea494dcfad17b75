package dev.gatehouse.observe;

import java.time.LocalDate;

/**
 * ISO-8601 UTC timestamps with milliseconds ({@code 2026-12-02T06:59:01.123Z}) for the decision log,
 * without a formatter per line: the date part is cached per day, the time of day is arithmetic.
 */
final class Timestamps {
    private static final long DAY_MILLIS = 86_400_000L;

    /** The day cached last and its text (one pair, replaced whole: a racing reader sees either). */
    private static volatile CachedDay cached = new CachedDay(-1, "");

    private record CachedDay(long epochDay, String text) {
    }

    private Timestamps() {
    }

    static void appendIso(StringBuilder sb, long epochMillis) {
        long day = Math.floorDiv(epochMillis, DAY_MILLIS);
        CachedDay c = cached;
        if (c.epochDay() != day) {
            c = new CachedDay(day, LocalDate.ofEpochDay(day).toString() + 'T');
            cached = c;
        }
        int ms = (int) Math.floorMod(epochMillis, DAY_MILLIS);
        sb.append(c.text());
        two(sb, ms / 3_600_000).append(':');
        two(sb, ms / 60_000 % 60).append(':');
        two(sb, ms / 1000 % 60).append('.');
        int milli = ms % 1000;
        sb.append(milli < 100 ? (milli < 10 ? "00" : "0") : "").append(milli).append('Z');
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append(v < 10 ? "0" : "").append(v);
    }

    /** For tests: the text {@link #appendIso} writes. */
    static String iso(long epochMillis) {
        StringBuilder sb = new StringBuilder();
        appendIso(sb, epochMillis);
        return sb.toString();
    }
}
