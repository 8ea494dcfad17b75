package dev.gatehouse.gateway.connection;

import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.observe.GatewayMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import dev.gatehouse.gateway.vertx.VertxInternals;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.function.Consumer;

/**
 * Bounds what slow, silent or greedy clients can hold on the data port: a deadline for every
 * request head (from the connection opening, then from the end of each exchange) and an optional
 * cap on connections per address ({@code gatehouse.connection.*}); and holds request heads to
 * RFC 9112 ({@link StrictRequestDecoder}: no obsolete line folding, a strict request line) instead of
 * letting Netty read them leniently.
 *
 * <p>Vert.x offers no hook when a connection is accepted, so the first request seen on a listening
 * socket installs an {@link AcceptHook} on that socket (Netty hands it the parent channel of the
 * request's connection); from then on every accepted connection gets its {@link ConnectionGuard}
 * before Vert.x sees it. {@link StartupProbe} sends that first request itself as soon as the server
 * listens, so no client connection precedes the hook. Reaching the Netty channel goes through
 * Vert.x's {@code ConnectionBase}, an implementation class (through {@code gateway.vertx}); {@code SlowClientsTest} fails if a
 * Vert.x upgrade changes that.
 */
@Singleton // used on every request: no client proxy between the caller and the bean
public class ClientConnections {
    private final long headTimeoutNanos;
    private final long keepAliveNanos;
    private final Consumer<String> onGuardClose;
    private final AcceptHook hook;

    public ClientConnections(GatehouseSettings settings, GatewayMetrics metrics, StrictDecoders decoders) {
        GatehouseSettings.Connection c = settings.connection();
        this.headTimeoutNanos = c.headTimeout().toNanos();
        this.keepAliveNanos = c.keepAliveTimeout().toNanos();
        this.onGuardClose = metrics::connectionClosed;
        this.hook = new AcceptHook(new ConnectionsPerAddress(c.maxPerIp()), this::newGuard, decoders,
                () -> metrics.connectionClosed(AcceptHook.TOO_MANY));
    }

    /**
     * First step for every request on the data port: its head is complete, so the connection's
     * deadline stops until the exchange ends.
     */
    public void requestStarted(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        Channel channel = channelOf(req);
        if (channel == null) {
            return;
        }
        ConnectionGuard guard = channel.attr(ConnectionGuard.KEY).get();
        if (guard == null) {
            guard = adopt(channel);
        }
        if (req.version() == HttpVersion.HTTP_2) {
            guard.http2(); // streams multiplexed on one connection: no head deadline per connection
            return;
        }
        if (!(channel.pipeline().get(DecoderSwap.HTTP_DECODER) instanceof StrictRequestDecoder)) {
            // a connection set up before the hook (or in a way the swap did not foresee) reads heads
            // with Netty's lenient decoder: answer this request, then make the client reconnect
            req.response().headers().set(HttpHeaders.CONNECTION, "close");
        }
        guard.requestStarted(req);
        ConnectionGuard g = guard;
        rc.addEndHandler(ended -> g.exchangeEnded(req));
    }

    /** The request's connection now carries an open WebSocket: no more head deadlines on it. */
    public void upgradedToWebSocket(HttpServerRequest req) {
        ConnectionGuard guard = guardOf(req);
        if (guard != null) {
            guard.exempt();
        }
    }

    private ConnectionGuard guardOf(HttpServerRequest req) {
        Channel channel = channelOf(req);
        return channel == null ? null : channel.attr(ConnectionGuard.KEY).get();
    }

    private static Channel channelOf(HttpServerRequest req) {
        return VertxInternals.channelOf(req.connection());
    }

    /**
     * A connection accepted before its listening socket had this hook: hook the socket (replacing the
     * hook of an earlier Gatehouse in a dev-mode reload), guard this connection.
     */
    private ConnectionGuard adopt(Channel channel) {
        Channel server = channel.parent();
        if (server != null) {
            synchronized (this) {
                ChannelHandler existing = server.pipeline().get(AcceptHook.NAME);
                if (existing == null) {
                    server.pipeline().addFirst(AcceptHook.NAME, hook);
                } else if (existing != hook) {
                    server.pipeline().replace(AcceptHook.NAME, AcceptHook.NAME, hook);
                }
            }
        }
        ConnectionGuard guard = newGuard();
        channel.attr(ConnectionGuard.KEY).set(guard);
        channel.pipeline().addFirst(ConnectionGuard.NAME, guard);
        return guard;
    }

    private ConnectionGuard newGuard() {
        return new ConnectionGuard(headTimeoutNanos, keepAliveNanos, onGuardClose);
    }
}
