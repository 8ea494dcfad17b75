package dev.gatehouse.policy.match;

import java.util.Locale;

/**
 * How a matcher normalises letter case before comparing: email and domain compare lower-cased,
 * HTTP methods upper-cased, paths lower-cased where that makes a match deny (see
 * {@code HttpPathCriterion}), everything else exactly.
 */
public enum Folding {
    /** Compare exactly (sub, groups, roles, paths where a match grants, claims, device ids). */
    EXACT,
    /** Compare lower-cased (email, domain, paths where a match denies). */
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
