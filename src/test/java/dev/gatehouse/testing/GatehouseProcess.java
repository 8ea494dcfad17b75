package dev.gatehouse.testing;

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

/**
 * One Gatehouse process from the packaged jar ({@code target/quarkus-app/quarkus-run.jar}), as an
 * operator runs it: its own ports and data directory, extra {@code -D} settings, output in
 * {@code gatehouse.log} of its data directory. For ITs that need several replicas or a restart.
 */
public final class GatehouseProcess implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final int management;
    private final Path dataDir;

    private GatehouseProcess(Process process, int port, int management, Path dataDir) {
        this.process = process;
        this.port = port;
        this.management = management;
        this.dataDir = dataDir;
    }

    /**
     * A config file (under {@code target/}) with one IdP and one app, {@code from-file} on host
     * {@code file.test}, that everybody may use: what the multi-process tests start from.
     */
    public static Path openAppConfig(TestIdp idp, RecordingUpstream upstream) throws IOException {
        return openAppConfig(idp, upstream, "");
    }

    /** {@link #openAppConfig(TestIdp, RecordingUpstream)} with more settings of the app, e.g. {@code timeout: 1s}. */
    public static Path openAppConfig(TestIdp idp, RecordingUpstream upstream, String appSettings) throws IOException {
        Path config = Files.createTempFile(Path.of("target").toAbsolutePath(), "gatehouse-process", ".yaml");
        Files.writeString(config, """
                idps:
                  test:
                    issuer: %s
                    audience: gatehouse
                apps:
                  - id: from-file
                    host: file.test
                    upstream: %s
                    idp: test
                    policy:
                      allow: { accept: true }
                """.formatted(idp.issuer(), upstream.url())
                + (appSettings.isEmpty() ? "" : "    " + appSettings + "\n"));
        return config;
    }

    /** Starts the jar with {@code config} and {@code settings} ({@code name=value}); returns at once. */
    public static GatehouseProcess launch(String name, Path config, List<String> settings) throws IOException {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), name + "-");
        int port = freePort();
        int management = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dgatehouse.config=" + config, "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + management, "-Dgatehouse.data-dir=" + dataDir,
                "-Dgatehouse.shutdown.readiness-delay=0s"));
        settings.forEach(s -> cmd.add("-D" + s));
        cmd.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("gatehouse.log").toFile())).start();
        return new GatehouseProcess(p, port, management, dataDir);
    }

    /** Waits until readiness answers 200 (at most a minute). */
    public GatehouseProcess awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (readiness() != 200) {
            assertThat(process.isAlive()).as("Gatehouse is running (see %s)", log()).isTrue();
            assertThat(System.nanoTime()).as("Gatehouse became ready (see %s)", log()).isLessThan(deadline);
            Thread.sleep(100);
        }
        return this;
    }

    /** The status of {@code /q/health/ready}, -1 when it does not answer. */
    public int readiness() {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create(managementUrl("/q/health/ready")))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** A GET on the management port (metrics, health). */
    public HttpResponse<String> management(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(managementUrl(path))).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request builder to the data port with this Host (and a bearer token unless null). */
    public HttpRequest.Builder request(String host, String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Host", host).timeout(Duration.ofSeconds(20));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    /** Sends a request built by {@link #request}. */
    public static HttpResponse<String> send(HttpRequest r) throws Exception {
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the first Prometheus sample starting with {@code prefix}, or null. */
    public Double metric(String prefix) throws Exception {
        for (String line : management("/q/metrics").body().split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return null;
    }

    /** The data (proxy) port. */
    public int port() {
        return port;
    }

    public Path log() {
        return dataDir.resolve("gatehouse.log");
    }

    private String managementUrl(String path) {
        return "http://127.0.0.1:" + management + path;
    }

    /** Stops the process (SIGTERM, then SIGKILL after 30 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** A free TCP port on this machine now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
