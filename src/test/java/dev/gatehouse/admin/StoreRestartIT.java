package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Writes survive a restart: the packaged jar, an app created through the admin API, the process
 * stopped and started again on the same data directory; the app is enforced and listed again.
 */
class StoreRestartIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void anAppWrittenThroughTheApiIsEnforcedAfterARestart() throws Exception {
        Vertx vertx = Vertx.vertx();
        TestIdp idp = TestIdp.start(vertx);
        RecordingUpstream upstream = RecordingUpstream.start(vertx);
        Path config = dev.gatehouse.testing.GatehouseProcess.openAppConfig(idp, upstream);
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "restart-it-");
        int port = freePort();
        String app = "{\"host\": \"stored.test\", \"upstream\": \"" + upstream.url() + "\", \"idp\": \"test\", "
                + "\"policy\": {\"allow\": {\"groups\": {\"has\": \"engineering\"}}}, \"comment\": \"before restart\"}";
        try {
            Process first = start(config, dataDir, port);
            try {
                HttpResponse<String> created = send(request(port, "admin.localhost", "/api/v1/apps/stored", idp.adminToken())
                        .header("Content-Type", "application/json").header("If-None-Match", "*")
                        .PUT(HttpRequest.BodyPublishers.ofString(app)).build());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
                assertThat(send(request(port, "stored.test", "/", idp.validToken()).build()).statusCode()).isEqualTo(200);
            } finally {
                stop(first);
            }
            Process second = start(config, dataDir, port);
            try {
                assertThat(send(request(port, "stored.test", "/", idp.validToken()).build()).statusCode())
                        .as("enforced after the restart").isEqualTo(200);
                HttpResponse<String> read = send(request(port, "admin.localhost", "/api/v1/apps/stored",
                        idp.adminToken()).build());
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(new JsonObject(read.body()).getString("origin")).isEqualTo("api");
                assertThat(read.headers().firstValue("ETag")).hasValue("\"1\"");
                assertThat(send(request(port, "file.test", "/", null).build()).statusCode()).isEqualTo(200);
                HttpResponse<String> verify = send(request(port, "admin.localhost", "/api/v1/audit/verify",
                        idp.adminToken()).build());
                assertThat(new JsonObject(verify.body()).getBoolean("ok")).isTrue();
            } finally {
                stop(second);
            }
        } finally {
            vertx.close();
        }
    }

    private static Process start(Path config, Path dataDir, int port) throws Exception {
        int management = freePort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dgatehouse.config=" + config, "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + management, "-Dgatehouse.data-dir=" + dataDir,
                "-Dgatehouse.shutdown.readiness-delay=0s", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("gatehouse.log").toFile()))
                .start();
        String ready = "http://127.0.0.1:" + management + "/q/health/ready";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (status(ready) != 200) {
            assertThat(p.isAlive()).as("Gatehouse is running (see its data directory's gatehouse.log)").isTrue();
            assertThat(System.nanoTime()).as("Gatehouse became ready").isLessThan(deadline);
            Thread.sleep(100);
        }
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    private static HttpRequest.Builder request(int port, String host, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Host", host).timeout(Duration.ofSeconds(20));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private static HttpResponse<String> send(HttpRequest r) throws Exception {
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static int status(String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
