package dev.gatehouse.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, path-aware reads from one YAML mapping; every problem becomes an error with its path,
 * so the loader can report them all at once.
 */
final class YamlNode {
    private final Map<?, ?> map;
    private final String path;
    private final List<String> errors;

    YamlNode(Map<?, ?> map, String path, List<String> errors) {
        this.map = map;
        this.path = path;
        this.errors = errors;
    }

    /** Wraps {@code value} if it is a mapping, else records an error and returns null. */
    static YamlNode of(Object value, String path, List<String> errors) {
        if (value instanceof Map<?, ?> m) {
            return new YamlNode(m, path, errors);
        }
        errors.add(path + ": expected a mapping, got " + describe(value));
        return null;
    }

    String path() {
        return path;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Records an error for every key not in {@code known}. */
    void rejectUnknown(Set<String> known) {
        boolean allKnown = true;
        for (Object key : map.keySet()) {
            allKnown &= known.contains(String.valueOf(key));
        }
        if (allKnown) { // the usual case, once per app and section of a load: no sorted copy of the keys
            return;
        }
        for (Object key : new TreeSet<>(map.keySet().stream().map(String::valueOf).toList())) {
            if (!known.contains(key)) {
                errors.add(path + ": unknown field '" + key + "'");
            }
        }
    }

    boolean has(String key) {
        return map.containsKey(key);
    }

    Object raw(String key) {
        return map.get(key);
    }

    String string(String key, boolean required) {
        Object v = map.get(key);
        if (v == null) {
            if (required) {
                errors.add(child(key) + ": is required");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            errors.add(child(key) + ": expected a string, got " + describe(v));
            return null;
        }
        return s;
    }

    boolean bool(String key, boolean dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean b)) {
            errors.add(child(key) + ": expected true or false, got " + describe(v));
            return dflt;
        }
        return b;
    }

    static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        return v.getClass().getSimpleName().toLowerCase() + " " + v;
    }
}
