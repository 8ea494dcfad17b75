package dev.gatehouse.gateway;

import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.gateway.connection.ClientConnections;
import dev.gatehouse.gateway.forward.AssertionSigner;
import dev.gatehouse.gateway.forward.ForwardOutcome;
import dev.gatehouse.gateway.forward.ForwardOutcome.UpstreamFailure;
import dev.gatehouse.gateway.forward.ForwardPlan;
import dev.gatehouse.gateway.forward.HeaderHygiene;
import dev.gatehouse.gateway.forward.HttpForwarder;
import dev.gatehouse.gateway.forward.WebSocketForwarder;
import dev.gatehouse.observe.DecisionLog;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.PolicyEvaluator;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.config.AppConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.SocketAddressImpl;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

/**
 * Decides, records, and then answers or forwards: the last stages of the pipeline. A request
 * reaches a forwarder only from {@link #decide} with an ALLOW decision.
 */
@ApplicationScoped
public class Gate {
    private final TrustedProxies trustedProxies;
    private final AssertionSigner signer;
    private final HttpForwarder http;
    private final WebSocketForwarder webSockets;
    private final LiveConnections live;
    private final GatewayMetrics metrics;
    private final DecisionLog decisionLog;
    private final RateLimits limits;
    private final ClientConnections connections;

    public Gate(GatehouseSettings settings, AssertionSigner signer, HttpForwarder http, WebSocketForwarder webSockets,
                LiveConnections live, GatewayMetrics metrics, DecisionLog decisionLog, RateLimits limits,
                ClientConnections connections) {
        this.limits = limits;
        this.connections = connections;
        this.trustedProxies = TrustedProxies.of(settings.trustedProxies().orElse(List.of()));
        this.signer = signer;
        this.http = http;
        this.webSockets = webSockets;
        this.live = live;
        this.metrics = metrics;
        this.decisionLog = decisionLog;
    }

    /** The client address Gatehouse believes for this request. */
    InetAddress clientAddress(HttpServerRequest req) {
        InetAddress peer = peerOf(req);
        return trustedProxies.isEmpty() ? peer : trustedProxies.clientAddress(peer, req.headers().getAll("X-Forwarded-For"));
    }

    /** The TCP peer: Vert.x already holds it as an InetAddress; parsing its text form costs more. */
    private static InetAddress peerOf(HttpServerRequest req) {
        SocketAddress remote = req.remoteAddress();
        if (remote instanceof SocketAddressImpl impl && impl.ipAddress() != null) {
            return impl.ipAddress();
        }
        return TrustedProxies.peerAddress(remote.hostAddress());
    }

    AccessRequest accessRequest(Exchange ex) {
        Identity identity = ex.token == null ? null : ex.token.identity();
        return new AccessRequest(identity, ex.request.method().name(), ex.path, ex.host,
                ex.client != null ? ex.client : clientAddress(ex.request), Instant.now());
    }

    void decide(Exchange ex) {
        if (ex.token != null && limits.perUser.enabled()
                && !limits.perUser.tryAcquire(ex.route.idp().id() + ':' + ex.token.identity().subject())) {
            tooMany(ex, limits.perUser);
            return;
        }
        AccessRequest access = accessRequest(ex);
        long t0 = System.nanoTime();
        Decision decision = PolicyEvaluator.evaluate(ex.route.app().policy(), access);
        metrics.policyEvaluation(System.nanoTime() - t0);
        switch (decision.outcome()) {
            case ALLOW -> allow(ex, access, decision);
            case UNAUTHENTICATED -> refuse(ex, 401, decision);
            default -> refuse(ex, 403, decision);
        }
    }

    private void refuse(Exchange ex, int status, Decision decision) {
        DenyResponder.respond(ex.request, status, decision.primaryReason(), ex.appId(), ex.requestId, false);
        long took = System.nanoTime() - ex.startNanos;
        String label = status == 401 ? "unauthenticated" : "deny";
        metrics.request(ex.route.id(), label, decision.primaryReason(), took);
        log(ex, label, decision.reasons(), decision.rule(), decision.policyVersion(), status, took);
    }

