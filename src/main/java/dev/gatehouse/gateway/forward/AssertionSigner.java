package dev.gatehouse.gateway.forward;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.identity.TokenKey;
import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.policy.Identity;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashSet;
import java.util.UUID;

/**
 * Signs the {@code X-Gatehouse-Assertion} JWT (ES256) an upstream can verify against
 * {@code /.gatehouse/jwks.json}. Besides the contract's claims it carries {@code idp}, the id of
 * the IdP that vouched for the caller: two IdPs may both have a user {@code sub=1234}, and an
 * upstream behind apps of several IdPs must key its users by ({@code idp}, {@code sub}). Signing costs far more than a request should, so an assertion is
 * cached per (token, app) and re-signed when less than a third of its lifetime is left. It never
 * outlives the IdP token it was made from, nor 5 minutes.
 */
@ApplicationScoped
public class AssertionSigner {
    static final Duration MAX_TTL = Duration.ofMinutes(5);

    private record Key(TokenKey token, String appId) {
    }

    private record Signed(String jwt, long expEpochSeconds, long refreshAfterEpochSeconds) {
    }

    private final AssertionKeys keys;
    private final String issuer;
    private final long ttlSeconds;
    private final Cache<Key, Signed> cache;

    public AssertionSigner(AssertionKeys keys, GatehouseSettings settings) {
        this.keys = keys;
        this.issuer = settings.assertion().issuer();
        Duration ttl = settings.assertion().ttl();
        this.ttlSeconds = Math.max(10, Math.min(ttl.toSeconds(), MAX_TTL.toSeconds()));
        this.cache = Caffeine.newBuilder().maximumSize(settings.tokenCache().maxSize())
                .expireAfterWrite(Duration.ofSeconds(ttlSeconds)).executor(Runnable::run).build();
    }

    /** The assertion for this caller and app, from the cache when still fresh. */
    public String assertionFor(VerifiedToken token, String appId) {
        Key key = new Key(token.cacheKey(), appId);
        long now = System.currentTimeMillis() / 1000;
        Signed s = cache.getIfPresent(key);
        if (s == null || now >= s.refreshAfterEpochSeconds()) {
            s = sign(token, appId, now);
            cache.put(key, s);
        }
        return s.jwt();
    }

    private Signed sign(VerifiedToken token, String appId, long now) {
        Identity id = token.identity();
        long exp = Math.min(now + ttlSeconds, token.expEpochSeconds());
        JwtClaimsBuilder b = Jwt.issuer(issuer).audience(appId).subject(id.subject()).claim("idp", token.idp())
                .issuedAt(now).expiresAt(exp).claim("jti", UUID.randomUUID().toString())
                .groups(new HashSet<>(id.groups()))
                .claim("device_compliant", id.device().compliant());
        if (id.email() != null) {
            b.claim("email", id.email());
        }
        if (id.name() != null) {
            b.claim("name", id.name());
        }
        if (id.device().id() != null) {
            b.claim("device_id", id.device().id());
        }
        AssertionKeys.SigningKey k = keys.active();
        String jwt = b.jws().keyId(k.kid()).algorithm(SignatureAlgorithm.ES256).sign(k.privateKey());
        return new Signed(jwt, exp, now + Math.max(1, (exp - now) * 2 / 3));
    }
}
