package dev.gatehouse.gateway.forward;

import io.vertx.core.MultiMap;
import java.util.Arrays;

/**
 * The headers Gatehouse adds to one forwarded request ({@link ForwardedHeaders}): name and value
 * pairs in one array, one value per name. A request builds at most nine of them, so a flat array
 * costs one allocation where a header map costs a bucket table and an entry per header; the
 * forwarders write them straight into the upstream request's own header map ({@link #setOn}).
 */
public final class AddedHeaders {
    private String[] pairs = new String[18];
    private int size;

    /** Adds a header; the caller adds each name at most once. */
    AddedHeaders add(String name, String value) {
        if (size == pairs.length) {
            pairs = Arrays.copyOf(pairs, size * 2);
        }
        pairs[size++] = name;
        pairs[size++] = value;
        return this;
    }

    /** Sets every header on {@code out}, replacing any value it had under the same name (any case). */
    public void setOn(MultiMap out) {
        for (int i = 0; i < size; i += 2) {
            out.set(pairs[i], pairs[i + 1]);
        }
    }

    /** The value added under {@code name} (any case), or null. */
    public String get(String name) {
        for (int i = 0; i < size; i += 2) {
            if (pairs[i].equalsIgnoreCase(name)) {
                return pairs[i + 1];
            }
        }
        return null;
    }

    /** How many headers were added. */
    public int size() {
        return size / 2;
    }
}
