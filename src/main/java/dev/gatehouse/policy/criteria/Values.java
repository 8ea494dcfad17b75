package dev.gatehouse.policy.criteria;

import dev.gatehouse.policy.Problems;
import dev.gatehouse.time.Durations;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Strict parsing of the scalar values criteria take (booleans, durations, time zones, objects),
 * each reporting a fault with its path instead of throwing.
 */
final class Values {
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
     * Parses a duration ({@link Durations}: {@code 1h30m}, {@code PT15M}, ...) into whole seconds.
     * Must be at least one second. Returns -1 after reporting an error.
     */
    static long durationSeconds(Object value, String path, Problems problems) {
        Duration d = value instanceof String s ? Durations.parse(s) : null;
        if (d != null && d.getSeconds() > 0) {
            return d.getSeconds();
        }
        problems.add(path, value instanceof String s ? Durations.message(s, true)
                : Durations.messageFor("(found " + Problems.describe(value) + ")", true));
        return -1;
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

    /** A span of seconds the way policies write it: {@code 40m}, {@code 1h30m}, {@code 2d}, {@code 45s}. */
    static String age(long seconds) {
        if (seconds < 0) {
            return "in " + age(-seconds);
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        StringBuilder sb = new StringBuilder();
        long[] units = {86_400, 3_600, 60};
        String[] names = {"d", "h", "m"};
        for (int i = 0; i < units.length; i++) {
            if (seconds >= units[i]) {
                sb.append(seconds / units[i]).append(names[i]);
                seconds %= units[i];
            }
        }
        return sb.toString();
    }

    /** A list of claim values as traces show it: {@code [a, b]}, marked when incomplete. */
    static String list(java.util.List<String> values, boolean complete) {
        return values + (complete ? "" : " (incomplete)");
    }
}
