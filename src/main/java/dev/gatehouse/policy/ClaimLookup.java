package dev.gatehouse.policy;

import java.util.Map;

/**
 * Walks a dotted claim path ({@code realm_access.roles}) through nested JSON objects. Shared by
 * {@link IdentityFactory} and the {@code claim/<path>} criterion so both read claims the same way.
 */
public final class ClaimLookup {
    private ClaimLookup() {
    }

    /** Splits a dotted path; returns null when the path is empty or has an empty segment. */
    public static String[] split(String dottedPath) {
        if (dottedPath == null || dottedPath.isEmpty()) {
            return null;
        }
        // -1 keeps trailing empty segments so that "a." is rejected rather than read as "a"
        String[] segments = dottedPath.split("\\.", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) {
                return null;
            }
        }
        return segments;
    }

    /**
     * The value at {@code segments} in {@code claims}, or null when any step is missing or is not an
     * object. A JSON null counts as missing.
     */
    public static Object lookup(Map<String, Object> claims, String[] segments) {
        Object current = claims;
        for (String segment : segments) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(segment);
            if (current == null) {
                return null;
            }
        }
        return current;
    }
}
