package dev.gatehouse.policy.match;

import dev.gatehouse.policy.Truth;

import java.util.Set;

/**
 * One compiled key of a matcher object, tested against one scalar element (a String, Boolean or
 * Number). Immutable; operands are folded at compile time, each key with its own {@link Folding}.
 */
final class Condition {
    /** The matcher keys; HAS and IS differ only in name (both mean "an element equals"). */
    enum Kind { IS, IN, NOT_IN, STARTS_WITH, ENDS_WITH, CONTAINS, HAS, GTE, LTE }

    final Kind kind;
    private final Folding folding;
    private final String text;
    private final Set<String> set;
    private final Object scalar;
    private final double number;

    private Condition(Kind kind, Folding folding, String text, Set<String> set, Object scalar, double number) {
        this.kind = kind;
        this.folding = folding;
        this.text = text;
        this.set = set;
        this.scalar = scalar;
        this.number = number;
    }

    /** {@code text} must already be folded with {@code folding}. */
    static Condition text(Kind kind, Folding folding, String text) {
        return new Condition(kind, folding, text, null, null, 0);
    }

    /** The elements of {@code set} must already be folded with {@code folding}. */
    static Condition set(Kind kind, Folding folding, Set<String> set) {
        return new Condition(kind, folding, null, set, null, 0);
    }

    /** An {@code is} against a JSON boolean or number: type-strict, never equal to a string. */
    static Condition scalar(Object value) {
        return new Condition(Kind.IS, Folding.EXACT, null, null, value, value instanceof Number n ? n.doubleValue() : 0);
    }

    static Condition number(Kind kind, Number bound) {
        return new Condition(kind, Folding.EXACT, null, null, null, bound.doubleValue());
    }

    /**
     * Whether the element satisfies this condition (NOT_IN is tested as "is in the set"); UNKNOWN
     * when the element's JSON type is not the one the key compares (a number against {@code in},
     * the string "true" against {@code is: true}): a value of the wrong type is not a fact we know.
     */
    Truth test(Object element) {
        switch (kind) {
            case IS:
            case HAS:
                if (scalar instanceof Boolean) {
                    return element instanceof Boolean ? truth(scalar.equals(element)) : Truth.UNKNOWN;
                }
                if (scalar != null) {
                    // numbers compare by value across Integer/Long/Double, as JSON has one number type
                    return element instanceof Number n ? truth(n.doubleValue() == number) : Truth.UNKNOWN;
                }
                return element instanceof String s ? truth(text.equals(folding.fold(s))) : Truth.UNKNOWN;
            case IN:
            case NOT_IN:
                return element instanceof String s ? truth(set.contains(folding.fold(s))) : Truth.UNKNOWN;
            case STARTS_WITH:
                return element instanceof String s ? truth(folding.fold(s).startsWith(text)) : Truth.UNKNOWN;
            case ENDS_WITH:
                return element instanceof String s ? truth(folding.fold(s).endsWith(text)) : Truth.UNKNOWN;
            case CONTAINS:
                return element instanceof String s ? truth(folding.fold(s).contains(text)) : Truth.UNKNOWN;
            case GTE:
                return element instanceof Number n ? truth(n.doubleValue() >= number) : Truth.UNKNOWN;
            case LTE:
                return element instanceof Number n ? truth(n.doubleValue() <= number) : Truth.UNKNOWN;
            default:
                return Truth.UNKNOWN;
        }
    }

    private static Truth truth(boolean b) {
        return b ? Truth.TRUE : Truth.FALSE;
    }

    /**
     * This key in plain words, as it came out ({@code t}) for a fact: {@code list} facts (groups,
     * roles) read "include ...", single values "is ...". For traces only.
     */
    String words(Truth t, boolean list) {
        String operand = operand();
        if (t == Truth.UNKNOWN) {
            return "cannot be compared with '" + key() + ": " + operand + "'";
        }
        boolean yes = t == Truth.TRUE;
        return switch (kind) {
            case IS, HAS -> list ? (yes ? "include " : "do not include ") + operand : (yes ? "is " : "is not ") + operand;
            case IN -> list ? (yes ? "include one of " : "include none of ") + operand
                    : (yes ? "is one of " : "is none of ") + operand;
            case NOT_IN -> list ? (yes ? "include none of " : "include one of ") + operand
                    : (yes ? "is none of " : "is one of ") + operand;
            case STARTS_WITH -> (list ? (yes ? "include a value starting with " : "include no value starting with ")
                    : (yes ? "starts with " : "does not start with ")) + operand;
            case ENDS_WITH -> (list ? (yes ? "include a value ending with " : "include no value ending with ")
                    : (yes ? "ends with " : "does not end with ")) + operand;
            case CONTAINS -> (list ? (yes ? "include a value containing " : "include no value containing ")
                    : (yes ? "contains " : "does not contain ")) + operand;
            case GTE -> (yes ? "is at least " : "is below ") + operand;
            case LTE -> (yes ? "is at most " : "is above ") + operand;
        };
    }

    private String key() {
        return kind.name().toLowerCase(java.util.Locale.ROOT);
    }

    private String operand() {
        if (set != null) {
            return new java.util.TreeSet<>(set).toString();
        }
        if (text != null) {
            return text;
        }
        if (scalar != null) {
            return String.valueOf(scalar);
        }
        return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long) number) : Double.toString(number);
    }
}
