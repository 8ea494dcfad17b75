package dev.gatehouse.gateway;

import dev.gatehouse.gateway.connection.ClientConnections;
import dev.gatehouse.identity.TokenVerifier;
import dev.gatehouse.identity.TokenKey;
import dev.gatehouse.identity.VerifiedToken;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.route.AppRoute;
import dev.gatehouse.route.SnapshotHolder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The data plane's entry: every request on the data port comes here, in fixed stages:
 * <ol>
 *   <li>normalise: reject ambiguous HTTP, bad hosts and hostile paths (400, connection closed);</li>
 *   <li>route: one read of the current snapshot; no app, 404 {@code route-not-found};</li>
 *   <li>authenticate: the verified-token cache, else quarkus-oidc for the app's IdP;</li>
 *   <li>decide, record, respond or forward: {@link Gate}.</li>
 * </ol>
 * Nothing is contacted upstream before the gate allows the request.
 */
@ApplicationScoped
public class RequestPipeline implements Handler<RoutingContext> {
    private static final Logger LOG = Logger.getLogger(RequestPipeline.class);
    static final String RESERVED_PREFIX = "/.gatehouse/";
    private static final String CONTINUATION_KEY = "gatehouse.continuation";

    private final SnapshotHolder snapshots;
    private final TokenVerifier verifier;
    private final Gate gate;
    private final ReservedEndpoints reserved;
    private final GatewayMetrics metrics;
    private final RateLimits limits;
    private final ClientConnections connections;

    public RequestPipeline(SnapshotHolder snapshots, TokenVerifier verifier, Gate gate, ReservedEndpoints reserved,
                           GatewayMetrics metrics, RateLimits limits, ClientConnections connections) {
        this.limits = limits;
        this.connections = connections;
        this.snapshots = snapshots;
        this.verifier = verifier;
        this.gate = gate;
        this.reserved = reserved;
        this.metrics = metrics;
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        req.pause(); // nothing of the body is read until the gate allows the request
        connections.requestStarted(rc); // the head is complete: the connection's head deadline stops
        Exchange ex = new Exchange(req, RequestIds.next(), System.nanoTime());
        req.response().headers().set("X-Request-Id", ex.requestId);

        String ambiguity = RequestValidator.ambiguity(req);
        ex.host = HostNormalizer.normalize(req.version() == HttpVersion.HTTP_2 && req.authority() != null
                ? req.authority().toString() : req.getHeader("Host"));
        ex.path = PathNormalizer.normalize(req.path());
        if (ambiguity != null || ex.host == null || ex.path == null) {
            LOG.debugf("rejected malformed request %s: %s", ex.requestId, ambiguity != null ? ambiguity : "bad host or path");
            finish(ex, 400, Reason.INVALID_REQUEST, true);
            return;
        }
        ex.client = gate.clientAddress(req);
        if (!limits.perIp.tryAcquire(ex.client.getHostAddress())) {
            gate.tooMany(ex, limits.perIp);
            return;
        }
        if (ex.path.startsWith(RESERVED_PREFIX)) {
            reserved.handle(rc, ex, this);
            return;
        }
        ex.route = snapshots.current().routes().match(ex.host, ex.path);
        if (ex.route == null) {
            finish(ex, 404, Reason.ROUTE_NOT_FOUND, false);
            return;
        }
        authenticate(rc, ex, gate::decide);
    }

    /**
     * Authenticates the request for its route's IdP and continues with {@code next}; answers 401
     * itself when a token is present but not valid. No token continues with an anonymous exchange.
     *
     * <p>A verified-token cache hit continues at once. A miss needs quarkus-oidc, whose deferred
     * identity is prepared by Quarkus's authentication handler: this route runs before that handler
     * (so hits never pay for it), and a miss passes the request on with {@code rc.next()} to
     * {@link #afterQuarkusAuthentication}, which verifies.
     */
    void authenticate(RoutingContext rc, Exchange ex, Handler<Exchange> next) {
        String auth = ex.request.getHeader("Authorization");
        if (auth == null) {
            next.handle(ex);
            return;
        }
        int start = BearerToken.start(auth);
        int end = BearerToken.end(auth);
        if (start == BearerToken.MALFORMED || end - start > BearerToken.MAX_LENGTH) {
            finish(ex, 401, Reason.INVALID_TOKEN, false);
            return;
        }
        AppRoute route = ex.route;
        TokenKey key = verifier.keyOf(route.tenant(), auth, start, end);
        VerifiedToken hit = verifier.cached(key);
        if (hit != null) {
            metrics.tokenVerification(route.idp().id(), "cache_hit");
            ex.token = hit;
            next.handle(ex);
            return;
        }
        if (!BearerToken.isCompactJws(auth, start, end)) {
            finish(ex, 401, Reason.INVALID_TOKEN, false);
            return;
        }
        Uni<VerifiedToken> pending = verifier.pending(key);
        if (pending != null) {
            metrics.tokenVerification(route.idp().id(), "shared");
            continueWith(pending, ex, next); // the same token is being verified: share the result
            return;
        }
        if (!limits.tokenChecksPerIp.tryAcquire(ex.client.getHostAddress())) {
            gate.tooMany(ex, limits.tokenChecksPerIp);
            return;
        }
        Runnable verify = () -> verify(rc, ex, key, next);
        if (rc.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY) == null) {
            rc.put(CONTINUATION_KEY, verify);
            rc.next();
        } else {
            verify.run();
        }
    }

    /** Second stage, after Quarkus's authentication handler: runs the verification a cache miss left. */
    void afterQuarkusAuthentication(RoutingContext rc) {
        Runnable continuation = rc.get(CONTINUATION_KEY);
        if (continuation == null) {
            // every request is answered or handed over by the first stage; anything else is a bug
            rc.fail(500);
            return;
        }
        rc.remove(CONTINUATION_KEY);
        continuation.run();
    }

    private void verify(RoutingContext rc, Exchange ex, TokenKey key, Handler<Exchange> next) {
        continueWith(verifier.verify(rc, ex.route.idp(), key), ex, next);
    }

    private void continueWith(Uni<VerifiedToken> verification, Exchange ex, Handler<Exchange> next) {
        AppRoute route = ex.route;
        Context context = Vertx.currentContext();
        verification.subscribe().with(
                verified -> onContext(context, () -> {
                    ex.token = verified;
                    next.handle(ex);
                }),
                failure -> onContext(context, () -> {
                    LOG.debugf("token rejected for %s: %s", ex.requestId, failure.toString());
                    finish(ex, 401, Reason.INVALID_TOKEN, false);
                }));
    }

    private static void onContext(Context context, Runnable action) {
        if (context == null || Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    void finish(Exchange ex, int status, Reason reason, boolean close) {
        gate.answer(ex, status, reason, close);
    }
}
