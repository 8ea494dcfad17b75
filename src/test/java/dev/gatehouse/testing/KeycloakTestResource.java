package dev.gatehouse.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts a real Keycloak (the {@code keycloak-quarkus-dist} that Maven unpacks into
 * {@code target/keycloak/} in {@code pre-integration-test}) with the {@code corp} realm of
 * {@code src/test/resources/keycloak/gatehouse-realm.json}, and a {@link RecordingUpstream}; writes
 * a Gatehouse config that trusts the realm and hands its path to Gatehouse as
 * {@code gatehouse.config}.
 *
 * <p>Keycloak runs {@code start-dev} on a free HTTP port with an in-memory database (every run
 * imports the realm afresh), its management interface on another free port (Gatehouse's own
 * management port would otherwise clash on 9000) and {@code --hostname} pinned to the URL Gatehouse
 * and the tests use, so the {@code iss} of every token is exactly the configured issuer. Output:
 * {@code target/keycloak.log}.
 *
 * <p>Posture freshness: the policy requires a posture check younger than 15 minutes. A timestamp
 * in the realm file would rot, so {@link #start()} sets alice's {@code device_posture_at} to "now"
 * through the Keycloak admin REST API, the way an MDM integration would. erin's is fixed in 2020
 * in the realm file, so she is stale for ever.
 */
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String REALM = "corp";
    public static final String CLIENT_ID = "gatehouse";
    /** Test-only secret, also in the realm file. */
    public static final String CLIENT_SECRET = "gatehouse-test-secret";
    public static final String APP_HOST = "wiki.test";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Process keycloak;
    private static Vertx vertx;
    private static RecordingUpstream upstream;
    private static String baseUrl;
    private static Duration startupTime;
    private final String adminPassword = UUID.randomUUID().toString();

    public static RecordingUpstream upstream() {
        return upstream;
    }

    /** {@code http://127.0.0.1:<port>/realms/corp}, the {@code iss} of the realm's tokens. */
    public static String issuer() {
        return baseUrl + "/realms/" + REALM;
    }

    public static Duration startupTime() {
        return startupTime;
    }

    /** Test-only password of a realm user (see the realm file). */
    public static String password(String user) {
        return user + "-test-password";
    }

    /** A real access token for {@code user}, from the password grant of the {@code gatehouse} client. */
    public static JsonObject tokens(String user) {
        HttpResponse<String> r = post(issuer() + "/protocol/openid-connect/token", Map.of(
                "grant_type", "password",
                "client_id", CLIENT_ID,
                "client_secret", CLIENT_SECRET,
                "username", user,
                "password", password(user),
                "scope", "openid"), null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("token for " + user + ": " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    public static String accessToken(String user) {
        return tokens(user).getString("access_token");
    }

    /**
     * {@link GatehouseTestResource} is declared unrestricted on other test classes, so it also starts
     * for {@code KeycloakIT} and also returns a {@code gatehouse.config}. Sequential resources start
     * lowest order first and later properties overwrite earlier ones: starting last makes this
     * config the one Gatehouse gets.
     */
    @Override
    public int order() {
        return 1000;
    }

    @Override
    public Map<String, String> start() {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.5.6")).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak at " + home
                    + ": run through ./mvnw verify (pre-integration-test unpacks it), or skip with -DskipKeycloak");
        }
        try {
            Path imports = Files.createDirectories(home.resolve("data/import"));
            // Keycloak insists that an import file named X-realm.json holds realm X
            Files.copy(Path.of("src/test/resources/keycloak/gatehouse-realm.json"),
                    imports.resolve(REALM + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            int port = freePort();
            int managementPort = freePort();
            baseUrl = "http://127.0.0.1:" + port;
            Path log = home.getParent().getParent().resolve("keycloak.log"); // target/keycloak.log
            ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-port=" + port,
                    "--http-management-port=" + managementPort,
                    "--hostname=" + baseUrl,
                    "--db=dev-mem",
                    "--import-realm")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
            Instant t0 = Instant.now();
            keycloak = pb.start();
            awaitRealm(log);
            startupTime = Duration.between(t0, Instant.now());
            System.out.println("Keycloak " + baseUrl + " ready in " + startupTime.toMillis() + " ms");
            markPostureFresh("alice");

            vertx = Vertx.vertx();
            upstream = RecordingUpstream.start(vertx);
            String yaml = """
                    idps:
                      corp:
                        issuer: %1$s
                        audience: gatehouse
                        client-id: gatehouse
                        claims:
                          groups: groups
                          device-id: device_id
                          device-compliant: device_compliant
                          device-posture-at: device_posture_at
                    apps:
                      - id: wiki
                        host: %3$s
                        upstream: %2$s
                        idp: corp
                        login: bearer
                        policy:
                          allow:
                            and:
                              - groups: { has: engineering }
                              - device: { compliant: true, max-posture-age: 15m }
                    """.formatted(issuer(), upstream.url(), APP_HOST);
            Path file = Files.createTempFile("gatehouse-keycloak", ".yaml");
            Files.writeString(file, yaml);
            return Map.of("gatehouse.config", file.toString());
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    private static void awaitRealm(Path log) {
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!keycloak.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + keycloak.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        throw new IllegalStateException("Keycloak not ready within " + START_TIMEOUT + "; see " + log);
    }

    /** Sets {@code device_posture_at} of {@code username} to now (epoch seconds) with the admin REST API. */
    private void markPostureFresh(String username) {
        HttpResponse<String> t = post(baseUrl + "/realms/master/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "admin-cli",
                "username", "admin", "password", adminPassword), null);
        if (t.statusCode() != 200) {
            throw new IllegalStateException("admin token: " + t.statusCode() + " " + t.body());
        }
        String admin = new JsonObject(t.body()).getString("access_token");
        String users = baseUrl + "/admin/realms/" + REALM + "/users";
        HttpResponse<String> found = send(HttpRequest.newBuilder(URI.create(users + "?exact=true&username=" + username))
                .header("Authorization", "Bearer " + admin).build());
        JsonObject user = new JsonArray(found.body()).getJsonObject(0);
        JsonObject attributes = user.getJsonObject("attributes", new JsonObject());
        attributes.put("device_posture_at", new JsonArray().add(Long.toString(Instant.now().getEpochSecond())));
        user.put("attributes", attributes);
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(users + "/" + user.getString("id")))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(user.encode())).build());
        if (put.statusCode() != 204) {
            throw new IllegalStateException("updating " + username + ": " + put.statusCode() + " " + put.body());
        }
    }

    private static HttpResponse<String> post(String url, Map<String, String> form, String bearer) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (keycloak != null) {
            // kc.sh runs java as a child: stop the whole tree, politely first
            var tree = keycloak.descendants().toList();
            tree.forEach(ProcessHandle::destroy);
            keycloak.destroy();
            try {
                if (!keycloak.waitFor(20, TimeUnit.SECONDS)) {
                    keycloak.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (ProcessHandle child : tree) {
                try {
                    child.onExit().get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    child.destroyForcibly();
                }
            }
            keycloak = null;
        }
        if (vertx != null) {
            vertx.close();
            vertx = null;
        }
    }
}