    private void allow(Exchange ex, AccessRequest access, Decision decision) {
        AppConfig app = ex.route.app();
        HttpServerRequest req = ex.request;
        if (app.maxBodyBytes() >= 0 && contentLength(req) > app.maxBodyBytes()) {
            answer(ex, 413, Reason.BODY_TOO_LARGE, true);
            return;
        }
        ForwardPlan plan = new ForwardPlan(app, ForwardPlan.target(app, ex.path, req.query()),
                addedHeaders(ex, access), ex.requestId);
        ForwardOutcome outcome = (status, upstreamNanos, failure) -> {
            if (upstreamNanos > 0) {
                metrics.upstream(app.id(), status, upstreamNanos);
            }
            if (failure == UpstreamFailure.TOO_LARGE) {
                answer(ex, 413, Reason.BODY_TOO_LARGE, true);
                return;
            }
            if (failure == UpstreamFailure.UNAVAILABLE || failure == UpstreamFailure.TIMEOUT) {
                answer(ex, status, failure == UpstreamFailure.TIMEOUT ? Reason.UPSTREAM_TIMEOUT
                        : Reason.UPSTREAM_UNAVAILABLE, false);
                return;
            }
            long took = System.nanoTime() - ex.startNanos;
            if (failure == UpstreamFailure.CLIENT_CLOSED || failure == UpstreamFailure.BROKEN) {
                Reason why = failure == UpstreamFailure.CLIENT_CLOSED ? Reason.CLIENT_CLOSED : Reason.UPSTREAM_BROKEN;
                metrics.request(app.id(), "error", why, took);
                log(ex, "error", List.of(why), decision.rule(), decision.policyVersion(), status, took);
                return;
            }
            metrics.request(app.id(), "allow", decision.primaryReason(), took);
            log(ex, "allow", decision.reasons(), decision.rule(), decision.policyVersion(), status, took);
        };
        if (isWebSocketUpgrade(req)) {
            webSockets.forward(req, plan, outcome, socket -> {
                connections.upgradedToWebSocket(req);
                return live.track(socket, ex, access);
            });
        } else {
            http.forward(req, plan, outcome);
        }
    }

    private MultiMap addedHeaders(Exchange ex, AccessRequest access) {
        HttpServerRequest req = ex.request;
        MultiMap h = HttpHeaders.headers();
        String client = access.sourceIp().getHostAddress();
        String proto = req.isSSL() ? "https" : "http";
        String host = req.authority() != null ? req.authority().toString() : ex.host;
        boolean fromTrustedProxy = !trustedProxies.isEmpty() && trustedProxies.trusts(peerOf(req));
        String priorXff = fromTrustedProxy ? req.getHeader("X-Forwarded-For") : null;
        String peer = req.remoteAddress().hostAddress();
        h.set("X-Forwarded-For", priorXff == null ? client : priorXff + ", " + peer);
        h.set("X-Forwarded-Proto", proto);
        h.set("X-Forwarded-Host", HeaderHygiene.safeValue(host));
        String forFor = client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client;
        h.set("Forwarded", "for=" + forFor + ";proto=" + proto + ";host=\"" + HeaderHygiene.safeValue(host).replace("\"", "") + "\"");
        h.set("X-Request-Id", ex.requestId);
        if (ex.token != null) {
            h.set("X-Gatehouse-Assertion", signer.assertionFor(ex.token, ex.route.id()));
            if (ex.route.app().identityHeaders()) {
                Identity id = ex.token.identity();
                h.set("X-Gatehouse-User", HeaderHygiene.safeValue(id.subject()));
                if (id.email() != null) {
                    h.set("X-Gatehouse-Email", HeaderHygiene.safeValue(id.email()));
                }
                h.set("X-Gatehouse-Groups", HeaderHygiene.safeValue(String.join(",", id.groups())));
            }
        }
        return h;
    }

    static boolean isWebSocketUpgrade(HttpServerRequest req) {
        String upgrade = req.getHeader(HttpHeaders.UPGRADE);
        return req.method() == HttpMethod.GET && upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    private static long contentLength(HttpServerRequest req) {
        String cl = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (cl == null) {
            return -1;
        }
        try {
            return Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** 429 with {@code Retry-After}. */
    void tooMany(Exchange ex, RateLimiter limiter) {
        ex.request.response().headers().set("Retry-After", Long.toString(limiter.retryAfterSeconds()));
        answer(ex, 429, Reason.RATE_LIMITED, false);
    }

    /** Answers with Gatehouse's own response (errors, 404, 401 before a decision) and records it. */
    void answer(Exchange ex, int status, Reason reason, boolean close) {
        DenyResponder.respond(ex.request, status, reason, ex.appId(), ex.requestId, close);
        String label = status == 401 ? "unauthenticated" : status == 403 ? "deny" : "error";
        String app = ex.route == null ? GatewayMetrics.NO_APP : ex.route.id();
        long took = System.nanoTime() - ex.startNanos;
        metrics.request(app, label, reason, took);
        log(ex, label, List.of(reason), null, 0, status, took);
    }

    void log(Exchange ex, String decision, List<Reason> reasons, String rule, long version, int status, long nanos) {
        decisionLog.record(ex.requestId, ex.appId() == null ? GatewayMetrics.NO_APP : ex.appId(), decision, reasons,
                rule, ex.subject(), version, ex.request.method().name(), status, nanos);
    }
}
