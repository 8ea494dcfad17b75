package dev.gatehouse.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A Gatehouse config that trusts the real Keycloak of {@link KeycloakServer} (started once per test
 * JVM and shared with {@link KeycloakBrowserResource}), and a {@link RecordingUpstream} behind the
 * bearer app {@value #APP_HOST}; hands the config's path to Gatehouse as {@code gatehouse.config}.
 *
 * <p>Posture freshness: the policy requires a posture check younger than 15 minutes;
 * {@link KeycloakServer} sets alice's {@code device_posture_at} to "now" when it starts, erin's is
 * fixed in 2020 in the realm file, so she is stale for ever.
 */
public class KeycloakTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String REALM = KeycloakServer.REALM;
    public static final String CLIENT_ID = KeycloakServer.CLIENT_ID;
    /** Test-only secret, also in the realm file. */
    public static final String CLIENT_SECRET = KeycloakServer.CLIENT_SECRET;
    public static final String APP_HOST = "wiki.test";

    private static Vertx vertx;
    private static RecordingUpstream upstream;

    public static RecordingUpstream upstream() {
        return upstream;
    }

    /** {@code http://127.0.0.1:<port>/realms/corp}, the {@code iss} of the realm's tokens. */
    public static String issuer() {
        return KeycloakServer.get().issuer();
    }

    public static Duration startupTime() {
        return KeycloakServer.get().startupTime();
    }

    /** Test-only password of a realm user (see the realm file). */
    public static String password(String user) {
        return KeycloakServer.password(user);
    }

    /** Real tokens for {@code user}, from the password grant of the {@code gatehouse} client. */
    public static JsonObject tokens(String user) {
        return KeycloakServer.get().tokens(user);
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
        KeycloakServer keycloak = KeycloakServer.get();
        try {
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
                    """.formatted(keycloak.issuer(), upstream.url(), APP_HOST);
            Path file = Files.createTempFile("gatehouse-keycloak", ".yaml");
            Files.writeString(file, yaml);
            return Map.of("gatehouse.config", file.toString());
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the upstream; Keycloak lives on for the next test class and stops with the JVM. */
    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
            vertx = null;
        }
    }
}
