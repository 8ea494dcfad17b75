package dev.gatehouse.gateway;

import dev.gatehouse.gateway.vertx.VertxInternals;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

/**
 * Closes an HTTP/1.1 connection after an answer that refused the request, the way nginx's
 * {@code lingering_close} does. When the client is still sending a body Gatehouse will not use (a
 * 413 decided from {@code Content-Length}), the sending half is shut first, so the client reads
 * the answer and then end-of-stream at once; what it still sends is read and discarded until the
 * request ends, the client hangs up, or {@link #LINGER_MILLIS} pass; only then is the connection
 * closed.
 *
 * <p>Why: closing a socket with unread bytes in its receive buffer sends a TCP reset, and a reset
 * makes the client's kernel drop the answer it had not read yet; the client then sees "connection
 * reset" or an empty reply instead of the 413 that says what was wrong.
 */
final class LingeringClose {
    /** At most this long is spent discarding a refused body before the connection is closed. */
    static final long LINGER_MILLIS = 5_000;

    private LingeringClose() {
    }

    /** Closes now if the request was read to its end, else once it is (or after the linger time). */
    static void afterAnswer(HttpServerRequest req) {
        HttpConnection conn = req.connection();
        Context context = Vertx.currentContext();
        if (req.isEnded() || context == null) {
            conn.close();
            return;
        }
        shutDownOutput(conn);
        Vertx vertx = context.owner();
        long timer = vertx.setTimer(LINGER_MILLIS, t -> conn.close());
        conn.closeHandler(v -> vertx.cancelTimer(timer));
        req.exceptionHandler(e -> conn.close());
        req.endHandler(v -> conn.close());
        req.resume(); // discard what is still coming
    }

    /** Sends FIN after the answer: the client reads it to its end while Gatehouse still reads. */
    private static void shutDownOutput(HttpConnection conn) {
        Channel channel = VertxInternals.channelOf(conn);
        if (channel instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        }
    }
}
