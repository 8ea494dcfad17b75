package dev.gatehouse.gateway;

import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.route.AppRoute;
import io.vertx.core.http.HttpServerRequest;

/**
 * One request's state as it moves through the pipeline stages; mutable, confined to the request's
 * event-loop thread.
 */
final class Exchange {
    final HttpServerRequest request;
    final String requestId;
    final long startNanos;
    String host;
    /** The client address Gatehouse believes (peer, or from trusted proxies). */
    java.net.InetAddress client;
    String path;
    AppRoute route;
    VerifiedToken token;

    Exchange(HttpServerRequest request, String requestId, long startNanos) {
        this.request = request;
        this.requestId = requestId;
        this.startNanos = startNanos;
    }

    String appId() {
        return route == null ? null : route.id();
    }

    String subject() {
        return token == null ? null : token.identity().subject();
    }
}
