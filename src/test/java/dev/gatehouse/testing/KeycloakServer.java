package dev.gatehouse.testing;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One real Keycloak for the whole test JVM (the {@code keycloak-quarkus-dist} that Maven unpacks
 * into {@code target/keycloak/} in {@code pre-integration-test}) with the {@code corp} realm of
 * {@code deploy/keycloak/corp-realm.json}. Started by the first test resource that asks
 * (the subclasses of {@link KeycloakResource}), stopped when the JVM exits: the
 * integration tests share it instead of paying a Keycloak start (about a minute here) per class.
 *
 * <p>Keycloak runs {@code start-dev} on a free HTTP port with an in-memory database (every run
 * imports the realm afresh), its management interface on another free port (Gatehouse's own would
 * otherwise clash on 9000) and {@code --hostname} pinned to the URL Gatehouse and the tests use, so
 * the {@code iss} of every token is exactly the configured issuer. Output: {@code target/keycloak.log}.
 *
 * <p>The realm file is what a deployment imports; what only tests need is set here through the
 * admin REST API, the way an operator or an MDM integration would: the password grant for the
 * test client (tests fetch tokens without a browser), fresh device-posture timestamps (a timestamp
 * in the file would rot; erin's is fixed in 2020, so she is stale for ever), and the redirect,
 * post-logout and back-channel logout URLs of a Gatehouse on a port known only at test time.
 */
public final class KeycloakServer {
    public static final String REALM = "corp";
    public static final String CLIENT_ID = "gatehouse";
    /** Test-only secret, also in the realm file. */
    public static final String CLIENT_SECRET = "gatehouse-test-secret";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(360);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static KeycloakServer running;

    private final Process process;
    private final String baseUrl;
    private final String adminPassword = UUID.randomUUID().toString();
    private final Duration startupTime;

    /** The running Keycloak, started on first use. */
    public static synchronized KeycloakServer get() {
        if (running == null) {
            running = new KeycloakServer();
            KeycloakServer started = running;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "keycloak-stop"));
        }
        return running;
    }

    private KeycloakServer() {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.5.6")).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak at " + home
                    + ": run through ./mvnw verify (pre-integration-test unpacks it), or skip with -DskipKeycloak");
        }
        try {
            Path imports = Files.createDirectories(home.resolve("data/import"));
            // Keycloak insists that an import file named X-realm.json holds realm X
            Files.copy(Path.of("deploy/keycloak/corp-realm.json"), imports.resolve(REALM + "-realm.json"),
                    StandardCopyOption.REPLACE_EXISTING);
            int port = freePort();
            baseUrl = "http://127.0.0.1:" + port;
            Path log = home.getParent().getParent().resolve("keycloak.log"); // target/keycloak.log
            ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--http-port=" + port,
                    "--http-management-port=" + freePort(),
                    "--hostname=" + baseUrl,
                    "--db=dev-mem",
                    "--import-realm")
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
            Instant t0 = Instant.now();
            process = pb.start();
            awaitRealm(log);
            startupTime = Duration.between(t0, Instant.now());
            System.out.println("Keycloak " + baseUrl + " ready in " + startupTime.toMillis() + " ms");
            updateClient(c -> c.put("directAccessGrantsEnabled", true));
            for (String user : List.of("alice", "olivia")) {
                setAttribute(user, "device_posture_at", Long.toString(Instant.now().getEpochSecond()));
            }
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:<port>/realms/corp}, the {@code iss} of the realm's tokens. */
    public String issuer() {
        return baseUrl + "/realms/" + REALM;
    }

    public Duration startupTime() {
        return startupTime;
    }

    /** Test-only password of a realm user (see the realm file). */
    public static String password(String user) {
        return user + "-test-password";
    }

    /** Real tokens for {@code user}, from the password grant of the {@code gatehouse} client. */
    public JsonObject tokens(String user) {
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

    /**
     * Points the {@code gatehouse} client at a Gatehouse listening on {@code port}: sign-in callbacks
     * and post-logout redirects on each of {@code hosts}, back-channel logout to
     * {@code http://127.0.0.1:<port>/.gatehouse/backchannel-logout}.
     */
    public void pointClientAt(int port, List<String> hosts) {
        updateClient(c -> {
            JsonArray redirects = new JsonArray();
            hosts.forEach(h -> redirects.add("http://" + h + ":" + port + "/.gatehouse/callback"));
            c.put("redirectUris", redirects);
            JsonObject attributes = c.getJsonObject("attributes", new JsonObject());
            attributes.put("post.logout.redirect.uris", hosts.stream().map(h -> "http://" + h + ":" + port + "/*")
                    .collect(Collectors.joining("##")));
            attributes.put("backchannel.logout.url", "http://127.0.0.1:" + port + "/.gatehouse/backchannel-logout");
            attributes.put("backchannel.logout.session.required", "true");
            c.put("attributes", attributes);
        });
    }

    /**
     * Adds a second confidential client {@code clientId} (or replaces it), a copy of
     * {@code gatehouse} (same secret, same protocol mappers: groups, device facts, the
     * {@code gatehouse} audience of access tokens) whose sign-in callbacks and post-logout redirects
     * are on each of {@code origins} ({@code http://host:port}) and whose back-channel logout goes
     * to {@code backchannelUrl}. For a test that runs its own Gatehouse processes next to the
     * {@code gatehouse} client another test pointed at its jar: a client has one back-channel URL.
     */
    public void addClient(String clientId, List<String> origins, String backchannelUrl) {
        JsonObject copy = clientNamed(CLIENT_ID).copy();
        copy.remove("id");
        copy.put("clientId", clientId).put("name", clientId).put("secret", CLIENT_SECRET);
        JsonArray mappers = copy.getJsonArray("protocolMappers", new JsonArray());
        mappers.forEach(m -> ((JsonObject) m).remove("id"));
        JsonArray redirects = new JsonArray();
        origins.forEach(o -> redirects.add(o + "/.gatehouse/callback"));
        copy.put("redirectUris", redirects);
        JsonObject attributes = copy.getJsonObject("attributes", new JsonObject());
        attributes.put("post.logout.redirect.uris", origins.stream().map(o -> o + "/*")
                .collect(Collectors.joining("##")));
        attributes.put("backchannel.logout.url", backchannelUrl);
        attributes.put("backchannel.logout.session.required", "true");
        copy.put("attributes", attributes);
        JsonObject existing = clientNamed(clientId);
        if (existing != null) {
            admin(HttpRequest.newBuilder(adminUri("/clients/" + existing.getString("id"))).DELETE());
        }
        HttpResponse<String> created = admin(HttpRequest.newBuilder(adminUri("/clients"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(copy.encode())));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("creating client " + clientId + ": " + created.statusCode() + " "
                    + created.body());
        }
    }

    private JsonObject clientNamed(String clientId) {
        HttpResponse<String> found = admin(HttpRequest.newBuilder(URI.create(adminUri("/clients") + "?clientId="
                + clientId)));
        JsonArray list = new JsonArray(found.body());
        return list.isEmpty() ? null : list.getJsonObject(0);
    }

    /** The ids of {@code user}'s Keycloak sessions. */
    public List<String> sessionIds(String user) {
        HttpResponse<String> r = admin(HttpRequest.newBuilder(adminUri("/users/" + userId(user) + "/sessions")));
        return new JsonArray(r.body()).stream().map(o -> ((JsonObject) o).getString("id")).toList();
    }

    /**
     * What an admin does in the console's "Sessions" tab: ends one session; Keycloak then sends
     * back-channel logout tokens to the clients of that session.
     */
    public void deleteSession(String sessionId) {
        HttpResponse<String> r = admin(HttpRequest.newBuilder(adminUri("/sessions/" + sessionId)).DELETE());
        if (r.statusCode() != 204) {
            throw new IllegalStateException("deleting session: " + r.statusCode() + " " + r.body());
        }
    }

    /** "Sign out" of a user in the admin console: ends all their sessions (back-channel logout to clients). */
    public void logoutUser(String user) {
        HttpResponse<String> r = admin(HttpRequest.newBuilder(adminUri("/users/" + userId(user) + "/logout"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 204) {
            throw new IllegalStateException("logging out " + user + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** Sets a single-valued attribute of {@code user}. */
    public void setAttribute(String username, String name, String value) {
        String users = adminUri("/users").toString();
        JsonObject user = new JsonArray(admin(HttpRequest.newBuilder(URI.create(users + "?exact=true&username="
                + username))).body()).getJsonObject(0);
        JsonObject attributes = user.getJsonObject("attributes", new JsonObject());
        attributes.put(name, new JsonArray().add(value));
        user.put("attributes", attributes);
        HttpResponse<String> put = admin(HttpRequest.newBuilder(URI.create(users + "/" + user.getString("id")))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(user.encode())));
        if (put.statusCode() != 204) {
            throw new IllegalStateException("updating " + username + ": " + put.statusCode() + " " + put.body());
        }
    }

    private String userId(String username) {
        HttpResponse<String> found = admin(HttpRequest.newBuilder(URI.create(adminUri("/users") + "?exact=true&username="
                + username)));
        return new JsonArray(found.body()).getJsonObject(0).getString("id");
    }

    private void updateClient(java.util.function.Consumer<JsonObject> change) {
        HttpResponse<String> found = admin(HttpRequest.newBuilder(URI.create(adminUri("/clients") + "?clientId="
                + CLIENT_ID)));
        JsonObject client = new JsonArray(found.body()).getJsonObject(0);
        change.accept(client);
        HttpResponse<String> put = admin(HttpRequest.newBuilder(adminUri("/clients/" + client.getString("id")))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(client.encode())));
        if (put.statusCode() != 204) {
            throw new IllegalStateException("updating the client: " + put.statusCode() + " " + put.body());
        }
    }

    private URI adminUri(String path) {
        return URI.create(baseUrl + "/admin/realms/" + REALM + path);
    }

    private HttpResponse<String> admin(HttpRequest.Builder request) {
        HttpResponse<String> t = post(baseUrl + "/realms/master/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "admin-cli",
                "username", "admin", "password", adminPassword), null);
        if (t.statusCode() != 200) {
            throw new IllegalStateException("admin token: " + t.statusCode() + " " + t.body());
        }
        return send(request.header("Authorization", "Bearer " + new JsonObject(t.body()).getString("access_token"))
                .build());
    }

    private void awaitRealm(Path log) {
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + "; see " + log);
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
            try {
                Thread.sleep(500); // polling a process that is starting: nothing to advance instead
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Keycloak not ready within " + START_TIMEOUT + "; see " + log);
    }

    static HttpResponse<String> post(String url, Map<String, String> form, String bearer) {
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

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops the whole process tree (kc.sh runs java as a child), politely first. */
    private void stop() {
        if (process == null) {
            return;
        }
        var tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
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
    }
}
