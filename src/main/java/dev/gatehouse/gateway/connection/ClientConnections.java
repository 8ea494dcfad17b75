package dev.gatehouse.gateway.connection;

import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.observe.GatewayMetrics;
import io.netty.channel.Channel;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;

/**
 * Bounds what slow, silent or greedy clients can hold on the data port: a deadline for every
 * request head (from the connection opening, then from the end of each exchange) and an optional
 * cap on connections per address ({@code gatehouse.connection.*}); and rejects request heads with
 * obsolete line folding ({@link StrictRequestDecoder}) instead of letting Netty unfold them.
 *
 * <p>Vert.x offers no hook when a connection is accepted, so the first request seen on a listening
 * socket installs an {@link AcceptHook} on that socket (Netty hands it the parent channel of the
 * request's connection); from then on every accepted connection gets its {@link ConnectionGuard}
 * before Vert.x sees it. {@link StartupProbe} sends that first request itself as soon as the server
 * listens, so no client connection precedes the hook. Reaching the Netty channel goes through
 * Vert.x's {@code ConnectionBase}, an implementation class; {@code SlowClientsTest} fails if a
 * Vert.x upgrade changes that.
 */
@ApplicationScoped
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
        ConnectionGuard guard = guardOf(req);
        if (guard == null) {
            return;
        }
        if (req.version() == HttpVersion.HTTP_2) {
            guard.exempt(); // streams multiplexed on one connection: no head deadline per connection
            return;
        }
        guard.requestStarted();
        rc.addEndHandler(ended -> guard.exchangeEnded());
    }

    /** The request's connection now carries an open WebSocket: no more head deadlines on it. */
    public void upgradedToWebSocket(HttpServerRequest req) {
        ConnectionGuard guard = guardOf(req);
        if (guard != null) {
            guard.exempt();
        }
    }

    private ConnectionGuard guardOf(HttpServerRequest req) {
        if (!(req.connection() instanceof ConnectionBase connection)) {
            return null;
        }
        Channel channel = connection.channel();
        ConnectionGuard guard = channel.attr(ConnectionGuard.KEY).get();
        return guard != null ? guard : adopt(channel);
    }

    /** A connection accepted before its listening socket had the hook: hook the socket, guard this one. */
    private ConnectionGuard adopt(Channel channel) {
        Channel server = channel.parent();
        if (server != null) {
            synchronized (this) {
                if (server.pipeline().get(AcceptHook.NAME) == null) {
                    server.pipeline().addFirst(AcceptHook.NAME, hook);
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
