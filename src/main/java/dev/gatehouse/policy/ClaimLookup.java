package dev.gatehouse.policy;

import java.util.Map;

/**
 * Walks a dotted claim path ({@code realm_access.roles}) through nested JSON objects. Shared by
 * {@link IdentityFactory} and the {@code claim/<path>} criterion so both read claims the same way.
 */
public final class ClaimLookup {
    /**
     * The claim that names claims whose values are not (all) in the token: OpenID Connect
     * distributed and aggregated claims (Core 5.6.2), e.g. Entra ID's "group overage", where a user
     * in more than 200 groups gets {@code "_claim_names": {"groups": "src1"}} instead of a groups list.
     */
    public static final String CLAIM_NAMES = "_claim_names";

    private ClaimLookup() {
    }

    /**
     * Whether the IdP marked the claim at {@code segments} as incomplete: {@value #CLAIM_NAMES} has a
     * key equal to its dotted path or to its top-level name (the unit OIDC distributes). Allocates
     * nothing when {@code dottedPath} is passed in.
     */
    public static boolean markedIncomplete(Map<String, Object> claims, String[] segments, String dottedPath) {
        return claims.get(CLAIM_NAMES) instanceof Map<?, ?> names
                && (names.containsKey(segments[0]) || names.containsKey(dottedPath));
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
