package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.Problems;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict parsing of the scalar values criteria take (booleans, durations, time zones, objects),
 * each reporting a fault with its path instead of throwing.
 */
final class Values {
    /** {@code 30s}, {@code 15m}, {@code 1h}, {@code 2d}, {@code 1h30m}: units in descending order, each at most once. */
    private static final Pattern SHORT_DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private Values() {
    }

    /** Accepts only the JSON boolean {@code true}, for flags like {@code mfa: true}. */
    static boolean requireTrue(Object value, String path, Problems problems) {
        if (!Boolean.TRUE.equals(value)) {
            problems.add(path, "expected true, found " + (value instanceof Boolean ? "false" : Problems.describe(value)));
            return false;
        }
        return true;
    }

    /** The value as an object, or null after reporting an error. */
    static Map<?, ?> object(Object value, String path, Problems problems) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            return map;
        }
        problems.add(path, "expected a non-empty object, found " + Problems.describe(value));
        return null;
    }

    /**
     * Parses a duration into seconds: the short form ({@code 1h30m}) or ISO-8601 ({@code PT15M}).
     * Must be positive. Returns -1 after reporting an error.
     */
    static long durationSeconds(Object value, String path, Problems problems) {
        if (value instanceof String s && !s.isEmpty()) {
            long seconds = parseDuration(s);
            if (seconds > 0) {
                return seconds;
            }
        }
        problems.add(path, "invalid duration " + (value instanceof String ? "'" + value + "'" : "(found " + Problems.describe(value) + ")")
                + ", expected e.g. 30s, 15m, 1h30m, 2d or PT15M");
        return -1;
    }

    private static long parseDuration(String s) {
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s).getSeconds();
            } catch (DateTimeException | ArithmeticException e) {
                return -1;
            }
        }
        Matcher m = SHORT_DURATION.matcher(s);
        if (!m.matches()) {
            return -1;
        }
        long[] unit = {86_400, 3_600, 60, 1};
        long total = 0;
        try {
            for (int g = 1; g <= 4; g++) {
                if (m.group(g) != null) {
                    total = Math.addExact(total, Math.multiplyExact(Long.parseLong(m.group(g)), unit[g - 1]));
                }
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return -1;
        }
        return total;
    }

    /** Parses an IANA zone ({@code Europe/Berlin}) or offset; null (absent) means UTC. */
    static ZoneId zone(Object value, String path, Problems problems) {
        if (value == null) {
            return ZoneOffset.UTC;
        }
        if (value instanceof String s) {
            try {
                return ZoneId.of(s);
            } catch (DateTimeException e) {
                problems.add(path, "invalid time zone '" + s + "'");
                return null;
            }
        }
        problems.add(path, "expected a time zone name, found " + Problems.describe(value));
        return null;
    }

    /** Reports an unknown field at the path of its object, the way the contract shows it. */
    static void unknownField(String path, Object key, Problems problems) {
        problems.add(path, "unknown field '" + key + "'");
    }
}
