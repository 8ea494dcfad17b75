package dev.gatehouse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar without a config file: it refuses to start and says what to set, unless
 * {@code gatehouse.demo=true} asks for the demo, which then serves its apps.
 */
class NoConfigIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The jar with these options, nothing from this JVM's environment that could name a config. */
    private static ProcessBuilder jar(String name, String... options) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(options));
        cmd.addAll(List.of("-Dgatehouse.data-dir=target/" + name + "-data", "-jar", "target/quarkus-app/quarkus-run.jar"));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(Path.of("target/" + name + ".out").toFile())
                .redirectError(Path.of("target/" + name + ".err").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_") || k.startsWith("QUARKUS_"));
        return pb;
    }

    @Test
    void withoutAConfigFileGatehouseExitsSayingWhatToSet() throws Exception {
        Process p = jar("no-config-it", "-Dquarkus.http.port=0", "-Dquarkus.management.port=0").start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the process must exit by itself").isTrue();
            assertThat(p.exitValue()).isNotZero();
            String err = Files.readString(Path.of("target/no-config-it.err"));
            String out = Files.readString(Path.of("target/no-config-it.out"));
            assertThat(err).contains("Gatehouse has no config file").contains("-Dgatehouse.config=")
                    .contains("GATEHOUSE_CONFIG").contains("-Dgatehouse.demo=true");
            assertThat(err + out).doesNotContain("Listening on").doesNotContain("running the embedded DEMO")
                    .as("a message, not a stack trace").doesNotContain("\tat ");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void gatehouseDemoTrueRunsTheDemo() throws Exception {
        int port = freePort();
        int management = freePort();
        int idpPort = freePort();
        int firstAppPort = twoFreePorts();
        Process p = jar("demo-it", "-Dgatehouse.demo=true", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + management, "-Dgatehouse.demo.idp-port=" + idpPort,
                "-Dgatehouse.demo.first-app-port=" + firstAppPort).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (status("http://127.0.0.1:" + management + "/q/health/ready") != 200) {
                assertThat(p.isAlive()).as("Gatehouse is running (see target/demo-it.*)").isTrue();
                assertThat(System.nanoTime()).as("Gatehouse became ready").isLessThan(deadline);
                Thread.sleep(100);
            }
            String alice = get("http://127.0.0.1:" + idpPort + "/token/alice", null, null).body().trim();
            HttpResponse<String> wiki = get("http://127.0.0.1:" + port + "/", "wiki.localhost", alice);
            assertThat(wiki.statusCode()).as(wiki.body()).isEqualTo(200);
            assertThat(wiki.body()).contains("\"app\" : \"wiki\"").containsIgnoringCase("X-Gatehouse-Assertion");
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static HttpResponse<String> get(String url, String host, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (host != null) {
            b.header("Host", host);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(String url) {
        try {
            return get(url, null, null).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A free port whose successor is free too (the demo's two apps listen on both). */
    private static int twoFreePorts() throws IOException {
        for (int attempt = 0; ; attempt++) {
            int port = freePort();
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                if (attempt == 20) {
                    throw taken;
                }
            }
        }
    }
}
