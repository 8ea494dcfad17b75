package dev.gatehouse.identity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a verified token's JSON payload straight into the compact tree the token cache keeps
 * ({@link CompactClaims}: read-only {@link CompactClaims.ArrayMap}s, trimmed read-only lists, shared
 * short strings), in one pass over the UTF-8 bytes. Before, the payload became a String, then a tree
 * of LinkedHashMaps (Vert.x's codec), then a compact copy of that tree: three passes and two trees
 * for every new token.
 *
 * <p>As strict as before, or stricter: a JSON object at the root with nothing after it, no
 * duplicate names at any depth, values as Vert.x's codec types them ({@code String},
 * {@code Boolean}, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}, null). Unlike
 * Vert.x's codec it allows no comments, and malformed UTF-8 is an error rather than replaced: such
 * payloads are refused here (null) and left to quarkus-oidc, as any token this path is unsure of.
 */
final class ClaimsParser {
    /** Plain JSON: no comments, no single quotes, no unquoted names (Jackson's defaults). */
    private static final JsonFactory JSON = new JsonFactory();
    /** Names of an object compared by a scan up to this many; past it, by a hash set (no quadratic cost). */
    private static final int SCAN_MAX = 32;

    private ClaimsParser() {
    }

    /**
     * @param pool whether strings may be shared through {@link CompactClaims}' pool: only for a
     *             payload whose signature was verified, so that unverified input never fills it
     * @return the object at {@code utf8[from, to)} as a compact tree, or null when it is not a
     *         single well-formed JSON object without duplicate names
     */
    static Map<String, Object> object(byte[] utf8, int from, int to, boolean pool) {
        try (JsonParser p = JSON.createParser(utf8, from, to - from)) {
            // duplicate names are refused by readObject (Jackson's STRICT_DUPLICATE_DETECTION did it
            // with a HashSet per object: ~0.5 KB of garbage per token for a dozen names)
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, Object> root = readObject(p, pool, pool);
            return p.nextToken() == null ? root : null; // trailing content
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * At START_OBJECT: reads to its END_OBJECT.
     *
     * @param top whether this is the payload itself, whose per-user claims' strings are not pooled
     */
    private static Map<String, Object> readObject(JsonParser p, boolean pool, boolean top) throws IOException {
        Object[] kv = new Object[16];
        int n = 0;
        Set<String> seen = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            if (n + 2 > kv.length) {
                kv = Arrays.copyOf(kv, kv.length * 2);
            }
            if (seen != null ? !seen.add(name) : isDuplicate(kv, n, name)) {
                throw new IOException("duplicate name");
            }
            if (seen == null && n >= 2 * SCAN_MAX) { // a large object (an attacker's header): hash from here on
                seen = new HashSet<>();
                for (int i = 0; i <= n; i += 2) {
                    seen.add(i < n ? (String) kv[i] : name);
                }
            }
            kv[n++] = pool ? CompactClaims.pooled(name) : name;
            kv[n++] = readValue(p, pool && !(top && p.currentToken() == JsonToken.VALUE_STRING
                    && CompactClaims.unique(name)));
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("not an object");
        }
        return new CompactClaims.ArrayMap(n == kv.length ? kv : Arrays.copyOf(kv, n));
    }

    /** Whether {@code name} is one of the {@code n / 2} names already in {@code kv}: a scan, names are few. */
    private static boolean isDuplicate(Object[] kv, int n, String name) {
        for (int i = 0; i < n; i += 2) {
            if (name.equals(kv[i])) {
                return true;
            }
        }
        return false;
    }

    /** At START_ARRAY: reads to its END_ARRAY. */
    private static List<Object> readArray(JsonParser p, boolean pool) throws IOException {
        List<Object> out = new ArrayList<>(4);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new IOException("unterminated array");
            }
            out.add(readValue(p, pool));
        }
        return pool ? CompactClaims.list(out.toArray()) : Collections.unmodifiableList(Arrays.asList(out.toArray()));
    }

    private static Object readValue(JsonParser p, boolean pool) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new IOException("unexpected end");
        }
        return switch (t) {
            case START_OBJECT -> readObject(p, pool, false);
            case START_ARRAY -> readArray(p, pool);
            case VALUE_STRING -> pool ? CompactClaims.pooled(p.getText()) : p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected token " + t);
        };
    }
}
