package dev.gatehouse.gateway;

import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.access.AccessTarget;
import dev.gatehouse.access.RequestReason;
import dev.gatehouse.gateway.connection.ClientConnections;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The data plane's entry: every request on the data port comes here, in fixed stages:
 * <ol>
 *   <li>normalise: reject ambiguous HTTP, bad hosts and hostile paths (400, connection closed);</li>
 *   <li>route: one read of the current snapshot; no app, 404 {@code route-not-found} (the admin
 *       host goes to {@link AdminGate} instead, which hands allowed requests to the admin API);</li>
 *   <li>authenticate: the verified-token cache, else quarkus-oidc for the app's IdP ({@link Authentication});</li>
 *   <li>decide, record, respond or forward: {@link Gate}.</li>
 * </ol>
 * Nothing is contacted upstream before the gate allows the request.
 */
@Singleton // used on every request: no client proxy between the caller and the bean
public class RequestPipeline implements Handler<RoutingContext> {
    private static final Logger LOG = Logger.getLogger(RequestPipeline.class);

    private final AccessCheck access;
    private final Authentication authentication;
    private final Gate gate;
    private final ReservedEndpoints reserved;
    private final Answers answers;
    private final RateLimits limits;
    private final ClientConnections connections;
    private final ClientAddresses addresses;
    private final AdminGate admin;

    public RequestPipeline(AccessCheck access, Authentication authentication, Gate gate, ReservedEndpoints reserved,
                           Answers answers, RateLimits limits, ClientConnections connections,
                           ClientAddresses addresses, AdminGate admin) {
        this.access = access;
        this.authentication = authentication;
        this.gate = gate;
        this.reserved = reserved;
        this.answers = answers;
        this.limits = limits;
        this.connections = connections;
        this.addresses = addresses;
        this.admin = admin;
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        req.pause(); // nothing of the body is read until the gate allows the request
        connections.requestStarted(rc); // the head is complete: the connection's head deadline stops
        Exchange ex = new Exchange(req, RequestIds.next(), System.nanoTime());
        req.response().headers().set("X-Request-Id", ex.requestId);

        String ambiguity = RequestValidator.ambiguity(req);
        AccessTarget target = AccessTarget.of(req.version() == HttpVersion.HTTP_2 && req.authority() != null
                ? req.authority().toString() : req.getHeader("Host"), req.path());
        if (ambiguity != null || target == null) {
            LOG.debugf("rejected malformed request %s: %s", ex.requestId, ambiguity != null ? ambiguity : "bad host or path");
            answers.answer(ex, 400, RequestReason.INVALID_REQUEST, true);
            return;
        }
        ex.target(target);
        ex.peer = addresses.peer(req);
        ex.client = addresses.client(req, ex.peer);
        if (!limits.perIp.tryAcquire(ex.limitAddress())) {
            answers.tooMany(ex, limits.perIp);
            return;
        }
        if (target.reserved()) {
            reserved.handle(rc, ex);
            return;
        }
        if (admin.serves(target.host())) {
            admin.handle(rc, ex); // the admin host is the admin API's, whatever app a wildcard claims
            return;
        }
        ex.route = access.route(target);
        if (ex.route == null) {
            answers.answer(ex, 404, RequestReason.ROUTE_NOT_FOUND, false);
            return;
        }
        authentication.authenticate(rc, ex, gate::decide);
    }
}
