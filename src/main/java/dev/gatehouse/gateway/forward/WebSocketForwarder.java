package dev.gatehouse.gateway.forward;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.gateway.forward.ForwardOutcome.UpstreamFailure;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Bridges an allowed WebSocket upgrade: the upstream handshake happens first (so a dead upstream is
 * a plain 502), then the client's connection is upgraded and frames flow both ways with
 * back-pressure. The caller gets the open client socket to re-check it while it lives.
 */
@ApplicationScoped
public class WebSocketForwarder {
    private final UpstreamClients clients;
    private final HeaderHygiene hygiene;

    public WebSocketForwarder(UpstreamClients clients, HeaderHygiene hygiene) {
        this.clients = clients;
        this.hygiene = hygiene;
    }

    /**
     * @param opened told of the client socket once both sides are open; returns what to run when it closes
     */
    public void forward(HttpServerRequest req, ForwardPlan plan, ForwardOutcome outcome,
                        Function<ServerWebSocket, Runnable> opened) {
        AppConfig app = plan.app();
        MultiMap headers = HttpHeaders.headers();
        hygiene.copyRequestHeaders(req.headers(), headers, app.forwardToken(), false);
        for (Map.Entry<String, String> h : req.headers()) {
            if (h.getKey().toLowerCase(Locale.ROOT).startsWith("sec-websocket-")) {
                headers.remove(h.getKey()); // the client's handshake is with Gatehouse, not the upstream
            }
        }
        plan.addedHeaders().setOn(headers);
        WebSocketConnectOptions opts = new WebSocketConnectOptions()
                .setHost(app.upstream().getHost())
                .setPort(UpstreamClients.port(app.upstream()))
                .setSsl(UpstreamClients.isHttps(app))
                .setURI(plan.uri())
                .setHeaders(headers)
                .setTimeout(app.timeout().toMillis());
        long start = System.nanoTime();
        clients.webSocket(app).connect(opts).onComplete(up -> {
            if (up.failed()) {
                outcome.done(HttpForwarder.statusFor(up.cause()), 0, HttpForwarder.failureFor(up.cause()));
                return;
            }
            WebSocket upstream = up.result();
            req.toWebSocket().onComplete(down -> {
                if (down.failed()) {
                    upstream.close();
                    outcome.done(400, System.nanoTime() - start, null);
                    return;
                }
                ServerWebSocket client = down.result();
                bridge(client, upstream);
                bridge(upstream, client);
                outcome.done(101, System.nanoTime() - start, null);
                Runnable onClosed = opened.apply(client);
                // one close handler per side (Vert.x keeps only the last one set): close the peer,
                // then let the tracker forget the connection
                client.closeHandler(v -> {
                    closePeer(client, upstream);
                    onClosed.run();
                });
                upstream.closeHandler(v -> closePeer(upstream, client));
            });
        });
    }

    private static void closePeer(WebSocketBase from, WebSocketBase to) {
        if (!to.isClosed()) {
            Short code = from.closeStatusCode();
            // 1005/1006 are reserved for "no code"/"abnormal" and may not be sent in a close frame
            to.close(code == null || code == 1005 || code == 1006 ? (short) 1000 : code, from.closeReason());
        }
    }

    private static void bridge(WebSocketBase from, WebSocketBase to) {
        from.frameHandler(frame -> {
            if (to.isClosed() || frame.isClose() || frame.isPing() || frame.type() == io.vertx.core.http.WebSocketFrameType.PONG) {
                return; // control frames are answered by each side's own WebSocket stack
            }
            to.writeFrame(frame);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(v -> from.resume());
            }
        });
        from.exceptionHandler(e -> {
            if (!to.isClosed()) {
                to.close((short) 1011, "peer failed");
            }
        });
    }
}
