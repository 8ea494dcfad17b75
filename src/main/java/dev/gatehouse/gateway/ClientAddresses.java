package dev.gatehouse.gateway;

import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.gateway.vertx.VertxInternals;
import dev.gatehouse.net.TrustedProxies;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.util.List;

/**
 * Which address a request comes from: the TCP peer, and the client Gatehouse believes (the peer, or
 * what trusted proxies forwarded). See {@link TrustedProxies} for the rules, including when the
 * client is unknown.
 */
@Singleton
public class ClientAddresses {
    private final TrustedProxies trusted;

    public ClientAddresses(GatehouseSettings settings) {
        this.trusted = TrustedProxies.of(settings.trustedProxies().orElse(List.of()));
    }

    /** The TCP peer, or null when it is not an IP address. */
    InetAddress peer(HttpServerRequest req) {
        return VertxInternals.peerAddress(req);
    }

    /** The client address Gatehouse believes, or null when a trusted proxy forwarded garbage. */
    InetAddress client(HttpServerRequest req, InetAddress peer) {
        return trusted.isEmpty() ? peer : trusted.clientAddress(peer, req.headers().getAll("X-Forwarded-For"));
    }

    /** Whether the peer is a trusted proxy, whose {@code X-Forwarded-For} is kept and extended. */
    boolean fromTrustedProxy(InetAddress peer) {
        return !trusted.isEmpty() && trusted.trusts(peer);
    }
}
