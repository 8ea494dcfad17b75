package dev.gatehouse.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * A Gatehouse config that trusts the real Keycloak of {@link KeycloakServer} (started once per test
 * JVM and shared with {@link KeycloakBrowserResource}), and a {@link RecordingUpstream} behind the
 * bearer app {@value #APP_HOST}; hands the config's path to Gatehouse as {@code gatehouse.config}.
 *
 * <p>Posture freshness: the policy requires a posture check younger than 15 minutes;
 * {@link KeycloakServer} sets alice's {@code device_posture_at} to "now" when it starts, erin's is
 * fixed in 2020 in the realm file, so she is stale for ever.
 */
public class KeycloakTestResource extends KeycloakResource {
    public static final String REALM = KeycloakServer.REALM;
    public static final String CLIENT_ID = KeycloakServer.CLIENT_ID;
    /** Test-only secret, also in the realm file. */
    public static final String CLIENT_SECRET = KeycloakServer.CLIENT_SECRET;
    public static final String APP_HOST = "wiki.test";

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

    @Override
    protected String config(KeycloakServer keycloak, Vertx vertx) {
        upstream = RecordingUpstream.start(vertx);
        return idps(keycloak, false) + """
                apps:
                  - id: wiki
                    host: %2$s
                    upstream: %1$s
                    idp: corp
                    login: bearer
                    policy:
                      allow:
                        and:
                          - groups: { has: engineering }
                          - device: { compliant: true, max-posture-age: 15m }
                """.formatted(upstream.url(), APP_HOST);
    }
}
