package dev.gatehouse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM with a request in flight: readiness drops first, the in-flight request finishes, then
 * the process exits by itself.
 */
class ShutdownIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static int status(String url) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void sigtermDrainsInFlightRequestsAfterReadinessDrops() throws Exception {
        Vertx vertx = Vertx.vertx();
        RecordingUpstream upstream = RecordingUpstream.start(vertx);
        TestIdp idp = TestIdp.start(vertx); // readiness waits for the IdP's keys
        Path config = Files.createTempFile("shutdown", ".yaml");
        Files.writeString(config, """
                idps:
                  x:
                    issuer: %s
                    audience: gatehouse
                apps:
                  - id: slow
                    host: slow.test
                    upstream: %s
                    idp: x
                    policy:
                      allow: { accept: true }
                """.formatted(idp.issuer(), upstream.url()));
        int port = freePort();
        int management = freePort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dgatehouse.config=" + config,
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + management,
                "-Dgatehouse.shutdown.readiness-delay=2s", "-Dgatehouse.data-dir=target/shutdown-it-data",
                "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(Path.of("target/shutdown-it.log").toFile()).start();
        try {
            String ready = "http://127.0.0.1:" + management + "/q/health/ready";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (status(ready) != 200) {
                assertThat(System.nanoTime()).as("Gatehouse became ready").isLessThan(deadline);
                Thread.sleep(100);
            }
            CompletableFuture<HttpResponse<String>> inFlight = CLIENT.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow"))
                            .header("Host", "slow.test").timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            while (upstream.hits() == 0) {
                Thread.sleep(20); // the request has reached the upstream: it is in flight
            }
            p.destroy(); // SIGTERM
            Thread.sleep(300);
            assertThat(status(ready)).as("readiness drops first").isEqualTo(503);
            HttpResponse<String> answer = inFlight.get(20, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("slow");
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the process exits by itself").isTrue();
        } finally {
            p.destroyForcibly();
            vertx.close();
        }
    }
}
