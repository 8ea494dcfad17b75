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

    /**
     * A client that hangs up while its request is in flight must not hold the drain open: the
     * process exits after the readiness delay, not after the whole drain timeout (30 s).
     */
    @Test
    void aRequestWhoseClientHungUpDoesNotHoldTheDrain() throws Exception {
        Vertx vertx = Vertx.vertx();
        RecordingUpstream upstream = RecordingUpstream.start(vertx);
        TestIdp idp = TestIdp.start(vertx);
        int port = freePort();
        int management = freePort();
        Process p = start(config(idp, upstream), port, management);
        try {
            awaitReady(management);
            for (int i = 0; i < 3; i++) { // each client sends, waits until the upstream has it, hangs up
                int hitsBefore = upstream.hits();
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    s.getOutputStream().write(("GET /slow HTTP/1.1\r\nHost: slow.test\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    while (upstream.hits() == hitsBefore) {
                        Thread.sleep(20);
                    }
                }
            }
            Thread.sleep(4000); // the upstream has answered all three by now, into closed connections
            long t0 = System.nanoTime();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(25, TimeUnit.SECONDS)).as("the process exits without waiting out the drain timeout")
                    .isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(12));
        } finally {
            p.destroyForcibly();
            vertx.close();
        }
    }

    private static Path config(TestIdp idp, RecordingUpstream upstream) throws IOException {
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
        return config;
    }

    private static Process start(Path config, int port, int management) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Dgatehouse.config=" + config,
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + management,
                "-Dgatehouse.shutdown.readiness-delay=2s", "-Dgatehouse.data-dir=target/shutdown-it-data",
                "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(Path.of("target/shutdown-it.log").toFile()).start();
    }

    private static void awaitReady(int management) throws InterruptedException {
        String ready = "http://127.0.0.1:" + management + "/q/health/ready";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (status(ready) != 200) {
            assertThat(System.nanoTime()).as("Gatehouse became ready").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void sigtermDrainsInFlightRequestsAfterReadinessDrops() throws Exception {
        Vertx vertx = Vertx.vertx();
        RecordingUpstream upstream = RecordingUpstream.start(vertx);
        TestIdp idp = TestIdp.start(vertx); // readiness waits for the IdP's keys
        int port = freePort();
        int management = freePort();
        Process p = start(config(idp, upstream), port, management);
        try {
            awaitReady(management);
            String ready = "http://127.0.0.1:" + management + "/q/health/ready";
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
