package dev.gatehouse.policy.match;

import dev.gatehouse.policy.Problems;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a matcher object of the policy document into a {@link Matcher}, validating every key and
 * value type strictly and reporting each fault with its path.
 */
public final class MatcherCompiler {
    /** The keys of the grammar, in the order they are listed in error messages. */
    public static final List<String> KEYS =
            List.of("is", "in", "not_in", "starts_with", "ends_with", "contains", "has", "gte", "lte");

    private MatcherCompiler() {
    }

    /**
     * @param spec     the matcher object from the document
     * @param path     its path, for errors
     * @param folding  case normalisation of this criterion
     * @param numbers  whether {@code gte}/{@code lte} and boolean/number {@code is} are allowed
     *                 (only for values that can be numbers, i.e. claims)
     * @return the matcher, or null when errors were added to {@code problems}
     */
    public static Matcher compile(Object spec, String path, Problems problems, Folding folding, boolean numbers) {
        return compile(spec, path, problems, folding, folding, numbers);
    }

    /**
     * Like {@link #compile(Object, String, Problems, Folding, boolean)}, with a separate case
     * normalisation for {@code not_in}: {@code not_in} holds when a value is NOT found, so folding it
     * more widely makes it hold less often, the opposite of the other keys. A criterion that must be
     * strict to grant and lenient to deny (paths) therefore folds the two sides differently.
     *
     * @param folding      case normalisation of every key but {@code not_in}
     * @param notInFolding case normalisation of {@code not_in}
     */
    public static Matcher compile(Object spec, String path, Problems problems, Folding folding, Folding notInFolding,
                                  boolean numbers) {
        if (!(spec instanceof Map<?, ?> map) || map.isEmpty()) {
            problems.add(path, "expected a matcher object with at least one of " + String.join(", ", KEYS)
                    + ", found " + Problems.describe(spec));
            return null;
        }
        int before = problems.count();
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            Condition c = condition(key, e.getValue(), Problems.field(path, key), path, problems,
                    key.equals("not_in") ? notInFolding : folding, numbers);
            if (c != null) {
                conditions.add(c);
            }
        }
        return problems.count() > before ? null : new Matcher(conditions.toArray(new Condition[0]));
    }

    private static Condition condition(String key, Object value, String at, String path, Problems problems,
                                       Folding folding, boolean numbers) {
        switch (key) {
            case "is":
                if (numbers && (value instanceof Boolean || value instanceof Number)) {
                    return Condition.scalar(value);
                }
                return text(Condition.Kind.IS, value, at, problems, folding, numbers);
            case "has":
                return text(Condition.Kind.HAS, value, at, problems, folding, numbers);
            case "starts_with":
                return text(Condition.Kind.STARTS_WITH, value, at, problems, folding, numbers);
            case "ends_with":
                return text(Condition.Kind.ENDS_WITH, value, at, problems, folding, numbers);
            case "contains":
                return text(Condition.Kind.CONTAINS, value, at, problems, folding, numbers);
            case "in":
                return set(Condition.Kind.IN, value, at, problems, folding);
            case "not_in":
                return set(Condition.Kind.NOT_IN, value, at, problems, folding);
            case "gte":
            case "lte":
                if (!numbers) {
                    problems.add(at, "'" + key + "' applies only to numeric values");
                    return null;
                }
                if (!(value instanceof Number n)) {
                    problems.add(at, "expected a number, found " + Problems.describe(value));
                    return null;
                }
                return Condition.number(key.equals("gte") ? Condition.Kind.GTE : Condition.Kind.LTE, n);
            default:
                problems.add(path, "unknown matcher '" + key + "' (expected one of " + String.join(", ", KEYS) + ")");
                return null;
        }
    }

    private static Condition text(Condition.Kind kind, Object value, String at, Problems problems,
                                  Folding folding, boolean numbers) {
        if (!(value instanceof String s)) {
            problems.add(at, "expected a string" + (numbers && kind == Condition.Kind.IS ? ", boolean or number" : "")
                    + ", found " + Problems.describe(value));
            return null;
        }
        return Condition.text(kind, folding, folding.fold(s));
    }

    private static Condition set(Condition.Kind kind, Object value, String at, Problems problems, Folding folding) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            problems.add(at, "expected a non-empty list of strings, found " + Problems.describe(value));
            return null;
        }
        Set<String> set = new HashSet<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof String s) {
                set.add(folding.fold(s));
            } else {
                problems.add(Problems.index(at, i), "expected a string, found " + Problems.describe(list.get(i)));
                ok = false;
            }
        }
        return ok ? Condition.set(kind, folding, Set.copyOf(set)) : null;
    }
}
