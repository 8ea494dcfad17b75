package dev.gatehouse.time;

import java.time.DateTimeException;
import java.time.Duration;

/**
 * The one duration grammar of Gatehouse, for every YAML field ({@code timeout},
 * {@code max-posture-age}, {@code max-auth-age}, ...) and every {@code gatehouse.*} property:
 * <ul>
 *   <li>the short form: one or more of {@code <n>d}, {@code <n>h}, {@code <n>m}, {@code <n>s},
 *       {@code <n>ms}, in that order, each at most once, without spaces: {@code 500ms}, {@code 90s},
 *       {@code 15m}, {@code 1h30m}, {@code 7d};</li>
 *   <li>ISO-8601: {@code PT15M}, {@code P1D}, {@code PT0.5S}.</li>
 * </ul>
 * No sign, no fractions in the short form, no bare numbers (is {@code 30} seconds or minutes?),
 * except {@code 0}, which is zero in every unit (what {@code -Dgatehouse.memory.trim-interval=0}
 * means is not in doubt).
 * Every fault is reported with the same message ({@link #message}).
 */
public final class Durations {
    /** The examples every error message about a duration shows. */
    public static final String EXAMPLES = "500ms, 90s, 15m, 1h30m, 7d or PT15M";

    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    private Durations() {
    }

    /**
     * Parses a duration; null when the text is not one (callers report {@link #message}).
     * Zero is a duration ({@code 0s}); callers that need a positive one check it.
     */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return null;
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        char first = text.charAt(0);
        if (first == 'P' || first == 'p') {
            try {
                Duration d = Duration.parse(text);
                return d.isNegative() ? null : d;
            } catch (DateTimeException | ArithmeticException e) {
                return null;
            }
        }
        return parseShort(text);
    }

    /** The error message for a value that is not a duration (or not a positive one, when asked). */
    public static String message(String text, boolean positive) {
        return messageFor("'" + text + "'", positive);
    }

    /** The same message for a value shown as {@code shown} (e.g. {@code (found a number)}). */
    public static String messageFor(String shown, boolean positive) {
        return "invalid duration " + shown + ", expected a " + (positive ? "positive " : "") + "duration such as "
                + EXAMPLES;
    }

    private static Duration parseShort(String s) {
        long total = 0;
        int i = 0;
        int nextUnit = 0; // units must come in descending order, each at most once
        while (i < s.length()) {
            int digitsStart = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == digitsStart || i - digitsStart > 12) {
                return null;
            }
            long n = Long.parseLong(s, digitsStart, i, 10);
            int unit = unitAt(s, i, nextUnit);
            if (unit < 0) {
                return null;
            }
            i += UNITS[unit].length();
            nextUnit = unit + 1;
            try {
                total = Math.addExact(total, Math.multiplyExact(n, MILLIS[unit]));
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return Duration.ofMillis(total);
    }

    /** The index of the unit starting at {@code at}, not before {@code from}; -1 when none. */
    private static int unitAt(String s, int at, int from) {
        for (int u = UNITS.length - 1; u >= from; u--) { // "ms" before "m"
            if (s.startsWith(UNITS[u], at)) {
                return u;
            }
        }
        return -1;
    }
}
