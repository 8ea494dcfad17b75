package dev.gatehouse.policy.match;

import java.util.List;

/**
 * A compiled matcher object such as {@code {starts_with: "adm", not_in: [admin-old]}}: every key
 * must hold. Immutable and thread-safe; built by {@link MatcherCompiler}.
 *
 * <p>Value semantics, the same for every criterion:
 * <ul>
 *   <li>null (claim absent, no email, no device id) fails every key, {@code not_in} included:
 *       a fact we do not know never grants access.</li>
 *   <li>a scalar (String, Boolean, Number) is treated as a one-element list.</li>
 *   <li>for a list, {@code is}, {@code has}, {@code starts_with}, {@code ends_with},
 *       {@code contains}, {@code gte}, {@code lte} and {@code in} hold when ANY element satisfies
 *       them; {@code not_in} holds when NO element is in the set (so it holds for an empty list).
 *       Each key is tested on its own: two keys may be satisfied by different elements.</li>
 *   <li>an object value (a JSON object claim) fails every key.</li>
 * </ul>
 */
public final class Matcher {
    private final Condition[] conditions;
    private final Folding folding;

    Matcher(Condition[] conditions, Folding folding) {
        this.conditions = conditions;
        this.folding = folding;
    }

    /** Tests a single string; null fails. */
    public boolean matches(String value) {
        if (value == null) {
            return false;
        }
        Object folded = folding.fold(value);
        for (Condition c : conditions) {
            boolean hit = c.test(folded);
            if (c.kind == Condition.Kind.NOT_IN ? hit : !hit) {
                return false;
            }
        }
        return true;
    }

    /** Tests a list with the any/none semantics above; null fails. */
    public boolean matchesList(List<?> values) {
        if (values == null) {
            return false;
        }
        for (Condition c : conditions) {
            boolean any = false;
            // indexed loop: no iterator allocation on the hot path
            for (int i = 0, n = values.size(); i < n && !any; i++) {
                any = c.test(fold(values.get(i)));
            }
            if (c.kind == Condition.Kind.NOT_IN ? any : !any) {
                return false;
            }
        }
        return true;
    }

    /** Tests any JSON value: null, a scalar, a list, or an object (which fails). */
    public boolean matchesValue(Object value) {
        if (value instanceof List<?> list) {
            return matchesList(list);
        } else if (value instanceof String s) {
            return matches(s);
        } else if (value instanceof Boolean || value instanceof Number) {
            for (Condition c : conditions) {
                boolean hit = c.test(value);
                if (c.kind == Condition.Kind.NOT_IN ? hit : !hit) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private Object fold(Object element) {
        return element instanceof String s ? folding.fold(s) : element;
    }
}
