package dev.gatehouse.identity;

import dev.gatehouse.crypto.NativeCrypto;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Checks a compact JWS with the keys quarkus-oidc's IdP publishes ({@link JwksKeys}), in a few tens of
 * microseconds instead of the ~1 ms of quarkus-oidc's bearer path: the same checks, written for
 * the one shape of token IdPs issue. It only ever <em>accepts</em>: a token it is not sure of
 * answers null and goes to quarkus-oidc, which refuses it (with its precise reason) or accepts it
 * exactly as before. So what it accepts must be a subset of what quarkus-oidc accepts:
 *
 * <ul>
 *   <li>header: a JSON object of {@code alg} (RS256/384/512, ES256/384/512), {@code kid} and
 *       optionally {@code typ}, nothing else (no {@code crit}, {@code jku}, {@code jwk}, {@code x5c},
 *       {@code b64}, {@code zip}); the kid names a key of the IdP's JWKS fit for that alg (an
 *       unknown kid asks for a refetch and leaves this token to quarkus-oidc, which refetches too);</li>
 *   <li>signature: {@link Signature} over the ASCII of header.payload, as jose4j does;</li>
 *   <li>header and payload: JSON without duplicate names at any depth (jose4j refuses those) or
 *       trailing content;</li>
 *   <li>claims, with quarkus-oidc's 30 s skew ({@link OidcTenants#CLOCK_SKEW_SECONDS}): integral
 *       {@code exp} not passed, integral {@code iat} present and not in the future, {@code nbf}
 *       absent or reached, {@code iss} the IdP's issuer, {@code aud} (string or list of strings)
 *       naming the IdP's audience, {@code typ} claim absent or a string other than {@code Refresh}.</li>
 * </ul>
 *
 * <p>Claim values come out as the same JSON types ({@code Map}, {@code List}, {@code String},
 * {@code Boolean}, {@code Integer}/{@code Long}/{@code BigInteger}/{@code Double}) that
 * {@link VerifiedClaims} gives for a token quarkus-oidc verified (Vert.x's codec), already in the
 * compact form the token cache keeps ({@link ClaimsParser}).
 */
final class LocalJwtVerifier {
    /**
     * A token this class accepted.
     *
     * @param claims the payload as a JSON tree
     * @param exp    its {@code exp}, epoch seconds
     */
    record Verified(Map<String, Object> claims, long exp) {
    }

    private static final String[] ALGS = {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"};
    private static final String[] JCA = {"SHA256withRSA", "SHA384withRSA", "SHA512withRSA",
        "SHA256withECDSAinP1363Format", "SHA384withECDSAinP1363Format", "SHA512withECDSAinP1363Format"};
    /** One {@link Signature} per algorithm and thread: getInstance is a provider lookup. */
    private static final ThreadLocal<Signature[]> SIGNATURES = ThreadLocal.withInitial(() -> new Signature[ALGS.length]);

    private LocalJwtVerifier() {
    }

    /**
     * @param text       holds the token at {@code [start, end)} (syntax already checked: three
     *                   non-empty base64url segments)
     * @param nowSeconds the time to check lifetimes at, as quarkus-oidc does: the system clock
     * @return the verified claims, or null: leave the token to quarkus-oidc
     */
    static Verified verify(JwksKeys keys, String tenant, String issuer, String audience, String text, int start,
                           int end, long nowSeconds) {
        if (issuer == null || audience == null || "any".equals(issuer) || "any".equals(audience)) {
            return null; // quarkus-oidc skips these checks for "any": not the shape this path knows
        }
        int d1 = text.indexOf('.', start);
        int d2 = d1 < 0 ? -1 : text.indexOf('.', d1 + 1);
        if (d1 < 0 || d2 < 0 || d2 >= end) {
            return null;
        }
        byte[] ascii = ascii(text, start, end);
        int h = d1 - start;
        int p = d2 - start;
        try {
            byte[] headerJson = decode(ascii, 0, h);
            Map<String, Object> header = ClaimsParser.object(headerJson, 0, headerJson.length, false);
            if (header == null) {
                return null;
            }
            int alg = algIndex(header);
            Object kid = header.get("kid");
            if (alg < 0 || !(kid instanceof String k)) {
                return null;
            }
            JwksKeys.Key key = keys.key(tenant, k);
            if (key == null) {
                keys.askRefresh(tenant);
                return null;
            }
            if (!key.fits(ALGS[alg])) {
                return null;
            }
            Signature sig = signature(alg);
            sig.initVerify(key.key());
            sig.update(ascii, 0, p);
            if (!sig.verify(decode(ascii, p + 1, ascii.length))) {
                return null;
            }
            byte[] payload = decode(ascii, h + 1, p);
            // verified: parsed straight into the compact tree the token cache keeps
            Map<String, Object> claims = ClaimsParser.object(payload, 0, payload.length, true);
            if (claims == null) {
                return null;
            }
            long exp = seconds(claims.get("exp"));
            long iat = seconds(claims.get("iat"));
            long nbf = claims.containsKey("nbf") ? seconds(claims.get("nbf")) : nowSeconds;
            long skew = OidcTenants.CLOCK_SKEW_SECONDS;
            if (exp == Long.MIN_VALUE || nowSeconds - skew >= exp
                    || iat == Long.MIN_VALUE || iat > nowSeconds + skew
                    || nbf == Long.MIN_VALUE || nowSeconds + skew < nbf
                    || !issuer.equals(claims.get("iss")) || !audienceNames(claims.get("aud"), audience)
                    || !typAccepted(claims)) {
                return null;
            }
            return new Verified(claims, exp);
        } catch (GeneralSecurityException | RuntimeException e) {
            return null; // undecodable, unparsable, a key the provider refuses: quarkus-oidc decides
        }
    }

    private static byte[] decode(byte[] ascii, int from, int to) {
        ByteBuffer out = Base64.getUrlDecoder().decode(ByteBuffer.wrap(ascii, from, to - from));
        if (out.hasArray() && out.arrayOffset() == 0 && out.position() == 0 && out.remaining() == out.array().length) {
            return out.array(); // the decoder sized its array exactly (unpadded input): no second copy
        }
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    /**
     * The token's characters as bytes: base64url and dots only (checked by the caller), so each
     * char's low byte is the char. {@code String.getBytes(int, int, byte[], int)} does exactly that
     * in one intrinsic copy (it is deprecated only because it drops the high byte, which is the point here).
     */
    @SuppressWarnings("deprecation")
    static byte[] ascii(String text, int start, int end) {
        byte[] ascii = new byte[end - start];
        text.getBytes(start, end, ascii, 0);
        return ascii;
    }

    /** The index of the header's alg in {@link #ALGS}, or -1 for any other alg or any other header member. */
    private static int algIndex(Map<String, Object> header) {
        for (Map.Entry<String, Object> e : header.entrySet()) {
            switch (e.getKey()) {
                case "alg", "kid" -> { }
                case "typ" -> {
                    if (!(e.getValue() instanceof String)) {
                        return -1;
                    }
                }
                default -> {
                    return -1;
                }
            }
        }
        Object alg = header.get("alg");
        for (int i = 0; i < ALGS.length; i++) {
            if (ALGS[i].equals(alg)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * This thread's {@link Signature} for {@code alg}: the native provider's where it loaded (an
     * RS256 verification in about half the CPU of the JDK's, BENCHMARKS.md issue 13 round six),
     * else the JDK's. Both check the same thing (PKCS #1 v1.5 with the exact DigestInfo, ECDSA in
     * the P1363 form); a key or signature the native provider refuses throws, which leaves the
     * token to quarkus-oidc, as every refusal here does.
     */
    private static Signature signature(int alg) throws GeneralSecurityException {
        Signature[] mine = SIGNATURES.get();
        if (mine[alg] == null) {
            Provider p = NativeCrypto.provider();
            mine[alg] = p == null ? Signature.getInstance(JCA[alg]) : Signature.getInstance(JCA[alg], p);
        }
        return mine[alg];
    }

    /** The name of the provider that checks {@code alg} signatures on this thread (for tests). */
    static String providerOf(String alg) throws GeneralSecurityException {
        for (int i = 0; i < ALGS.length; i++) {
            if (ALGS[i].equals(alg)) {
                return signature(i).getProvider().getName();
            }
        }
        throw new IllegalArgumentException(alg);
    }

    /** An integral JSON number as seconds, else {@link Long#MIN_VALUE}. */
    private static long seconds(Object v) {
        return v instanceof Integer || v instanceof Long ? ((Number) v).longValue() : Long.MIN_VALUE;
    }

    private static boolean audienceNames(Object aud, String audience) {
        if (aud instanceof String s) {
            return s.equals(audience);
        }
        if (!(aud instanceof List<?> list)) {
            return false;
        }
        boolean found = false;
        for (Object o : list) {
            if (!(o instanceof String s)) {
                return false; // jose4j refuses a list with a non-string in it
            }
            found |= s.equals(audience);
        }
        return found;
    }

    /** quarkus-oidc refuses a {@code typ} claim of {@code Refresh} (and a non-string one fails its read). */
    private static boolean typAccepted(Map<String, Object> claims) {
        Object typ = claims.get("typ");
        return typ == null && !claims.containsKey("typ") || typ instanceof String s && !s.equals("Refresh");
    }
}
