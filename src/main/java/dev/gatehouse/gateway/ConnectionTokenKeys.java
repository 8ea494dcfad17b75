package dev.gatehouse.gateway;

import dev.gatehouse.gateway.vertx.VertxInternals;
import dev.gatehouse.identity.TokenKey;
import dev.gatehouse.identity.TokenVerifier;
import io.netty.channel.Channel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpServerRequest;

/**
 * The verified-token cache key of the last bearer token each client connection sent. A keep-alive
 * client sends the same {@code Authorization} header on every request; its key (the SHA-256 of the
 * token, {@link TokenKey}) is then computed once per connection instead of once per request, which
 * was the largest cost of a cache hit that Gatehouse's own code had.
 *
 * <p>A key is reused only for the same header, compared whole, for the same IdP tenant: the key
 * is exactly the one hashing would give. What is kept is the last header of a live connection (the
 * same bytes the client sends with each request), dropped with the connection or when it becomes a
 * WebSocket; the verified-token cache itself still holds no token. Confined to the connection's
 * event loop, like everything else of the connection.
 */
final class ConnectionTokenKeys {
    private static final AttributeKey<Last> LAST = AttributeKey.valueOf("gatehouse.last-token-key");

    private record Last(String header, String tenant, TokenKey key) {
    }

    private ConnectionTokenKeys() {
    }

    /**
     * The cache key of the token at {@code header[start, end)} for {@code tenant}: the connection's
     * last one when the header is the same, else computed by {@code verifier} and remembered.
     */
    static TokenKey of(TokenVerifier verifier, HttpServerRequest req, String tenant, String header, int start,
                       int end) {
        Channel channel = VertxInternals.channelOf(req.connection());
        if (channel == null) {
            return verifier.keyOf(tenant, header, start, end);
        }
        Attribute<Last> attr = channel.attr(LAST);
        Last last = attr.get();
        if (last != null && last.header().equals(header) && last.tenant().equals(tenant)) {
            return last.key();
        }
        TokenKey key = verifier.keyOf(tenant, header, start, end);
        attr.set(new Last(header, tenant, key));
        return key;
    }

    /**
     * The connection's last remembered {@code Authorization} header, or null. Only requests that
     * passed {@link RequestValidator} reach {@link #of}, so this header passed it too: the validator
     * may take an equal header as checked (a compare of the ~700 characters instead of a scan).
     */
    static String lastHeader(HttpServerRequest req) {
        Channel channel = VertxInternals.channelOf(req.connection());
        if (channel == null) {
            return null;
        }
        Last last = channel.attr(LAST).get();
        return last == null ? null : last.header();
    }

    /** Forgets the connection's last header: it is becoming a WebSocket and sends no more requests. */
    static void forget(HttpServerRequest req) {
        Channel channel = VertxInternals.channelOf(req.connection());
        if (channel != null) {
            channel.attr(LAST).set(null);
        }
    }
}
