package dev.gatehouse.demo;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Demo upstream apps: each answers with what it received (method, path, the headers Gatehouse set),
 * so a newcomer sees the assertion and the forwarding headers arrive.
 */
final class DemoApps {
    private final List<HttpServer> servers = new ArrayList<>();

    static DemoApps start(Vertx vertx, Map<String, Integer> appPorts) {
        DemoApps apps = new DemoApps();
        appPorts.forEach((name, port) -> {
            HttpServer server = vertx.createHttpServer().requestHandler(req -> {
                JsonObject headers = new JsonObject();
                req.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
                JsonObject body = new JsonObject().put("app", name).put("method", req.method().name())
                        .put("uri", req.uri()).put("headers", headers);
                req.response().putHeader("Content-Type", "application/json").end(body.encodePrettily() + "\n");
            });
            server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
            apps.servers.add(server);
        });
        return apps;
    }

    void stop() {
        servers.forEach(HttpServer::close);
    }
}
