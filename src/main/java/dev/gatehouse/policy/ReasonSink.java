package dev.gatehouse.policy;

import java.util.Arrays;

/**
 * The reasons gathered during one evaluation, each with the path of the leaf that gave it. Two
 * small parallel arrays instead of a list of pairs: one allocation per evaluation, grown only for
 * unusually wide policies. Not thread-safe: one instance per evaluation.
 */
final class ReasonSink {
    private Reason[] reasons = new Reason[8];
    private String[] rules = new String[8];
    private int size;

    int size() {
        return size;
    }

    Reason reason(int i) {
        return reasons[i];
    }

    String rule(int i) {
        return rules[i];
    }

    void add(Reason reason, String rule) {
        if (size == reasons.length) {
            reasons = Arrays.copyOf(reasons, size * 2);
            rules = Arrays.copyOf(rules, size * 2);
        }
        reasons[size] = reason;
        rules[size] = rule;
        size++;
    }

    /** Keeps only the entries from {@code from} on, moved down to {@code start}; drops those in between. */
    void keepFrom(int start, int from) {
        if (from > start) {
            int n = size - from;
            System.arraycopy(reasons, from, reasons, start, n);
            System.arraycopy(rules, from, rules, start, n);
            size = start + n;
        }
    }

    /**
     * Moves the entries from {@code from} on down to {@code to}, shifting those in between up behind
     * them; the order within each part is kept. In place (three reversals), so nothing is allocated.
     */
    void moveDown(int to, int from) {
        if (to < from && from < size) {
            reverse(to, from);
            reverse(from, size);
            reverse(to, size);
        }
    }

    /** Drops every entry from {@code newSize} on. */
    void truncate(int newSize) {
        size = Math.min(size, newSize);
    }

    void clear() {
        size = 0;
    }

    private void reverse(int from, int to) {
        for (int i = from, j = to - 1; i < j; i++, j--) {
            Reason r = reasons[i];
            reasons[i] = reasons[j];
            reasons[j] = r;
            String s = rules[i];
            rules[i] = rules[j];
            rules[j] = s;
        }
    }

    /** Removes repeated reasons, keeping each one's first occurrence (and its rule). */
    void dedupe() {
        int out = 0;
        outer:
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < out; j++) {
                if (reasons[j] == reasons[i]) {
                    continue outer;
                }
            }
            reasons[out] = reasons[i];
            rules[out] = rules[i];
            out++;
        }
        size = out;
    }
}
