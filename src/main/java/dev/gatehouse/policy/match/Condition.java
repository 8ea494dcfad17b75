package dev.gatehouse.policy.match;

import java.util.Set;

/**
 * One compiled key of a matcher object, tested against one scalar element (a String, Boolean or
 * Number). Immutable; operands are folded at compile time.
 */
final class Condition {
    /** The matcher keys; HAS and IS differ only in name (both mean "an element equals"). */
    enum Kind { IS, IN, NOT_IN, STARTS_WITH, ENDS_WITH, CONTAINS, HAS, GTE, LTE }

    final Kind kind;
    private final String text;
    private final Set<String> set;
    private final Object scalar;
    private final double number;

    private Condition(Kind kind, String text, Set<String> set, Object scalar, double number) {
        this.kind = kind;
        this.text = text;
        this.set = set;
        this.scalar = scalar;
        this.number = number;
    }

    static Condition text(Kind kind, String text) {
        return new Condition(kind, text, null, null, 0);
    }

    static Condition set(Kind kind, Set<String> set) {
        return new Condition(kind, null, set, null, 0);
    }

    /** An {@code is} against a JSON boolean or number: type-strict, never equal to a string. */
    static Condition scalar(Object value) {
        return new Condition(Kind.IS, null, null, value, value instanceof Number n ? n.doubleValue() : 0);
    }

    static Condition number(Kind kind, Number bound) {
        return new Condition(kind, null, null, null, bound.doubleValue());
    }

    /** Whether the folded element satisfies this condition; NOT_IN is tested as "is in the set". */
    boolean test(Object element) {
        switch (kind) {
            case IS:
            case HAS:
                if (scalar != null) {
                    return scalarEquals(element);
                }
                return text.equals(element);
            case IN:
            case NOT_IN:
                return element instanceof String s && set.contains(s);
            case STARTS_WITH:
                return element instanceof String s && s.startsWith(text);
            case ENDS_WITH:
                return element instanceof String s && s.endsWith(text);
            case CONTAINS:
                return element instanceof String s && s.contains(text);
            case GTE:
                return element instanceof Number n && n.doubleValue() >= number;
            case LTE:
                return element instanceof Number n && n.doubleValue() <= number;
            default:
                return false;
        }
    }

    private boolean scalarEquals(Object element) {
        if (scalar instanceof Boolean) {
            return scalar.equals(element);
        }
        // numbers compare by value across Integer/Long/Double, as JSON has one number type
        return element instanceof Number n && n.doubleValue() == number;
    }
}
