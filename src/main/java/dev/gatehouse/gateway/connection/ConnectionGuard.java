package dev.gatehouse.gateway.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The deadlines of one client connection, first handler of its Netty pipeline:
 * <ul>
 *   <li>from the moment it opens, a complete request head must arrive within the head timeout;</li>
 *   <li>once an exchange ends, the next complete head must arrive within the keep-alive timeout.</li>
 * </ul>
 * While a request is in flight no deadline runs (a slow upstream or a long download is the app
 * timeout's business). A connection that turns into HTTP/2 or an open WebSocket is exempt.
 *
 * <p>The deadline is wall-clock from a known point, not an idle timer: trickling bytes does not
 * extend it. Not sharable: one instance per connection, its state confined to the connection's
 * event loop (Vert.x runs the connection's requests on that same loop).
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
    /**
     * Where the guard of a connection is found from its channel. Netty's attribute names are global
     * to its class loader, which outlives Gatehouse's in a dev-mode reload: the name is made per
     * loaded class, so a reloaded Gatehouse never reads a guard of the old one.
     */
    static final AttributeKey<ConnectionGuard> KEY = AttributeKey.valueOf(
            "gatehouse.connection-guard@" + Integer.toHexString(System.identityHashCode(ConnectionGuard.class)));
    static final String NAME = "gatehouseConnectionGuard";

    /** Why a guard closed its connection; the label of {@code gatehouse_connections_closed_total}. */
    static final String HEAD_TIMEOUT = "head-timeout";
    static final String KEEP_ALIVE_TIMEOUT = "keep-alive-timeout";

    private final long headTimeoutNanos;
    private final long keepAliveNanos;
    private final Consumer<String> onClose;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> deadline;
    private int inFlight;
    private boolean exempt;
    /** Whether an HTTP/2 request was seen (and the head check looked for). */
    private boolean http2;
    /** The HTTP/1 request the pipeline is handling, until its exchange ends. */
    private HttpServerRequest exchange;

    /**
     * @param onClose told the reason each time this guard closes its connection (for metrics)
     */
    ConnectionGuard(long headTimeoutNanos, long keepAliveNanos, Consumer<String> onClose) {
        this.headTimeoutNanos = headTimeoutNanos;
        this.keepAliveNanos = keepAliveNanos;
        this.onClose = onClose;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Vert.x removes every HTTP/1 handler when a connection upgrades to h2c: no deadlines then. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        exempt = true;
        cancel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(headTimeoutNanos, HEAD_TIMEOUT);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    /** A complete request head arrived: no deadline while it is answered. */
    void requestStarted(HttpServerRequest req) {
        onLoop(() -> {
            if (!exempt) {
                inFlight++;
                exchange = req;
                cancel();
            }
        });
    }

    /** An exchange ended: the next head is due within the keep-alive timeout. */
    void exchangeEnded(HttpServerRequest req) {
        onLoop(() -> {
            if (exchange == req) {
                exchange = null;
            }
            if (!exempt && inFlight > 0 && --inFlight == 0) {
                arm(keepAliveNanos, KEEP_ALIVE_TIMEOUT);
            }
        });
    }

    /**
     * The HTTP/1 request the pipeline is handling on this connection, or null; read on the
     * connection's event loop (by {@link StrictRequestDecoder}, for a body that breaks off).
     */
    HttpServerRequest exchange() {
        return exchange;
    }

    /**
     * A request arrived over HTTP/2: no more deadlines, and on the connection's first HTTP/2 request
     * its {@link Http2HeadCheck}, unless there is one already (a connection upgraded from HTTP/1.1
     * with {@code Upgrade: h2c} got its HTTP/2 handler after {@link DecoderSwap} had left).
     */
    void http2() {
        onLoop(() -> {
            if (!http2 && ctx != null) {
                http2 = true;
                Http2HeadCheck.installOn(ctx.pipeline());
            }
            exempt = true;
            cancel();
        });
    }

    /** The connection is HTTP/2 or an open WebSocket now: no more deadlines. */
    void exempt() {
        onLoop(() -> {
            exempt = true;
            cancel();
        });
    }

    private void arm(long nanos, String reason) {
        cancel();
        if (nanos > 0 && ctx != null) {
            deadline = ctx.executor().schedule(() -> expire(reason), nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void expire(String reason) {
        deadline = null;
        if (exempt || inFlight > 0 || !ctx.channel().isActive()) {
            return;
        }
        ChannelOutboundBuffer unsent = ctx.channel().unsafe().outboundBuffer();
        if (unsent != null && unsent.totalPendingWriteBytes() > 0) {
            // Vert.x ends an exchange when the response is handed to Netty, not when it is sent: a
            // slow reader is still receiving it. Look again later (a reader that stops for good is
            // closed by the connection idle timeout).
            arm(keepAliveNanos, reason);
            return;
        }
        onClose.accept(reason);
        ctx.channel().close();
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void onLoop(Runnable action) {
        if (ctx == null || ctx.executor().inEventLoop()) {
            action.run();
        } else {
            ctx.executor().execute(action);
        }
    }
}
