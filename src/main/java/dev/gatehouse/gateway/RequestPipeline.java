package dev.gatehouse.gateway;

import dev.gatehouse.identity.TokenVerifier;
import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.route.AppRoute;
import dev.gatehouse.route.SnapshotHolder;
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

    private final SnapshotHolder snapshots;
    private final TokenVerifier verifier;
    private final Gate gate;
    private final ReservedEndpoints reserved;
    private final GatewayMetrics metrics;
    private final RateLimits limits;

    public RequestPipeline(SnapshotHolder snapshots, TokenVerifier verifier, Gate gate, ReservedEndpoints reserved,
                           GatewayMetrics metrics, RateLimits limits) {
        this.limits = limits;
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
     */
    void authenticate(RoutingContext rc, Exchange ex, Handler<Exchange> next) {
        String token = BearerToken.from(ex.request);
        if (token == null) {
            next.handle(ex);
            return;
        }
        if (token == BearerToken.MALFORMED) {
            finish(ex, 401, Reason.INVALID_TOKEN, false);
            return;
        }
        AppRoute route = ex.route;
        String key = verifier.keyOf(route.idp(), token);
        VerifiedToken hit = verifier.cached(key);
        if (hit != null) {
            metrics.tokenVerification(route.idp().id(), "cache_hit");
            ex.token = hit;
            next.handle(ex);
            return;
        }
        if (!limits.tokenChecksPerIp.tryAcquire(ex.client.getHostAddress())) {
            gate.tooMany(ex, limits.tokenChecksPerIp);
            return;
        }
        Context context = Vertx.currentContext();
        verifier.verify(rc, route.idp(), key).subscribe().with(
                verified -> onContext(context, () -> {
                    metrics.tokenVerification(route.idp().id(), "valid");
                    ex.token = verified;
                    next.handle(ex);
                }),
                failure -> onContext(context, () -> {
                    metrics.tokenVerification(route.idp().id(), "invalid");
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
