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

    void clear() {
        size = 0;
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
