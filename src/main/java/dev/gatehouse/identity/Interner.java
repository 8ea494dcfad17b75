package dev.gatehouse.identity;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * A bounded pool of equal immutable values (claim strings, group lists), so that the token cache
 * keeps one copy of what recurs across tokens instead of one per token. Bounded by a total weight
 * (1 per string, 1 + length per list): once full it keeps what it has and hands back values unshared,
 * so tokens full of unique values cannot grow it, and it never holds more than its budget after
 * their tokens have left the cache.
 *
 * @param <T> an immutable type with value equality
 */
final class Interner<T> {
    private final Map<T, T> pool = new ConcurrentHashMap<>();
    private final ToIntFunction<T> weight;
    private final long maxWeight;
    private final AtomicLong used = new AtomicLong();

    Interner(long maxWeight, ToIntFunction<T> weight) {
        this.maxWeight = maxWeight;
        this.weight = weight;
    }

    /** A pool of at most {@code max} values. */
    Interner(int max) {
        this(max, v -> 1);
    }

    /** The pooled value equal to {@code value}, else {@code value} itself (pooled when there is room). */
    T intern(T value) {
        T known = pool.get(value);
        if (known != null) {
            return known;
        }
        int w = weight.applyAsInt(value);
        if (used.addAndGet(w) <= maxWeight) {
            known = pool.putIfAbsent(value, value);
            if (known == null) {
                return value;
            }
            used.addAndGet(-w); // another thread pooled an equal value first
            return known;
        }
        used.addAndGet(-w);
        return value;
    }

    /** Values pooled (for tests). */
    int size() {
        return pool.size();
    }
}
