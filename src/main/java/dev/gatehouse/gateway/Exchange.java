package dev.gatehouse.gateway;

import dev.gatehouse.access.AccessTarget;
import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.route.AppRoute;
import dev.gatehouse.session.Session;
import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;

/**
 * One request's state as it moves through the pipeline stages; mutable, confined to the request's
 * event-loop thread.
 */
final class Exchange {
    final HttpServerRequest request;
    final String requestId;
    final long startNanos;
    /** The normalised host and path. */
    AccessTarget target;
    String host;
    String path;
    /** The TCP peer. */
    InetAddress peer;
    /** The client address Gatehouse believes (peer, or from trusted proxies); null when unknown. */
    InetAddress client;
    AppRoute route;
    VerifiedToken token;
    /** The browser session the caller came with (then {@link #token} is its caller), or null. */
    Session session;
    /** The upstream's status once it answered; 0 before (or when it never did). */
    int upstreamStatus;
    /** What the app's candidate policy would have decided (shadow mode), or null when it has none. */
    Decision shadow;
    /** Whether {@link #shadow} agrees with the live decision (both allow or both not). */
    boolean shadowAgrees;
    /** Why a presented token was refused ({@code identity.TokenRejection} code), for the decision log. */
    String tokenError;
    private String clientText;

    Exchange(HttpServerRequest request, String requestId, long startNanos) {
        this.request = request;
        this.requestId = requestId;
        this.startNanos = startNanos;
    }

    void target(AccessTarget t) {
        target = t;
        host = t.host();
        path = t.path();
    }

    String appId() {
        return route == null ? null : route.id();
    }

    String subject() {
        return token == null ? null : token.identity().subject();
    }

    /** {@link #client} as text, formatted once per request (forwarding headers, decision log); null when unknown. */
    String clientText() {
        if (clientText == null && client != null) {
            clientText = client.getHostAddress();
        }
        return clientText;
    }

    /** {@link #peer} as text (the same text as {@link #clientText()} when the peer is the client); null when none. */
    String peerText() {
        if (peer == null) {
            return null;
        }
        return peer == client ? clientText() : peer.getHostAddress();
    }

    /** The address per-address limits count this request under: the client, else the peer. */
    InetAddress limitAddress() {
        return client != null ? client : peer;
    }
}
