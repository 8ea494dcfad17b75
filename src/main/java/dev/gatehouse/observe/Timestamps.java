package dev.gatehouse.observe;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * ISO-8601 UTC timestamps with milliseconds ({@code 2026-12-02T06:59:01.123Z}) for the decision log,
 * written as bytes without a formatter per line: the text up to the second is kept for the second
 * last written (a batch of lines spans a few milliseconds), only the milliseconds are arithmetic.
 * One instance per writer thread: not thread-safe.
 */
final class Timestamps {
    private static final long DAY_MILLIS = 86_400_000L;

    /** The second whose text {@link #secondText} holds ({@code yyyy-MM-ddTHH:mm:ss.}). */
    private long second = Long.MIN_VALUE;
    private byte[] secondText;

    void append(LineBuffer out, long epochMillis) {
        long s = Math.floorDiv(epochMillis, 1000);
        if (s != second) {
            fillSecond(epochMillis);
            second = s;
        }
        out.put(secondText).threeDigits((int) Math.floorMod(epochMillis, 1000L)).put((byte) 'Z');
    }

    private void fillSecond(long epochMillis) {
        long day = Math.floorDiv(epochMillis, DAY_MILLIS);
        byte[] date = (LocalDate.ofEpochDay(day).toString() + 'T').getBytes(StandardCharsets.US_ASCII);
        int ms = (int) Math.floorMod(epochMillis, DAY_MILLIS);
        LineBuffer b = new LineBuffer(32);
        b.put(date).twoDigits(ms / 3_600_000).put((byte) ':').twoDigits(ms / 60_000 % 60).put((byte) ':')
                .twoDigits(ms / 1000 % 60).put((byte) '.');
        secondText = b.copyFrom(0);
    }

    /** For tests: the text {@link #append} writes, from a fresh instance. */
    static String iso(long epochMillis) {
        LineBuffer b = new LineBuffer(32);
        new Timestamps().append(b, epochMillis);
        return b.toString();
    }
}
