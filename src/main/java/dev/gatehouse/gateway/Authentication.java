package dev.gatehouse.gateway;

import dev.gatehouse.access.RequestReason;
import dev.gatehouse.config.LoginMode;
import dev.gatehouse.identity.TokenKey;
import dev.gatehouse.identity.TokenRejection;
import dev.gatehouse.identity.TokenVerifier;
import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.route.AppRoute;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The authenticate stage: the bearer token of a routed request, checked for its route's IdP. A
 * verified-token cache hit continues at once; a miss is checked with the IdP's published keys
 * ({@link TokenVerifier#verifyLocally}) and, when that does not accept it, by quarkus-oidc (through
 * {@link QuarkusAuthenticationDetour}), at most one signature check per token at a time, and limited
 * per client address. No token continues with an anonymous exchange; a token that is present but
 * not valid is answered 401 here. Browser sessions are resolved by {@link SessionResolver}.
 */
@Singleton
public class Authentication {
    private static final Logger LOG = Logger.getLogger(Authentication.class);

    private final TokenVerifier verifier;
    private final QuarkusAuthenticationDetour detour;
    private final GatewayMetrics metrics;
    private final RateLimits limits;
    private final Answers answers;

    private final SessionResolver sessions;

    public Authentication(TokenVerifier verifier, QuarkusAuthenticationDetour detour, GatewayMetrics metrics,
                          RateLimits limits, Answers answers, SessionResolver sessions) {
        this.sessions = sessions;
        this.verifier = verifier;
        this.detour = detour;
        this.metrics = metrics;
        this.limits = limits;
        this.answers = answers;
    }

    /**
     * Authenticates {@code ex} for {@code ex.route}'s IdP, then continues with {@code next}: the
     * bearer token on {@code bearer} apps; on {@code both} apps the bearer token when there is an
     * {@code Authorization} header, else the session cookie; on {@code browser} apps the session
     * cookie only ({@link SessionResolver}).
     */
    void authenticate(RoutingContext rc, Exchange ex, Handler<Exchange> next) {
        LoginMode mode = ex.route.app().login();
        String auth = mode == LoginMode.BROWSER ? null : ex.request.getHeader("Authorization");
        if (auth == null) {
            if (mode == LoginMode.BEARER) {
                next.handle(ex);
            } else {
                sessions.resolve(ex, next);
            }
            return;
        }
        int start = BearerToken.start(auth);
        int end = BearerToken.end(auth);
        if (start == BearerToken.MALFORMED || end - start > BearerToken.MAX_LENGTH) {
            refuse(ex, TokenRejection.MALFORMED);
            return;
        }
        AppRoute route = ex.route;
        TokenKey key = ConnectionTokenKeys.of(verifier, ex.request, route.tenant(), auth, start, end);
        VerifiedToken hit = verifier.cached(key);
        if (hit != null) {
            metrics.tokenVerification(route.idp().id(), "cache_hit");
            ex.token = hit;
            next.handle(ex);
            return;
        }
        if (!BearerToken.isCompactJws(auth, start, end)) {
            refuse(ex, TokenRejection.MALFORMED);
            return;
        }
        Uni<VerifiedToken> pending = verifier.pending(key);
        if (pending != null) {
            metrics.tokenVerification(route.idp().id(), "shared");
            // the same token is being verified: share the result (null: it was not accepted by the
            // local check, whose caller goes on to quarkus-oidc's; start again and share or do that)
            continueWith(pending, ex, shared -> {
                if (shared.token != null) {
                    next.handle(shared);
                } else {
                    authenticate(rc, shared, next);
                }
            });
            return;
        }
        if (!limits.tokenChecksPerIp.tryAcquire(ex.limitAddress())) {
            answers.tooMany(ex, limits.tokenChecksPerIp);
            return;
        }
        VerifiedToken local = verifier.verifyLocally(route.idp(), key, auth, start, end);
        if (local != null) { // checked with the IdP's published keys: no detour through quarkus-oidc
            ex.token = local;
            next.handle(ex);
            return;
        }
        detour.withDeferredIdentity(rc, () -> continueWith(verifier.verify(rc, ex.route.idp(), key), ex, next));
    }

    private void continueWith(Uni<VerifiedToken> verification, Exchange ex, Handler<Exchange> next) {
        Context context = Vertx.currentContext();
        verification.subscribe().with(
                verified -> onContext(context, () -> {
                    ex.token = verified;
                    next.handle(ex);
                }),
                failure -> onContext(context, () -> {
                    TokenRejection why = TokenRejection.of(failure);
                    // the failure's text may quote claims; never the token itself
                    LOG.debugf("token rejected for %s: %s", ex.requestId, why.code());
                    refuse(ex, why);
                }));
    }

    /** 401 {@code invalid-token} for the caller; the precise reason only for the operator. */
    private void refuse(Exchange ex, TokenRejection why) {
        ex.tokenError = why.code();
        metrics.tokenRejection(ex.route.idp().id(), why.code());
        answers.answer(ex, 401, RequestReason.INVALID_TOKEN, false);
    }

    private static void onContext(Context context, Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }
}
