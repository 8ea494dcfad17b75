package dev.gatehouse.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An upstream app on a random port that records every request it receives (method, URI, headers,
 * body size) so tests can assert what reached it and that denied requests reached nothing.
 * Paths: {@code /slow} answers after 3 s; {@code /bytes/N} streams N bytes; {@code /count} counts the
 * request body; {@code /reset-before-answer} drops the connection without answering;
 * {@code /reset-mid-body} promises 1 MB and drops the connection after 64 KB; {@code /answer-early}
 * starts its (chunked) answer as soon as the request head arrives, and ends it with the body's size
 * once the body has; {@code /reason} answers 200 "ok" with the reason phrase "Fine Thanks";
 * {@code /trailers} answers "ok" chunked, with a {@code Trailer} header and trailer fields a client may
 * get ({@code X-Checksum}, {@code Server-Timing}, {@code Grpc-Status}) and fields it must not
 * ({@link #FORBIDDEN_TRAILERS}); {@code /sized-with-trailer-header} answers "ok" with a Content-Length
 * and a {@code Trailer} header announcing fields a sized body cannot have; {@code /ws} is a WebSocket echo; anything else answers 200 "ok".
 */
public final class RecordingUpstream {
    /** What one request looked like on arrival. */
    public record Received(String method, String uri, MultiMap headers, long bodyBytes) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    /** The trailer fields {@code /trailers} sends that no client may get (RFC 9110 section 6.5.1, identity). */
    public static final List<String> FORBIDDEN_TRAILERS = List.of("Set-Cookie", "Cache-Control", "Content-Type",
            "Authorization", "Location", "X-Gatehouse-User", "X-Forwarded-User", "X-Request-Id", "X_Checksum");

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final AtomicLong webSocketConnects = new AtomicLong();
    private final AtomicLong webSocketCloses = new AtomicLong();
    private final AtomicLong brokenOff = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong slowAbandoned = new AtomicLong();
    private final java.util.Set<io.vertx.core.http.ServerWebSocket> openSockets =
            java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final int port;

    private RecordingUpstream(Vertx vertx, HttpServerOptions options) {
        server = vertx.createHttpServer(options).requestHandler(this::handle)
                .connectionHandler(c -> connections.incrementAndGet());
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
    }

    public static RecordingUpstream start(Vertx vertx) {
        return new RecordingUpstream(vertx, new HttpServerOptions());
    }

    /** An https upstream serving the given PEM certificate and key. */
    public static RecordingUpstream startTls(Vertx vertx, String certPem, String keyPem) {
        return new RecordingUpstream(vertx, new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPem).setKeyPath(keyPem)));
    }

    private void handle(HttpServerRequest req) {
        if ("websocket".equalsIgnoreCase(req.getHeader(HttpHeaders.UPGRADE))) {
            // upgraded from the request handler, not a webSocketHandler: once a Quarkus app has
            // started, it sets vertx.disableWebsockets, and servers created in a later test app's
            // class loader (another test profile) ignore a webSocketHandler. The handshake is recorded
            // before it is answered, so a test that sees the upgrade succeed also sees the record.
            received.add(new Received("GET", req.uri(), copy(req.headers()), 0));
            req.toWebSocket().onSuccess(this::echo);
            return;
        }
        MultiMap headers = copy(req.headers());
        AtomicLong bytes = new AtomicLong();
        if (req.path().equals("/answer-early")) {
            req.response().setChunked(true).write("early;");
        }
        req.handler(b -> bytes.addAndGet(b.length()));
        req.exceptionHandler(t -> brokenOff.incrementAndGet());
        req.endHandler(v -> {
            received.add(new Received(req.method().name(), req.uri(), headers, bytes.get()));
            String path = req.path();
            if (path.equals("/slow")) {
                var resp = req.response().setStatusCode(200);
                resp.closeHandler(closed -> {
                    if (!resp.ended()) {
                        slowAbandoned.incrementAndGet(); // the caller reset its request (closed)
                    }
                });
                Vertx.currentContext().owner().setTimer(3000, t -> {
                    if (!resp.closed()) {
                        resp.end("slow");
                    }
                });
            } else if (path.startsWith("/bytes/")) {
                stream(req, Long.parseLong(path.substring(7)));
            } else if (path.equals("/reset-before-answer")) {
                req.connection().close();
            } else if (path.equals("/reset-mid-body")) {
                var resp = req.response().putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(1024 * 1024));
                resp.write(Buffer.buffer(new byte[64 * 1024]));
                Vertx.currentContext().owner().setTimer(100, t -> req.connection().close());
            } else if (path.equals("/trailers")) {
                trailers(req);
            } else if (path.equals("/sized-with-trailer-header")) {
                req.response().putHeader("Trailer", "X-Checksum").end("ok");
            } else if (path.equals("/reason")) {
                req.response().setStatusCode(200).setStatusMessage("Fine Thanks").end("ok");
            } else if (path.equals("/events")) {
                events(req);
            } else if (path.equals("/count") || path.equals("/answer-early")) {
                req.response().end(Long.toString(bytes.get()));
            } else {
                req.response().putHeader("X-Upstream", "recording").end("ok");
            }
        });
    }

    private void echo(io.vertx.core.http.ServerWebSocket ws) {
        webSocketConnects.incrementAndGet();
        openSockets.add(ws);
        ws.closeHandler(v -> openSockets.remove(ws));
        ws.endHandler(v -> webSocketCloses.incrementAndGet());
        ws.textMessageHandler(ws::writeTextMessage);
        ws.binaryMessageHandler(ws::writeBinaryMessage);
    }

    private static void trailers(HttpServerRequest req) {
        var resp = req.response().setChunked(true)
                .putHeader("Trailer", "X-Checksum, Server-Timing, Grpc-Status, Set-Cookie, X-Gatehouse-User");
        resp.write("o");
        resp.putTrailer("X-Checksum", "sha-256=:ok:").putTrailer("Server-Timing", "db;dur=53")
                .putTrailer("Grpc-Status", "0");
        for (String name : FORBIDDEN_TRAILERS) {
            resp.putTrailer(name, "from-upstream");
        }
        resp.end("k");
    }

    /** Server-sent events: one every 100 ms for up to a minute, until either side goes away. */
    private void events(HttpServerRequest req) {
        var resp = req.response().setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream");
        Vertx owner = Vertx.currentContext().owner();
        long[] sent = {0};
        long timer = owner.setPeriodic(100, id -> {
            if (resp.closed() || resp.ended() || sent[0] >= 600) {
                owner.cancelTimer(id);
                if (!resp.ended() && !resp.closed()) {
                    resp.end();
                }
                return;
            }
            resp.write("data: " + (sent[0]++) + "\n\n");
        });
        resp.closeHandler(v -> {
            owner.cancelTimer(timer);
            eventStreamsClosed.incrementAndGet();
        });
    }

    /** Event streams the upstream saw closed by the other side (Gatehouse resetting its request). */
    public long eventStreamsClosed() {
        return eventStreamsClosed.get();
    }

    private static void stream(HttpServerRequest req, long total) {
        var resp = req.response();
        resp.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(total));
        Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
        long[] left = {total};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (left[0] > 0 && !resp.writeQueueFull()) {
                int n = (int) Math.min(chunk.length(), left[0]);
                resp.write(n == chunk.length() ? chunk : chunk.slice(0, n));
                left[0] -= n;
            }
            if (left[0] == 0) {
                resp.end();
            } else {
                resp.drainHandler(v -> pump[0].run());
            }
        };
        pump[0].run();
    }

    private static MultiMap copy(MultiMap in) {
        return MultiMap.caseInsensitiveMultiMap().addAll(in);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private final AtomicLong eventStreamsClosed = new AtomicLong();

    public List<Received> received() {
        return List.copyOf(received);
    }

    public int hits() {
        return received.size();
    }

    public Received last() {
        List<Received> all = received();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    public long webSocketConnects() {
        return webSocketConnects.get();
    }

    /** Closes every open WebSocket from the upstream's side. */
    public void closeAllWebSockets() {
        openSockets.forEach(ws -> ws.close());
    }

    /** WebSockets that have closed at the upstream. */
    public long webSocketCloses() {
        return webSocketCloses.get();
    }

    /**
     * Requests that broke off (reset or connection closed) before their end: begun, never
     * {@link #received()} as complete.
     */
    public long brokenOff() {
        return brokenOff.get();
    }

    /** {@code /slow} requests whose connection closed before their answer ended. */
    public long slowAbandoned() {
        return slowAbandoned.get();
    }

    /** TCP connections Gatehouse opened to this upstream since the last {@link #reset()}. */
    public long connections() {
        return connections.get();
    }

    public void reset() {
        connections.set(0);
        received.clear();
        brokenOff.set(0);
        slowAbandoned.set(0);
        webSocketConnects.set(0);
        webSocketCloses.set(0);
    }

    public void stop() {
        server.close();
    }
}
