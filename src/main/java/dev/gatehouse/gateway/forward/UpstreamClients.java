package dev.gatehouse.gateway.forward;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.gateway.vertx.VertxInternals;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.PemTrustOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One pooled, keep-alive HTTP client (and one WebSocket client) per upstream origin and CA. The pool
 * is sized from {@code gatehouse.upstream.pool-size}: Vert.x's default of 5 connections halves
 * throughput under load.
 */
@Singleton // used on every request: no client proxy between the caller and the bean
public class UpstreamClients {
    private final Vertx vertx;
    private final GatehouseSettings settings;
    private final Map<String, HttpClient> http = new ConcurrentHashMap<>();
    /** The client of each (upstream, CA) seen: found per request without building the key string. */
    private final Map<Origin, HttpClient> byOrigin = new ConcurrentHashMap<>();
    private final Map<String, WebSocketClient> ws = new ConcurrentHashMap<>();

    public UpstreamClients(Vertx vertx, GatehouseSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
    }

    /** An app's upstream and CA; URI and String cache their hash codes, so a look-up costs no hashing. */
    private record Origin(URI upstream, String ca) {
    }

    public HttpClient http(AppConfig app) {
        HttpClient known = byOrigin.get(new Origin(app.upstream(), app.upstreamCa()));
        return known != null ? known : byOrigin.computeIfAbsent(new Origin(app.upstream(), app.upstreamCa()),
                origin -> create(app));
    }

    private HttpClient create(AppConfig app) {
        return http.computeIfAbsent(key(app), k -> {
            HttpClientOptions o = new HttpClientOptions()
                    .setKeepAlive(true)
                    .setMaxHeaderSize(64 * 1024)
                    .setConnectTimeout((int) settings.upstream().connectTimeout().toMillis())
                    .setDecompressionSupported(false);
            tls(app, o);
            HttpClient client = vertx.createHttpClient(o, new PoolOptions().setHttp1MaxSize(settings.upstream().poolSize()));
            // each new plain connection encodes request heads into pooled memory, not a new heap array per request
            client.connectionHandler(VertxInternals::poolOutboundBuffers);
            return client;
        });
    }

    public WebSocketClient webSocket(AppConfig app) {
        return ws.computeIfAbsent(key(app), k -> {
            WebSocketClientOptions o = new WebSocketClientOptions()
                    .setConnectTimeout((int) settings.upstream().connectTimeout().toMillis())
                    .setMaxConnections(10_000);
            if (isHttps(app)) {
                o.setSsl(true).setVerifyHost(true);
                if (app.upstreamCa() != null) {
                    o.setTrustOptions(new PemTrustOptions().addCertPath(app.upstreamCa()));
                }
            }
            return vertx.createWebSocketClient(o);
        });
    }

    private static void tls(AppConfig app, HttpClientOptions o) {
        if (isHttps(app)) {
            o.setSsl(true).setVerifyHost(true);
            if (app.upstreamCa() != null) {
                o.setTrustOptions(new PemTrustOptions().addCertPath(app.upstreamCa()));
            }
        }
    }

    static boolean isHttps(AppConfig app) {
        return "https".equals(app.upstream().getScheme());
    }

    static int port(URI u) {
        return u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    private static String key(AppConfig app) {
        URI u = app.upstream();
        return u.getScheme() + "://" + u.getHost() + ":" + port(u) + "|" + app.upstreamCa();
    }

    @PreDestroy
    void close() {
        http.values().forEach(HttpClient::close);
        ws.values().forEach(WebSocketClient::close);
    }
}
