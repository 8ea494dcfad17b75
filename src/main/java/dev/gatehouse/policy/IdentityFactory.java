package dev.gatehouse.policy;

import java.util.Map;

/**
 * Builds an {@link Identity} from verified claims, type-strictly: {@code device_compliant} counts
 * only when it is the JSON boolean {@code true}; a groups claim that is a single string counts as a
 * one-element list; non-string list elements are ignored.
 */
public final class IdentityFactory {
    private IdentityFactory() {
    }

    /**
     * @param claims verified claims as a JSON-like tree (Map, List, String, Number, Boolean)
     * @param paths  where this IdP puts groups, roles and device facts
     */
    public static Identity fromClaims(Map<String, Object> claims, ClaimPaths paths) {
        throw new UnsupportedOperationException("TODO");
    }
}
