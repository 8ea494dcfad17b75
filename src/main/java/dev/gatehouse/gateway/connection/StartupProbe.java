package dev.gatehouse.gateway.connection;

import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;

/**
 * As soon as the data port (and its TLS port) listens, sends it one request of its own
 * ({@code GET /.gatehouse/jwks.json}), so that {@link ClientConnections} hooks the listening
 * socket before any client connects. It speaks what the port expects: a PROXY protocol header
 * ({@code PROXY UNKNOWN}: use the connection's own addresses) when the port wants one, then TLS
 * when the port is the TLS one. Should the probe fail (a TLS port that requires client
 * certificates, say), the first client request installs the hook instead, and a warning says so.
 */
@ApplicationScoped
class StartupProbe {
    private static final Logger LOG = Logger.getLogger(StartupProbe.class);
    static final String REQUEST = "GET /.gatehouse/jwks.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    void onHttp(@ObservesAsync HttpServerStart start, Vertx vertx, HttpServer server) {
        probe(vertx, start.options(), server.getPort(), false);
    }

    void onHttps(@ObservesAsync HttpsServerStart start, Vertx vertx, HttpServer server) {
        probe(vertx, start.options(), server.getSecurePort(), true);
    }

    private static void probe(Vertx vertx, HttpServerOptions options, int port, boolean tls) {
        String host = loopbackFor(options.getHost());
        // our own listener, reached over loopback: nothing to authenticate
        NetClient client = vertx.createNetClient(new NetClientOptions().setTrustAll(true)
                .setHostnameVerificationAlgorithm(""));
        client.connect(port, host)
                .compose(socket -> exchange(socket, options.isUseProxyProtocol(), tls))
                .onComplete(done -> {
                    client.close();
                    if (done.failed() || !done.result().startsWith("HTTP/1.1 200")) {
                        LOG.warnf("could not reach the data port %s:%d at startup (%s): slow-client deadlines "
                                + "and the strict decoder start with the first client request", host, port,
                                done.failed() ? done.cause().toString() : "answer " + done.result().lines().findFirst().orElse(""));
                    } else {
                        LOG.debugf("data port %s:%d hooked for slow-client deadlines", host, port);
                    }
                });
    }

    /** Sends the probe on {@code socket}; completes with everything the server answered before closing. */
    private static Future<String> exchange(NetSocket socket, boolean proxyProtocol, boolean tls) {
        Promise<String> answered = Promise.promise();
        Buffer answer = Buffer.buffer();
        socket.handler(answer::appendBuffer);
        socket.closeHandler(v -> answered.tryComplete(answer.toString()));
        socket.exceptionHandler(answered::tryFail);
        Future<Void> ready = proxyProtocol ? socket.write("PROXY UNKNOWN\r\n") : Future.succeededFuture();
        ready.compose(v -> tls ? socket.upgradeToSsl() : Future.succeededFuture())
                .compose(v -> socket.write(REQUEST))
                .onFailure(answered::tryFail);
        return answered.future();
    }

    /** Where to reach a listener bound to {@code host}: a wildcard bind is reached on loopback. */
    static String loopbackFor(String host) {
        if (host == null || host.isEmpty() || host.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        if (host.equals("::") || host.equals("[::]") || host.equals("0:0:0:0:0:0:0:0")) {
            return "::1";
        }
        return host;
    }
}
