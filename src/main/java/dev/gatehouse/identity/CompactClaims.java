package dev.gatehouse.identity;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claims of a verified token in the least memory, for the token cache: up to 100,000 cached
 * identities each keep their claims (policies may test any claim). A Keycloak access token's tree
 * as decoded (LinkedHashMaps, ArrayLists with spare room, a String per value) takes about 3.7 KB;
 * compacted, objects become read-only maps over one key/value array (insertion order kept, null
 * values kept), lists are trimmed, and short strings that recur across tokens (issuer, audience,
 * group and role names, scopes) are shared through a bounded pool.
 */
final class CompactClaims {
    /** Strings longer than this are seldom shared (ids, emails are per user): not pooled. */
    private static final int POOLED_MAX_LENGTH = 64;
    private static final int POOL_MAX = 20_000;
    private static final Map<String, String> POOL = new ConcurrentHashMap<>();

    private CompactClaims() {
    }

    /** A read-only copy of a JSON tree (Map, List, String, Number, Boolean, null). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Map<String, Object> claims) {
        return (Map<String, Object>) compact(claims);
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
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(compact(o));
            }
            return java.util.Collections.unmodifiableList(out);
        }
        if (v instanceof String s) {
            return pooled(s);
        }
        return v;
    }

    static String pooled(String s) {
        if (s.length() > POOLED_MAX_LENGTH) {
            return s;
        }
        String known = POOL.get(s);
        if (known != null) {
            return known;
        }
        if (POOL.size() < POOL_MAX) { // bounded: tokens full of unique short strings must not grow it
            known = POOL.putIfAbsent(s, s);
            return known == null ? s : known;
        }
        return s;
    }

    /** A read-only map over {@code [k0, v0, k1, v1, ...]}; looked up by a scan (claims are few). */
    static final class ArrayMap extends AbstractMap<String, Object> {
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
