package dev.gatehouse.gateway;

import dev.gatehouse.access.RequestReason;
import dev.gatehouse.access.Verdict;
import dev.gatehouse.config.AppConfig;
import dev.gatehouse.gateway.connection.ClientConnections;
import dev.gatehouse.gateway.forward.ForwardOutcome;
import dev.gatehouse.gateway.forward.ForwardPlan;
import dev.gatehouse.gateway.forward.ForwardedHeaders;
import dev.gatehouse.gateway.forward.HttpForwarder;
import dev.gatehouse.gateway.forward.WebSocketForwarder;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Decision;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The last stage for an allowed request: builds its {@link ForwardPlan}, hands it to the HTTP or
 * WebSocket forwarder, tracks it while it lives ({@link LiveConnections}) and records how it ended.
 */
@Singleton
public class Forwarding {
    private final ForwardedHeaders forwardedHeaders;
    private final ClientAddresses addresses;
    private final HttpForwarder http;
    private final WebSocketForwarder webSockets;
    private final LiveConnections live;
    private final ClientConnections connections;
    private final GatewayMetrics metrics;
    private final Answers answers;

    public Forwarding(ForwardedHeaders forwardedHeaders, ClientAddresses addresses, HttpForwarder http,
                      WebSocketForwarder webSockets, LiveConnections live, ClientConnections connections,
                      GatewayMetrics metrics, Answers answers) {
        this.forwardedHeaders = forwardedHeaders;
        this.addresses = addresses;
        this.http = http;
        this.webSockets = webSockets;
        this.live = live;
        this.connections = connections;
        this.metrics = metrics;
        this.answers = answers;
    }

    void forward(Exchange ex, AccessRequest access, Decision decision) {
        AppConfig app = ex.route.app();
        HttpServerRequest req = ex.request;
        if (app.maxBodyBytes() >= 0 && RequestValidator.declaredLength(req) > app.maxBodyBytes()) {
            answers.answer(ex, 413, RequestReason.BODY_TOO_LARGE, true);
            return;
        }
        // every X-Forwarded-For line a trusted proxy sent, joined in order: the chain is all of them
        String priorXff = addresses.fromTrustedProxy(ex.peer) && req.headers().contains("X-Forwarded-For")
                ? String.join(", ", req.headers().getAll("X-Forwarded-For")) : null;
        String authority = req.authority() != null ? req.authority().toString() : ex.host;
        ForwardPlan plan = new ForwardPlan(app, ForwardPlan.target(app, ex.path, req.query()),
                forwardedHeaders.of(ex.route, ex.clientText(), ex.peerText(), priorXff, req.isSSL(), authority,
                        ex.requestId, ex.token),
                ex.requestId);
        ForwardOutcome outcome = new Outcome(ex, decision, access);
        if (isWebSocketUpgrade(req)) {
            ConnectionTokenKeys.forget(req); // an open WebSocket sends no more requests: do not keep its token
            webSockets.forward(req, plan, outcome, socket -> {
                connections.upgradedToWebSocket(req);
                return live.trackWebSocket(socket, ex.route.id(), ex.token, ex.session, access);
            });
        } else {
            http.forward(req, plan, outcome);
        }
    }

    /** Records how a forwarded exchange ended, and watches its response while it streams. */
    private final class Outcome implements ForwardOutcome {
        private final Exchange ex;
        private final Decision decision;
        private final AccessRequest access;

        Outcome(Exchange ex, Decision decision, AccessRequest access) {
            this.ex = ex;
            this.decision = decision;
            this.access = access;
        }

        @Override
        public Runnable responseStarted(Runnable reset) {
            return live.trackStream(ex.route.id(), ex.token, ex.session, access, reset);
        }

        @Override
        public void done(int status, long upstreamNanos, UpstreamFailure failure) {
            String appId = ex.route.id();
            if (upstreamNanos > 0) {
                metrics.upstream(appId, status, upstreamNanos);
                if (failure == null || failure == UpstreamFailure.BROKEN || failure == UpstreamFailure.REVOKED) {
                    ex.upstreamStatus = status;
                }
            }
            if (failure == null) {
                answers.record(ex, Verdict.ALLOW, decision.primaryReason(), decision.reasons(), decision.rule(),
                        decision.policyVersion(), status);
                return;
            }
            switch (failure) {
                case TOO_LARGE -> answers.answer(ex, 413, RequestReason.BODY_TOO_LARGE, true);
                case UNAVAILABLE -> answers.answer(ex, status, RequestReason.UPSTREAM_UNAVAILABLE, false);
                case TIMEOUT -> answers.answer(ex, status, RequestReason.UPSTREAM_TIMEOUT, false);
                case CLIENT_CLOSED -> record(RequestReason.CLIENT_CLOSED, status);
                case BROKEN -> record(RequestReason.UPSTREAM_BROKEN, status);
                case REVOKED -> record(RequestReason.ACCESS_REVOKED, status);
            }
        }

        /** The response was already under way: nothing left to answer, only to record. */
        private void record(RequestReason why, int status) {
            answers.record(ex, why.verdict(), why, List.of(why), decision.rule(), decision.policyVersion(), status);
        }
    }

    static boolean isWebSocketUpgrade(HttpServerRequest req) {
        String upgrade = req.getHeader(HttpHeaders.UPGRADE);
        return req.method() == HttpMethod.GET && upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }
}
