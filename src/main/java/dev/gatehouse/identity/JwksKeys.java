package dev.gatehouse.identity;

import jakarta.inject.Singleton;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The signing keys each IdP publishes, as {@link IdpKeyProbe} last fetched them from its JWKS, for
 * {@link LocalJwtVerifier}. Only keys fit for the local path are kept: signature keys ({@code use}
 * absent or {@code sig}) of type RSA (at least 2048 bits) or EC on P-256/P-384/P-521, with a
 * {@code kid} no other key of the set shares. Anything else (and any kid not here) leaves the token
 * to quarkus-oidc, which then behaves exactly as it did without this class.
 *
 * <p>A failed fetch keeps the keys of the last good one, as quarkus-oidc does with its own copy.
 */
@Singleton
public class JwksKeys {
    /** How soon after asking for it an unknown kid may cause another fetch of the IdP's JWKS. */
    static final long REFRESH_SPACING_MILLIS = 10_000;

    /**
     * One verification key.
     *
     * @param key the public key
     * @param alg the {@code alg} the JWK names, or null when it names none
     */
    record Key(PublicKey key, String alg) {
        /** Whether a JWS header's {@code alg} may be checked with this key. */
        boolean fits(String headerAlg) {
            if (alg != null && !alg.equals(headerAlg)) {
                return false;
            }
            if (key instanceof RSAPublicKey) {
                return headerAlg.equals("RS256") || headerAlg.equals("RS384") || headerAlg.equals("RS512");
            }
            if (key instanceof ECPublicKey ec) {
                int bits = ec.getParams().getCurve().getField().getFieldSize();
                return headerAlg.equals("ES256") && bits == 256 || headerAlg.equals("ES384") && bits == 384
                        || headerAlg.equals("ES512") && bits == 521;
            }
            return false;
        }
    }

    private final Map<String, Map<String, Key>> byTenant = new ConcurrentHashMap<>();
    private final Set<String> refreshAsked = ConcurrentHashMap.newKeySet();

    /** The key {@code kid} names in the tenant's JWKS, or null. */
    Key key(String tenant, String kid) {
        Map<String, Key> keys = byTenant.get(tenant);
        return keys == null ? null : keys.get(kid);
    }

    /** Replaces the tenant's keys with those of a freshly fetched JWKS document; a bad document changes nothing. */
    void update(String tenant, String jwksJson) {
        Map<String, Key> keys = parse(jwksJson);
        if (keys != null) {
            byTenant.put(tenant, Map.copyOf(keys));
        }
    }

    /** Forgets every tenant not in {@code current} (IdPs removed or changed by a reload). */
    void retain(Set<String> current) {
        byTenant.keySet().retainAll(current);
        refreshAsked.retainAll(current);
    }

    /** A token named a kid this tenant's keys lack: the probe fetches again soon (at most every 10 s). */
    void askRefresh(String tenant) {
        refreshAsked.add(tenant);
    }

    /** Whether a refresh was asked and the last fetch is long enough ago; if so, takes the request. */
    boolean takeRefresh(String tenant, long nowMillis, long lastAttemptMillis) {
        return nowMillis - lastAttemptMillis >= REFRESH_SPACING_MILLIS && refreshAsked.remove(tenant);
    }

    static Map<String, Key> parse(String jwksJson) {
        List<JsonWebKey> jwks;
        try {
            jwks = new JsonWebKeySet(jwksJson).getJsonWebKeys();
        } catch (JoseException | RuntimeException e) {
            return null;
        }
        Map<String, Key> keys = new HashMap<>();
        Set<String> shared = new HashSet<>();
        for (JsonWebKey jwk : jwks) {
            String kid = jwk.getKeyId();
            if (kid == null || !(jwk instanceof PublicJsonWebKey pub)) {
                continue;
            }
            if (keys.containsKey(kid) || shared.contains(kid)) { // an ambiguous kid: quarkus-oidc decides
                keys.remove(kid);
                shared.add(kid);
                continue;
            }
            if (fit(jwk, pub.getPublicKey())) {
                keys.put(kid, new Key(pub.getPublicKey(), jwk.getAlgorithm()));
            }
        }
        return keys;
    }

    private static boolean fit(JsonWebKey jwk, PublicKey key) {
        if (jwk.getUse() != null && !jwk.getUse().equals("sig")) {
            return false;
        }
        if (jwk.getKeyOps() != null && !jwk.getKeyOps().contains("verify")) {
            return false;
        }
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength() >= 2048;
        }
        return key instanceof ECPublicKey;
    }
}
