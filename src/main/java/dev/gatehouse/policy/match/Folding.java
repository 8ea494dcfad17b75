package dev.gatehouse.policy.match;

import java.util.Locale;

/**
 * How a matcher normalises letter case before comparing: email and domain compare lower-cased,
 * HTTP methods upper-cased, everything else exactly.
 */
public enum Folding {
    /** Compare exactly (sub, groups, roles, paths, claims, device ids). */
    EXACT,
    /** Compare lower-cased (email, domain). */
    LOWER,
    /** Compare upper-cased (HTTP methods). */
    UPPER;

    /**
     * Folds {@code s}; returns {@code s} itself when it is already folded, so that the common case
     * (lower-case emails, upper-case methods) allocates nothing at evaluation time.
     */
    public String fold(String s) {
        switch (this) {
            case LOWER:
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (Character.toLowerCase(c) != c) {
                        return s.toLowerCase(Locale.ROOT);
                    }
                }
                return s;
            case UPPER:
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (Character.toUpperCase(c) != c) {
                        return s.toUpperCase(Locale.ROOT);
                    }
                }
                return s;
            default:
                return s;
        }
    }
}
