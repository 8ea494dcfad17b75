package dev.gatehouse.gateway;

import dev.gatehouse.policy.ReasonCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;

/**
 * Renders Gatehouse's own answers: {@code application/problem+json} for APIs and an HTML page for
 * browsers that says in plain words what failed and what to do.
 */
public final class DenyResponder {
    private DenyResponder() {
    }

    /**
     * @param appId app id or null
     * @param close true for malformed requests: the connection is closed after the answer
     */
    public static void respond(HttpServerRequest req, int status, ReasonCode reason, String appId, String requestId,
                               boolean close) {
        respond(req, status, reason, appId, requestId, close, null, null);
    }

    /**
     * @param signedInAs    who the person is signed in as (shown on the HTML page), or null
     * @param switchUserUrl a "sign in as someone else" link for the HTML page, or null
     */
    public static void respond(HttpServerRequest req, int status, ReasonCode reason, String appId, String requestId,
                               boolean close, String signedInAs, String switchUserUrl) {
        HttpServerResponse resp = req.response();
        if (resp.ended() || resp.closed()) {
            return;
        }
        if (resp.headWritten()) {
            resp.reset();
            return;
        }
        resp.setStatusCode(status);
        resp.headers().set("X-Request-Id", requestId).set(HttpHeaders.CACHE_CONTROL, "no-store");
        if (status == 401 && !resp.headers().contains("WWW-Authenticate")) {
            resp.headers().set("WWW-Authenticate", "Bearer realm=\"gatehouse\", error=\"invalid_token\"");
        }
        boolean http1 = req.version() != HttpVersion.HTTP_2;
        if (close && http1) {
            resp.headers().set(HttpHeaders.CONNECTION, "close");
        }
        String body;
        if (wantsHtml(req.getHeader(HttpHeaders.ACCEPT))) {
            resp.headers().set(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8");
            body = DenyPage.render(status, reason, appId, requestId, signedInAs, switchUserUrl);
        } else {
            resp.headers().set(HttpHeaders.CONTENT_TYPE, "application/problem+json");
            body = problem(status, reason, appId, requestId);
        }
        resp.end(body).onComplete(v -> {
            if (close && http1 && !resp.closed()) {
                LingeringClose.afterAnswer(req);
            }
        });
        if (!req.isEnded()) {
            req.resume(); // drain (and discard) an unread body so the answer can go out
        }
    }

    static String problem(int status, ReasonCode reason, String appId, String requestId) {
        JsonObject json = new JsonObject()
                .put("type", "https://gatehouse.dev/problems/" + reason.code())
                .put("title", title(status))
                .put("status", status)
                .put("reason", reason.code())
                .put("detail", reason.explanation());
        if (!reason.remedy().isEmpty()) {
            json.put("remedy", reason.remedy());
        }
        json.put("app", appId).put("request_id", requestId);
        return json.encode();
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Authentication required";
            case 403 -> "Access denied";
            case 404 -> "Not found";
            case 413 -> "Request body too large";
            case 429 -> "Too many requests";
            case 502 -> "Upstream unavailable";
            case 504 -> "Upstream timeout";
            default -> "Error";
        };
    }

    /** True when the client prefers HTML (a browser navigation), not for API clients. */
    static boolean wantsHtml(String accept) {
        return accept != null && accept.contains("text/html");
    }
}
