package dev.gatehouse.gateway.forward;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.identity.VerifiedToken;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/**
 * Signs the {@code X-Gatehouse-Assertion} JWT (ES256) an upstream can verify against
 * {@code /.gatehouse/jwks.json}. Besides the contract's claims it carries {@code idp}, the id of
 * the IdP that vouched for the caller: two IdPs may both have a user {@code sub=1234}, and an
 * upstream behind apps of several IdPs must key its users by ({@code idp}, {@code sub}).
 *
 * <p>Signing costs far more than a request should (about 65 us of CPU with {@link Es256Signer}),
 * so an assertion is reused, and re-signed when less than a third of its lifetime is left:
 * <ul>
 * <li>per (caller, app), {@link AssertionClaims}: every token of a caller (the same token again, a
 *     refresh, a second sign-in) whose assertion would say exactly the same thing (same {@code sub},
 *     {@code idp}, email, name, groups, device id and compliance) gets the assertion already
 *     signed, if that one does not outlive the token. Anything different in what the assertion
 *     says (a group added, a device no longer compliant) is a different key, so a new signature.
 *     The cached token remembers its {@link AssertionClaims} for the app it was last sent to
 *     ({@link VerifiedToken#assertionMemo()}), so a request of a cached token makes no new key.
 * <li>a token that cannot use the caller's assertion because it expires before it (a caller
 *     holding an older token next to a newer one) keeps its own, on the cached token: it expires
 *     within the assertion ttl anyway, so that assertion is kept no longer than the cache would.
 * </ul>
 * Either way an assertion never outlives the IdP token it is sent for, nor 5 minutes, nor a
 * rotation of the signing key (one signed by a key that no longer signs is signed again), and its
 * {@code jti} names the signed assertion, not the request (as it always did: one assertion serves
 * every request of a token for two thirds of its lifetime). The claims are written by
 * {@link AssertionClaims#json}, the header is {@code {"kid":..,"typ":"JWT","alg":"ES256"}}, as
 * smallrye-jwt's builder wrote them before.
 */
@Singleton // called on every allowed request (ForwardedHeaders): no client proxy in between. Its
// construction reads no key (AssertionKeys is looked up when the first assertion is signed), observes
// no event and is not intercepted or mocked, so it needs no normal scope.
public class AssertionSigner {
    static final Duration MAX_TTL = Duration.ofMinutes(5);

    /** A token's own assertion (see the class comment), remembered on the cached token. */
    private record Own(AssertionClaims claims, Signed signed) {
    }

    /** An assertion, with the key that signed it: after a rotation, one signed by another key is signed again. */
    private record Signed(String jwt, long expEpochSeconds, long refreshAfterEpochSeconds, AssertionKeys.SigningKey by) {
        boolean usableAt(long now, AssertionKeys.SigningKey active) {
            return now < refreshAfterEpochSeconds && by == active;
        }
    }

    /** A signing key with its encoded header, made once per key. */
    private record Signing(AssertionKeys.SigningKey key, String headerB64, Es256Signer signer) {
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final AssertionKeys keys;
    private final String issuer;
    private final long ttlSeconds;
    private final Cache<AssertionClaims, Signed> byCaller;
    private final SecureRandom random = new SecureRandom();
    private volatile Signing signing;

    @Inject
    public AssertionSigner(AssertionKeys keys, GatehouseSettings settings) {
        this(keys, settings.assertion().issuer(), settings.assertion().ttl(), settings.tokenCache().maxSize());
    }

    AssertionSigner(AssertionKeys keys, String issuer, Duration ttl, long cacheSize) {
        this.keys = keys;
        this.issuer = issuer;
        this.ttlSeconds = Math.max(10, Math.min(ttl.toSeconds(), MAX_TTL.toSeconds()));
        this.byCaller = Caffeine.newBuilder().maximumSize(cacheSize)
                .expireAfterWrite(Duration.ofSeconds(ttlSeconds)).executor(Runnable::run).build();
    }

    /** The assertion for this caller and app, from the cache when still fresh. */
    public String assertionFor(VerifiedToken token, String appId) {
        long now = System.currentTimeMillis() / 1000;
        AssertionKeys.SigningKey active = keys.active();
        Object memo = token.assertionMemo();
        AssertionClaims claims;
        if (memo instanceof AssertionClaims c && c.appId().equals(appId)) {
            claims = c;
        } else if (memo instanceof Own own && own.claims().appId().equals(appId)) {
            if (own.signed().usableAt(now, active)) {
                return own.signed().jwt();
            }
            claims = own.claims();
        } else {
            claims = AssertionClaims.of(token, appId);
        }
        Signed same = byCaller.getIfPresent(claims);
        if (same != null && same.usableAt(now, active) && same.expEpochSeconds() <= token.expEpochSeconds()) {
            remember(token, memo, claims);
            return same.jwt();
        }
        Signed s = signNew(claims, token.expEpochSeconds(), now);
        if (same == null || !same.usableAt(now, active) || same.expEpochSeconds() <= s.expEpochSeconds()) {
            byCaller.put(claims, s);
            remember(token, memo, claims);
        } else {
            // the caller's assertion outlives this token, and stays the caller's: this token keeps its
            // own, signed until its exp (s.exp < same.exp <= now + ttl, so s.exp is the token's exp and
            // the token cache drops it, with this, within the ttl)
            token.assertionMemo(new Own(claims, s));
        }
        return s.jwt();
    }

    private static void remember(VerifiedToken token, Object memo, AssertionClaims claims) {
        if (memo != claims) { // a write only when it changes: most requests just read the memo
            token.assertionMemo(claims);
        }
    }

    /** Signs a new assertion now (no cache), for tests and benchmarks. */
    String sign(AssertionClaims claims, long tokenExpEpochSeconds, long now) {
        return signNew(claims, tokenExpEpochSeconds, now).jwt();
    }

    private Signed signNew(AssertionClaims claims, long tokenExpEpochSeconds, long now) {
        long exp = Math.min(now + ttlSeconds, tokenExpEpochSeconds);
        Signing k = signing();
        String payload = claims.json(issuer, now, exp, UUID.randomUUID().toString());
        String input = k.headerB64() + '.' + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        String jwt = input + '.' + B64.encodeToString(k.signer().sign(input.getBytes(StandardCharsets.US_ASCII)));
        return new Signed(jwt, exp, now + Math.max(1, (exp - now) * 2 / 3), k.key());
    }

    /** The signer of the active key; made again when the key rotates. */
    private Signing signing() {
        AssertionKeys.SigningKey active = keys.active();
        Signing k = signing;
        if (k == null || k.key() != active) {
            try {
                String header = "{\"kid\":\"" + active.kid() + "\",\"typ\":\"JWT\",\"alg\":\"ES256\"}";
                k = new Signing(active, B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)),
                        new Es256Signer(active.privateKey(), active.publicKey(), random));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign assertions with key " + active.kid(), e);
            }
            signing = k;
        }
        return k;
    }
}
