package dev.gatehouse.policy.match;

import dev.gatehouse.policy.Truth;

import java.util.List;
import java.util.Map;

/**
 * A compiled matcher object such as {@code {starts_with: "adm", not_in: [admin-old]}}: every key
 * must hold. Immutable and thread-safe; built by {@link MatcherCompiler}.
 *
 * <p>Value semantics, the same for every criterion, three-valued ({@link Truth}):
 * <ul>
 *   <li>null (claim absent) and a JSON object are UNKNOWN for every key, {@code not_in} included:
 *       a fact we do not know never grants access, and never escapes a deny.</li>
 *   <li>a scalar (String, Boolean, Number) is treated as a one-element list.</li>
 *   <li>for a list, {@code is}, {@code has}, {@code starts_with}, {@code ends_with},
 *       {@code contains}, {@code gte}, {@code lte} and {@code in} hold when ANY element satisfies
 *       them; {@code not_in} holds when NO element is in the set (so it holds for an empty
 *       complete list). Each key is tested on its own: two keys may be satisfied by different
 *       elements.</li>
 *   <li>an element of a type the key does not compare (a number against {@code in}, a string
 *       against {@code gte} or {@code is: true}) is unknown for that key.</li>
 *   <li>an incomplete list (the IdP said more values exist elsewhere) can make a key TRUE through a
 *       value it names ({@code has}) or FALSE ({@code not_in} with a named value in the set), but
 *       what its named values do not decide is UNKNOWN.</li>
 *   <li>keys combine like {@code and}: any FALSE key gives FALSE, else any UNKNOWN key gives UNKNOWN.</li>
 * </ul>
 */
public final class Matcher {
    private final Condition[] conditions;

    Matcher(Condition[] conditions) {
        this.conditions = conditions;
    }

    /**
     * Tests a single, known string with a string-only matcher (the result is then never UNKNOWN);
     * null fails. Callers decide beforehand what an absent value means.
     */
    public boolean matches(String value) {
        return value != null && match(value) == Truth.TRUE;
    }

    /** Tests a list with the any/none semantics above; null is UNKNOWN. */
    public Truth matchList(List<?> values, boolean complete) {
        if (values == null) {
            return Truth.UNKNOWN;
        }
        Truth result = Truth.TRUE;
        for (Condition c : conditions) {
            Truth any = Truth.FALSE;
            // indexed loop: no iterator allocation on the hot path
            for (int i = 0, n = values.size(); i < n && any != Truth.TRUE; i++) {
                Truth t = c.test(values.get(i));
                if (t != Truth.FALSE) {
                    any = t;
                }
            }
            if (any == Truth.FALSE && !complete) {
                // a value the token does not name might satisfy it
                any = Truth.UNKNOWN;
            }
            Truth key = c.kind == Condition.Kind.NOT_IN ? any.not() : any;
            if (key == Truth.FALSE) {
                return Truth.FALSE;
            }
            if (key == Truth.UNKNOWN) {
                result = Truth.UNKNOWN;
            }
        }
        return result;
    }

    /** Tests any JSON value: null, a scalar, a complete list, or an object (UNKNOWN). */
    public Truth match(Object value) {
        if (value instanceof List<?> list) {
            return matchList(list, true);
        }
        if (value == null || value instanceof Map<?, ?>) {
            return Truth.UNKNOWN;
        }
        Truth result = Truth.TRUE;
        for (Condition c : conditions) {
            Truth t = c.test(value);
            Truth key = c.kind == Condition.Kind.NOT_IN ? t.not() : t;
            if (key == Truth.FALSE) {
                return Truth.FALSE;
            }
            if (key == Truth.UNKNOWN) {
                result = Truth.UNKNOWN;
            }
        }
        return result;
    }

    /**
     * Each key of this matcher in plain words, as it came out for a list fact (the semantics of
     * {@link #matchList}), joined with "and"; e.g. "do not include engineering". For traces only.
     */
    public String explainList(List<?> values, boolean complete) {
        StringBuilder sb = new StringBuilder();
        for (Condition c : conditions) {
            Truth any = Truth.FALSE;
            for (int i = 0, n = values.size(); i < n && any != Truth.TRUE; i++) {
                Truth t = c.test(values.get(i));
                if (t != Truth.FALSE) {
                    any = t;
                }
            }
            if (any == Truth.FALSE && !complete) {
                any = Truth.UNKNOWN;
            }
            Truth key = c.kind == Condition.Kind.NOT_IN ? any.not() : any;
            sb.append(sb.length() == 0 ? "" : " and ").append(c.words(key, true));
        }
        return sb.toString();
    }

    /** Like {@link #explainList} for one value (a string, number or boolean; a list reads as a list). */
    public String explain(Object value) {
        if (value instanceof List<?> list) {
            return explainList(list, true);
        }
        StringBuilder sb = new StringBuilder();
        for (Condition c : conditions) {
            Truth t = value == null || value instanceof Map<?, ?> ? Truth.UNKNOWN : c.test(value);
            Truth key = c.kind == Condition.Kind.NOT_IN ? t.not() : t;
            sb.append(sb.length() == 0 ? "" : " and ").append(c.words(key, false));
        }
        return sb.toString();
    }
}
