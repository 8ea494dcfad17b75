package dev.gatehouse.identity;

import dev.gatehouse.policy.ReadOnlyClaims;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The claims of a verified token in the least memory, for the token cache: up to 100,000 cached
 * identities each keep their claims (policies may test any claim). A Keycloak access token's tree
 * as decoded (LinkedHashMaps, ArrayLists with spare room, a String per value) takes about 3.7 KB;
 * compacted, objects become read-only maps over one key/value array (insertion order kept, null
 * values kept), lists become read-only lists over an exact-size array, and what recurs across tokens
 * is shared through bounded pools: short strings (issuer, audience, group and role names, scopes)
 * and whole lists of strings (a team's groups, {@code amr}). The values of claims that name one
 * user, session or token ({@link #UNIQUE}) are not offered to the string pool: they would only fill
 * it (a pool full of subjects and token ids no longer takes the group names of a new IdP).
 */
final class CompactClaims {
    /** Strings longer than this are seldom shared (ids, emails are per user): not pooled, nor lists holding one. */
    static final int POOLED_MAX_LENGTH = 64;
    private static final Interner<String> STRINGS = new Interner<>(20_000);
    /** Lists of strings longer than this are not pooled (a user in 500 groups is seldom repeated). */
    private static final int POOLED_LIST_MAX = 64;
    private static final Interner<Values> LISTS = new Interner<>(200_000, v -> 1 + v.size());
    /** Top-level claims whose values are per user, session or token: never shared, so not pooled. */
    private static final Set<String> UNIQUE = Set.of("sub", "jti", "sid", "email", "name",
            "preferred_username", "given_name", "family_name", "nonce", "at_hash", "c_hash", "session_state",
            "oid", "uti", "upn", "unique_name", "device_id");

    private CompactClaims() {
    }

    /** A read-only copy of a JSON tree (Map, List, String, Number, Boolean, null). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Map<String, Object> claims) {
        Object[] kv = new Object[claims.size() * 2];
        int i = 0;
        for (Map.Entry<String, Object> e : claims.entrySet()) {
            String name = pooled(e.getKey());
            kv[i++] = name;
            Object v = e.getValue();
            kv[i++] = v instanceof String s && UNIQUE.contains(name) ? s : compact(v);
        }
        return new ArrayMap(kv);
    }

    private static Object compact(Object v) {
        if (v instanceof Map<?, ?> map) {
            Object[] kv = new Object[map.size() * 2];
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                kv[i++] = pooled((String) e.getKey());
                kv[i++] = compact(e.getValue());
            }
            return new ArrayMap(kv);
        }
        if (v instanceof List<?> list) {
            Object[] items = new Object[list.size()];
            int i = 0;
            for (Object o : list) {
                items[i++] = compact(o);
            }
            return list(items);
        }
        if (v instanceof String s) {
            return pooled(s);
        }
        return v;
    }

    /** A read-only list of {@code items} (compact already), shared when it is a short list of short strings. */
    static List<Object> list(Object[] items) {
        boolean strings = items.length <= POOLED_LIST_MAX;
        for (int i = 0; strings && i < items.length; i++) {
            strings = items[i] instanceof String str && str.length() <= POOLED_MAX_LENGTH; // bounds the pool's bytes
        }
        Values values = new Values(items);
        return strings ? LISTS.intern(values) : values;
    }

    /** Whether the top-level claim {@code name} names one user, session or token (its value is not pooled). */
    static boolean unique(String name) {
        return UNIQUE.contains(name);
    }

    static String pooled(String s) {
        return s.length() > POOLED_MAX_LENGTH ? s : STRINGS.intern(s);
    }

    /**
     * A read-only list over an exact-size array: unlike {@code List.of} it holds nulls and answers
     * {@code contains(null)}, as the decoded JSON list did.
     */
    static final class Values extends AbstractList<Object> implements RandomAccess {
        private final Object[] items;

        Values(Object[] items) {
            this.items = items;
        }

        @Override
        public Object get(int index) {
            return items[index];
        }

        @Override
        public int size() {
            return items.length;
        }
    }

    /**
     * A read-only map over {@code [k0, v0, k1, v1, ...]}; looked up by a scan (claims are few). Every
     * mutator throws (AbstractMap's {@code put}, removal through the entry set's iterator, which has
     * no {@code remove}, immutable entries), so {@link dev.gatehouse.policy.Identity} keeps it unwrapped.
     */
    static final class ArrayMap extends AbstractMap<String, Object> implements ReadOnlyClaims {
        private final Object[] kv;

        ArrayMap(Object[] kv) {
            this.kv = kv;
        }

        @Override
        public int size() {
            return kv.length / 2;
        }

        @Override
        public Object get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : kv[i + 1];
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        // Mutators throw whether or not they would change anything, as Collections.unmodifiableMap's
        // do (AbstractMap's clear() of an empty map, Map's putIfAbsent of a present key would not).
        @Override
        public Object put(String key, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object remove(Object key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void putAll(Map<? extends String, ?> m) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void clear() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object putIfAbsent(String key, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean remove(Object key, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean replace(String key, Object oldValue, Object newValue) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object replace(String key, Object value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object computeIfAbsent(String key, Function<? super String, ?> f) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object computeIfPresent(String key, BiFunction<? super String, ? super Object, ?> f) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object compute(String key, BiFunction<? super String, ? super Object, ?> f) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object merge(String key, Object value, BiFunction<? super Object, ? super Object, ?> f) {
            throw new UnsupportedOperationException();
        }

        private int indexOf(Object key) {
            for (int i = 0; i < kv.length; i += 2) {
                if (kv[i].equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return kv.length / 2;
                }

                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() {
                            return i < kv.length;
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (i >= kv.length) {
                                throw new NoSuchElementException();
                            }
                            Entry<String, Object> e = new SimpleImmutableEntry<>((String) kv[i], kv[i + 1]);
                            i += 2;
                            return e;
                        }
                    };
                }
            };
        }
    }
}
