package dev.gatehouse.gateway;

import dev.gatehouse.identity.LogoutAudit;
import dev.gatehouse.identity.LogoutHandler;
import dev.gatehouse.identity.LogoutToken;
import dev.gatehouse.identity.LogoutTokenRejected;
import dev.gatehouse.identity.LogoutTokenValidator;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.route.SnapshotHolder;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code POST /.gatehouse/backchannel-logout} (OpenID Back-Channel Logout 1.0): reads the form
 * parameter {@code logout_token} (at most {@link #MAX_BODY} bytes), validates it on a worker
 * ({@link LogoutTokenValidator}: section 2.6, replays included) and ends the sessions it names
 * ({@link LogoutHandler}). 200 when done; otherwise 400 {@code {"error":"invalid_request"}} with an
 * {@code error_description} code (section 2.8); both {@code Cache-Control: no-store}. Any other
 * method: 405.
 *
 * <p>Every request is counted in {@code gatehouse_backchannel_logouts_total{result,reason}}
 * ({@link #count}); every accepted token is written to the audit log
 * ({@code session.backchannel-logout}: the IdP, the token's {@code sub}/{@code sid} and {@code jti},
 * how many sessions ended). Refused requests are not audited: the endpoint is open to anyone, and
 * the audit log must not be something a stranger can fill; they are counted and logged.
 */
@Singleton
public class BackchannelLogout {
    /** The path under {@code /.gatehouse/}. */
    public static final String NAME = "backchannel-logout";
    static final int MAX_BODY = 32 * 1024;
    private static final Logger LOG = Logger.getLogger(BackchannelLogout.class);
    // results and reasons of gatehouse_backchannel_logouts_total (GatewayMetrics publishes the first ones at 0)
    static final String ENDED = GatewayMetrics.LOGOUT_ENDED;
    static final String NO_SESSION = GatewayMetrics.LOGOUT_NO_SESSION;
    static final String REJECTED = GatewayMetrics.LOGOUT_REJECTED;
    static final String FAILED = GatewayMetrics.LOGOUT_FAILED;
    static final String NO_REASON = GatewayMetrics.LOGOUT_NO_REASON;
    private static final String NOT_PROCESSED = GatewayMetrics.LOGOUT_NOT_PROCESSED;

    private final Vertx vertx;
    private final LogoutTokenValidator validator;
    private final LogoutHandler handler;
    private final SnapshotHolder snapshots;
    private final GatewayMetrics metrics;
    private final LogoutAudit audit;

    public BackchannelLogout(Vertx vertx, LogoutTokenValidator validator, LogoutHandler handler,
                             SnapshotHolder snapshots, GatewayMetrics metrics, LogoutAudit audit) {
        this.vertx = vertx;
        this.validator = validator;
        this.handler = handler;
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.audit = audit;
    }

    void handle(Exchange ex) {
        HttpServerRequest req = ex.request;
        if (req.method() != HttpMethod.POST) {
            req.response().putHeader(HttpHeaders.ALLOW, "POST");
            reply(ex, 405, "invalid_request", "method-not-allowed", true);
            return;
        }
        String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT)
                .equals("application/x-www-form-urlencoded")) {
            reply(ex, 400, "invalid_request", "not-a-form", true);
            return;
        }
        if (RequestValidator.declaredLength(req) > MAX_BODY) {
            reply(ex, 400, "invalid_request", "body-too-large", true);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] over = {false};
        req.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY) {
                over[0] = true;
                reply(ex, 400, "invalid_request", "body-too-large", true);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            if (!over[0]) {
                onBody(ex, body);
            }
        });
        req.exceptionHandler(e -> LOG.debugf("back-channel logout %s: %s", ex.requestId, e.getMessage()));
        req.resume();
    }

    private void onBody(Exchange ex, Buffer body) {
        Map<String, List<String>> form = new QueryStringDecoder(body.toString(StandardCharsets.UTF_8), false)
                .parameters();
        List<String> tokens = form.get("logout_token");
        if (tokens == null || tokens.size() != 1) {
            reply(ex, 400, "invalid_request", "one logout_token expected", false);
            return;
        }
        String token = tokens.get(0);
        vertx.<Integer>executeBlocking(() -> {
            LogoutToken valid = validator.validate(token, snapshots.current().config().idps().values());
            int ended = handler.loggedOut(valid);
            LOG.infof("back-channel logout from %s (%s, request %s): %d session(s) ended", valid.idp(),
                    valid.sid() != null ? "sid" : "sub", ex.requestId, ended);
            audited(ex, valid, ended);
            return ended;
        }, false).onComplete(done -> {
            if (done.succeeded()) {
                count(done.result() > 0 ? ENDED : NO_SESSION, NO_REASON);
                reply(ex, 200, null, null, false);
            } else if (done.cause() instanceof LogoutTokenRejected r) {
                LOG.infof("back-channel logout refused (%s): %s", ex.requestId, r.getMessage());
                reply(ex, 400, "invalid_request", r.code(), false);
            } else {
                // the store or the session API failed: the sessions may live on, so say it failed
                LOG.errorf(done.cause(), "back-channel logout %s failed", ex.requestId);
                reply(ex, 400, "invalid_request", NOT_PROCESSED, false);
            }
        });
    }

    /**
     * {@code gatehouse_backchannel_logouts_total{result,reason}}. The reasons are a fixed set: the
     * codes of {@link LogoutTokenRejected} and of this class's own refusals, never text from the
     * request, so the label set stays bounded whatever is posted.
     */
    private void count(String result, String reason) {
        metrics.backchannelLogout(result, reason);
    }

    /**
     * The audit entry of an accepted logout token. Written after the sessions ended: a failure here
     * is logged and does not undo the logout or turn the answer into an error (the IdP would retry a
     * logout that already happened).
     */
    private void audited(Exchange ex, LogoutToken valid, int ended) {
        try {
            audit.record(valid, ended, ex.peer == null ? null : ex.peer.getHostAddress(), ex.requestId);
        } catch (RuntimeException e) {
            LOG.errorf("back-channel logout %s: sessions ended, but the audit entry failed: %s", ex.requestId,
                    e.getMessage());
        }
    }

    /** Answers (once) and counts a refusal; a success was counted by the caller. */
    private void reply(Exchange ex, int status, String error, String description, boolean close) {
        var response = ex.request.response();
        if (response.ended()) {
            return;
        }
        if (error != null) {
            count(NOT_PROCESSED.equals(description) ? FAILED : REJECTED,
                    description.startsWith("one logout_token") ? "missing-logout-token" : description);
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        if (error == null) {
            response.end();
            return;
        }
        String json = "{\"error\":\"" + error + "\",\"error_description\":\"" + description.replace("\"", "") + "\"}";
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
    }
}
