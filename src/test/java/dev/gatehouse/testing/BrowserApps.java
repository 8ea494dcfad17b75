package dev.gatehouse.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The upstream of the browser tests: small HTML pages a person would see behind Gatehouse. Every
 * page names the path it was asked for and the user Gatehouse forwarded ({@code X-Gatehouse-User},
 * {@code X-Gatehouse-Email}); {@code .../chat} is a page whose script opens a WebSocket to
 * {@code /ws} on its own origin (through Gatehouse, with the session cookie) and shows its state
 * in {@code #ws}: {@code open}, or {@code closed <code> <reason>}; {@code /ws} echoes.
 */
public final class BrowserApps {
    private final HttpServer server;
    private final int port;
    private final AtomicInteger openSockets = new AtomicInteger();

    private BrowserApps(Vertx vertx) {
        server = vertx.createHttpServer().requestHandler(this::handle);
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
    }

    public static BrowserApps start(Vertx vertx) {
        return new BrowserApps(vertx);
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** WebSockets open at the upstream now. */
    public int openSockets() {
        return openSockets.get();
    }

    private void handle(HttpServerRequest req) {
        if ("websocket".equalsIgnoreCase(req.getHeader(HttpHeaders.UPGRADE))) {
            // upgraded from the request handler (see RecordingUpstream: webSocketHandler is ignored
            // once a Quarkus app has started in this JVM)
            req.toWebSocket().onSuccess(this::echo);
            return;
        }
        String user = escape(req.getHeader("X-Gatehouse-User"));
        String email = escape(req.getHeader("X-Gatehouse-Email"));
        String script = req.path().endsWith("/chat") ? """
                <script>
                  const state = document.getElementById('ws');
                  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
                  ws.onopen = () => { state.textContent = 'open'; ws.send('hello'); };
                  ws.onclose = (e) => { state.textContent = 'closed ' + e.code + ' ' + e.reason; };
                </script>
                """ : "";
        String html = "<!doctype html><html><head><title>app " + escape(req.path()) + "</title></head><body>"
                + "<h1>Behind Gatehouse</h1><p>path: <span id=\"path\">" + escape(req.uri()) + "</span></p>"
                + "<p>user: <span id=\"user\">" + user + "</span></p><p>email: <span id=\"email\">" + email
                + "</span></p><p>websocket: <span id=\"ws\">none</span></p>" + script + "</body></html>";
        req.response().putHeader("Content-Type", "text/html; charset=utf-8").end(html);
    }

    private void echo(ServerWebSocket ws) {
        openSockets.incrementAndGet();
        ws.closeHandler(v -> openSockets.decrementAndGet());
        ws.textMessageHandler(ws::writeTextMessage);
    }

    private static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    public void stop() {
        server.close();
    }
}
