package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the compile errors of one policy document, so that the compiler, the criteria and the
 * matcher grammar can all report every fault at once instead of stopping at the first.
 * Not thread-safe: one instance per compilation.
 */
public final class Problems {
    /** The path of the whole document when the caller gives no base path. */
    public static final String ROOT = "policy";

    private final List<PolicyError> errors = new ArrayList<>();
    private final String base;

    /**
     * @param base prefixed to every path (e.g. {@code apps[2].policy}); empty for none. Paths inside
     *             the document are relative ({@code allow.and[1].device}) so that the same strings
     *             serve as {@link Decision#rule()} values.
     */
    public Problems(String base) {
        this.base = base == null ? "" : base;
    }

    /**
     * Records one error at the document-relative {@code path}; the empty path is the document
     * itself, reported as the base path, or as {@value #ROOT} when there is no base.
     */
    public void add(String path, String message) {
        String full;
        if (path.isEmpty()) {
            full = base.isEmpty() ? ROOT : base;
        } else {
            full = base.isEmpty() ? path : base + "." + path;
        }
        errors.add(new PolicyError(full, message));
    }

    /** The number of errors so far; criteria compare it before and after parsing a value. */
    public int count() {
        return errors.size();
    }

    /** The errors in the order they were found. */
    public List<PolicyError> errors() {
        return List.copyOf(errors);
    }

    /** The path of a field of the object at {@code base}; {@code base} may be empty. */
    public static String field(String base, String key) {
        return base.isEmpty() ? key : base + "." + key;
    }

    /** The path of element {@code index} of the list at {@code base}. */
    public static String index(String base, int index) {
        return base + "[" + index + "]";
    }

    /** Names the JSON type of a document value for error messages ("a string", "a list", ...). */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof String) {
            return "a string";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof Number) {
            return "a number";
        } else if (value instanceof List<?> list) {
            return list.isEmpty() ? "an empty list" : "a list";
        } else if (value instanceof java.util.Map<?, ?> map) {
            return map.isEmpty() ? "an empty object" : "an object";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
