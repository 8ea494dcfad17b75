package dev.gatehouse.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.IdentityFactory;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;

/**
 * Verifies bearer tokens: a cache hit costs a hash and a map lookup; a miss asks quarkus-oidc
 * (signature against the IdP's JWKS, issuer, audience, lifetime with 30 s skew) and caches the
 * result until the token's {@code exp}. Entries are keyed by IdP tenant and token hash, so a token
 * verified for one IdP is never accepted for another, and a cached entry is never used past
 * {@code exp}: the cache cannot change a security outcome.
 */
@Singleton // used on every request: no client proxy between the caller and the bean
public class TokenVerifier {
    /** Lets the pipeline render authentication failures itself instead of Quarkus's empty 401. */
    private static final BiConsumer<RoutingContext, Throwable> NO_DEFAULT_FAILURE = (rc, t) -> { };

    private final Cache<TokenKey, VerifiedToken> cache;
    private final FirstContact firstContact = new FirstContact();
    private final Map<TokenKey, CompletableFuture<VerifiedToken>> inFlight = new ConcurrentHashMap<>();

    private final GatewayMetrics metrics;

    private final Clock clock;
    private final JwksKeys keys;

    public TokenVerifier(GatehouseSettings settings, GatewayMetrics metrics, Clock clock, JwksKeys keys) {
        this.metrics = metrics;
        this.clock = clock;
        this.keys = keys;
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.tokenCache().maxSize())
                .expireAfter(new Expiry<TokenKey, VerifiedToken>() {
                    @Override
                    public long expireAfterCreate(TokenKey key, VerifiedToken v, long now) {
                        return untilExp(v, clock);
                    }

                    @Override
                    public long expireAfterUpdate(TokenKey key, VerifiedToken v, long now, long current) {
                        return untilExp(v, clock);
                    }

                    @Override
                    public long expireAfterRead(TokenKey key, VerifiedToken v, long now, long current) {
                        return current;
                    }
                })
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())) // expiry follows the injected clock
                .executor(Runnable::run) // maintenance on the caller: no hand-off to another thread
                .build();
    }

    private static long untilExp(VerifiedToken v, Clock clock) {
        long ms = v.expEpochSeconds() * 1000 - clock.millis();
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, ms));
    }

    /** The cache key of the token at {@code text[start, end)} for an IdP tenant ({@link OidcTenants#tenantId}). */
    public TokenKey keyOf(String tenant, String text, int start, int end) {
        return TokenKey.of(tenant, text, start, end);
    }

    /** @return the verified token if it is cached and not expired, else null (then call {@link #verify}) */
    public VerifiedToken cached(TokenKey key) {
        VerifiedToken hit = cache.getIfPresent(key);
        if (hit != null && hit.expEpochSeconds() * 1000 > clock.millis()) {
            return hit;
        }
        return null;
    }

    /**
     * The fast path of a cache miss: checks the token at {@code text[start, end)} with the keys of
     * the IdP's JWKS ({@link LocalJwtVerifier}, the same checks as quarkus-oidc's) and caches it.
     * Answers null for any token it does not accept, whatever the reason: then call
     * {@link #verify}, whose quarkus-oidc check refuses it with its precise reason (or accepts it, e.g.
     * signed with a key fetched after the last JWKS fetch of {@link IdpKeyProbe}).
     *
     * @param text the string holding the token; its syntax checked (three base64url segments)
     */
    public VerifiedToken verifyLocally(IdpConfig idp, TokenKey key, String text, int start, int end) {
        // one check per token even when a burst lands on several event loops at once: the others
        // wait for this one's result (pending, verify), and check again only if it was null
        CompletableFuture<VerifiedToken> mine = new CompletableFuture<>();
        if (inFlight.putIfAbsent(key, mine) != null) {
            return null; // being checked on another event loop: verify() shares that result
        }
        VerifiedToken verified = null;
        try {
            verified = checkLocally(idp, key, text, start, end);
            return verified;
        } finally {
            inFlight.remove(key, mine);
            mine.complete(verified);
        }
    }

    private VerifiedToken checkLocally(IdpConfig idp, TokenKey key, String text, int start, int end) {
        long now = System.currentTimeMillis(); // jose4j, behind quarkus-oidc, checks lifetimes against it
        LocalJwtVerifier.Verified v = LocalJwtVerifier.verify(keys, key.tenant(), idp.issuer(), idp.audience(),
                text, start, end, now / 1000);
        if (v == null || v.exp() * 1000 <= clock.millis()) { // and never cache what the clock calls expired
            return null;
        }
        Identity identity = CompactIdentity.of( // claims compact already (ClaimsParser)
                IdentityFactory.fromClaims(v.claims(), idp.claims(), idp.trustEmail()));
        if (identity.subject() == null || identity.subject().isBlank()) {
            return null; // refused by toVerified, through the ordinary path, with its reason
        }
        VerifiedToken verified = new VerifiedToken(key, idp.id(), identity, v.exp());
        cache.put(key, verified);
        metrics.tokenVerification(idp.id(), "valid");
        return verified;
    }

    /**
     * Verifies the bearer token of this request with quarkus-oidc for {@code idp}.
     * Fails with {@link AuthenticationFailedException} when the token is not valid.
     */
    public Uni<VerifiedToken> verify(RoutingContext rc, IdpConfig idp, TokenKey key) {
        rc.put(OidcTenants.IDP_KEY, idp);
        rc.put(QuarkusHttpUser.AUTH_FAILURE_HANDLER, NO_DEFAULT_FAILURE);
        CompletableFuture<VerifiedToken> mine = new CompletableFuture<>();
        CompletableFuture<VerifiedToken> running = inFlight.putIfAbsent(key, mine);
        if (running != null) { // null from a local check that did not accept it: check it ourselves
            return Uni.createFrom().completionStage(running).onItem().ifNull().switchTo(() -> verify(rc, idp, key));
        }
        VerifiedToken raced = cached(key);
        if (raced != null) { // verified by a request that finished between our cache miss and now
            inFlight.remove(key, mine);
            mine.complete(raced);
            return Uni.createFrom().item(raced);
        }
        Uni<VerifiedToken> verification = Uni.createFrom().deferred(() ->
                QuarkusHttpUser.getSecurityIdentity(rc, null).map(identity -> toVerified(identity, idp, key)));
        return firstContact.gate(key.tenant(), verification)
                .onItemOrFailure().invoke((item, failure) -> {
                    inFlight.remove(key, mine);
                    metrics.tokenVerification(idp.id(), failure == null ? "valid" : "invalid");
                    if (failure != null) {
                        mine.completeExceptionally(failure);
                    } else {
                        mine.complete(item);
                    }
                });
    }

    /**
     * The verification already running for this token, if any: a burst of requests with one new
     * token (a browser opening many connections) shares one signature check. Its item is null when
     * a local check ({@link #verifyLocally}) did not accept the token: then authenticate again.
     */
    public Uni<VerifiedToken> pending(TokenKey key) {
        CompletableFuture<VerifiedToken> running = inFlight.get(key);
        return running == null ? null : Uni.createFrom().completionStage(running);
    }

    private VerifiedToken toVerified(SecurityIdentity securityIdentity, IdpConfig idp, TokenKey key) {
        if (securityIdentity == null || securityIdentity.isAnonymous()
                || !(securityIdentity.getPrincipal() instanceof OidcJwtCallerPrincipal principal)) {
            throw new TokenRefused(TokenRejection.MALFORMED, "no verified JWT");
        }
        JwtClaims claims = principal.getClaims();
        long exp;
        try {
            if (claims.getExpirationTime() == null) {
                throw new TokenRefused(TokenRejection.MALFORMED, "token has no exp");
            }
            exp = claims.getExpirationTime().getValue();
        } catch (MalformedClaimException e) {
            throw new TokenRefused(TokenRejection.MALFORMED, "malformed exp");
        }
        Map<String, Object> tree = VerifiedClaims.payloadOf(principal.getRawToken());
        Identity identity = CompactIdentity.of(
                IdentityFactory.fromClaims(CompactClaims.of(tree), idp.claims(), idp.trustEmail()));
        // A token must name someone: OIDC requires sub to be a non-empty string. Without this check a
        // token with "sub": null or "" passed as an authenticated user (and every such token shared
        // the per-user rate-limit key and reached upstreams with an empty X-Gatehouse-User).
        if (identity.subject() == null || identity.subject().isBlank()) {
            throw new TokenRefused(TokenRejection.MISSING_SUBJECT, "token has no subject");
        }
        VerifiedToken verified = new VerifiedToken(key, idp.id(), identity, exp);
        cache.put(key, verified);
        return verified;
    }

    /** Number of tokens cached (for tests and metrics). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
