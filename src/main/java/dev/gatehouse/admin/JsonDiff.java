package dev.gatehouse.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A structural diff of two JSON trees that a person can read: one entry per changed leaf or
 * subtree, at the path the config uses ({@code policy.allow.and[1].device.compliant}), with the
 * operation and the values on either side. Objects are compared key by key (sorted), lists by
 * position; a value that changes type is one {@code changed} entry.
 */
public final class JsonDiff {
    private JsonDiff() {
    }

    /**
     * One change.
     *
     * @param path where ("" for the whole document)
     * @param op   {@code added}, {@code removed} or {@code changed}
     * @param from the old value (null when added)
     * @param to   the new value (null when removed)
     */
    public record Change(String path, String op, Object from, Object to) {
    }

    /** The changes from {@code from} to {@code to}; either may be null (no document: a deletion). */
    public static List<Change> diff(Object from, Object to) {
        List<Change> out = new ArrayList<>();
        if (from == null && to != null) {
            out.add(new Change("", "added", null, to));
        } else if (from != null && to == null) {
            out.add(new Change("", "removed", from, null));
        } else {
            walk("", from, to, out);
        }
        return out;
    }

    private static void walk(String path, Object a, Object b, List<Change> out) {
        if (Objects.equals(a, b)) {
            return;
        }
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            TreeSet<String> keys = new TreeSet<>();
            ma.keySet().forEach(k -> keys.add(String.valueOf(k)));
            mb.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String k : keys) {
                String child = path.isEmpty() ? k : path + "." + k;
                if (!ma.containsKey(k)) {
                    out.add(new Change(child, "added", null, mb.get(k)));
                } else if (!mb.containsKey(k)) {
                    out.add(new Change(child, "removed", ma.get(k), null));
                } else {
                    walk(child, ma.get(k), mb.get(k), out);
                }
            }
        } else if (a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
                String child = path + "[" + i + "]";
                if (i >= la.size()) {
                    out.add(new Change(child, "added", null, lb.get(i)));
                } else if (i >= lb.size()) {
                    out.add(new Change(child, "removed", la.get(i), null));
                } else {
                    walk(child, la.get(i), lb.get(i), out);
                }
            }
        } else {
            out.add(new Change(path, "changed", a, b));
        }
    }
}
