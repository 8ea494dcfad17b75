package dev.gatehouse.identity;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded pool of equal immutable values (claim strings, group lists), so that the token cache
 * keeps one copy of what recurs across tokens instead of one per token. Bounded: once full it keeps
 * what it has and hands back values unshared, so tokens full of unique values cannot grow it.
 *
 * @param <T> an immutable type with value equality
 */
final class Interner<T> {
    private final Map<T, T> pool = new ConcurrentHashMap<>();
    private final int max;

    Interner(int max) {
        this.max = max;
    }

    /** The pooled value equal to {@code value}, else {@code value} itself (pooled when there is room). */
    T intern(T value) {
        T known = pool.get(value);
        if (known != null) {
            return known;
        }
        if (pool.size() < max) {
            known = pool.putIfAbsent(value, value);
            return known == null ? value : known;
        }
        return value;
    }

    /** Values pooled (for tests). */
    int size() {
        return pool.size();
    }
}
