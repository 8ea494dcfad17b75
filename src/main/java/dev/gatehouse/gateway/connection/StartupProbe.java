package dev.gatehouse.gateway.connection;

import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;

/**
 * As soon as the data port (and its TLS port) listens, sends it one request of its own
 * ({@code GET /.gatehouse/jwks.json}), so that {@link ClientConnections} hooks the listening
 * socket before any client connects. Should the probe fail, the first client request installs
 * the hook instead, and a warning says so.
 */
@ApplicationScoped
class StartupProbe {
    private static final Logger LOG = Logger.getLogger(StartupProbe.class);
    static final String PATH = "/.gatehouse/jwks.json";

    void onHttp(@ObservesAsync HttpServerStart start, Vertx vertx, HttpServer server) {
        probe(vertx, start.options(), server.getPort(), false);
    }

    void onHttps(@ObservesAsync HttpsServerStart start, Vertx vertx, HttpServer server) {
        probe(vertx, start.options(), server.getSecurePort(), true);
    }

    private static void probe(Vertx vertx, HttpServerOptions options, int port, boolean tls) {
        String host = loopbackFor(options.getHost());
        // our own listener, reached over loopback: nothing to authenticate
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(tls).setTrustAll(tls)
                .setVerifyHost(false).setKeepAlive(false));
        client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
                        .setURI(PATH).putHeader("Host", "localhost"))
                .compose(req -> req.send().compose(HttpClientResponse::body))
                .onComplete(done -> {
                    client.close();
                    if (done.failed()) {
                        LOG.warnf("could not reach the data port %s:%d at startup (%s): slow-client deadlines "
                                + "start with the first client request", host, port, done.cause().toString());
                    } else {
                        LOG.debugf("data port %s:%d hooked for slow-client deadlines", host, port);
                    }
                });
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
