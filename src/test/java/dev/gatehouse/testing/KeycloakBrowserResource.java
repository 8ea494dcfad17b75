package dev.gatehouse.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Gatehouse with browser apps that sign in at the shared real Keycloak ({@link KeycloakServer}):
 * <ul>
 *   <li>{@code wiki.localhost}: engineers;</li>
 *   <li>{@code kiosk.localhost}: engineers on a compliant device with a fresh posture check (the
 *       device-gated app: dave's laptop is not compliant);</li>
 *   <li>{@code chat.localhost}: anyone signed in (its page opens a WebSocket).</li>
 * </ul>
 * Hosts are {@code *.localhost} on purpose: Chromium resolves them to the loopback address itself
 * and treats {@code http://*.localhost} as a secure context, so Gatehouse's {@code Secure} and
 * {@code __Host-} cookies work over plain HTTP with no TLS, no {@code /etc/hosts} entry and no
 * resolver flag (see docs/browser-tests.md for what was tried). The client secret reaches
 * Gatehouse as the environment variable {@code GATEHOUSE_CORP_SECRET} (failsafe sets it), as in
 * production: never in the file. Open WebSockets are re-checked only every 30 s, so a WebSocket
 * closed within 2 s of a revocation shows the at-once re-check, not the timer.
 */
public class KeycloakBrowserResource implements QuarkusTestResourceLifecycleManager {
    /** The app hosts of the browser tests. */
    public static final List<String> HOSTS = List.of("wiki.localhost", "kiosk.localhost", "chat.localhost",
            "admin.localhost");
    private static Vertx vertx;
    private static BrowserApps apps;

    public static BrowserApps apps() {
        return apps;
    }

    @Override
    public int order() {
        return 1000; // after GatehouseTestResource (declared unrestricted elsewhere): this config wins
    }

    @Override
    public Map<String, String> start() {
        KeycloakServer keycloak = KeycloakServer.get();
        vertx = Vertx.vertx();
        apps = BrowserApps.start(vertx);
        String yaml = """
                idps:
                  corp:
                    issuer: %1$s
                    audience: gatehouse
                    client-id: gatehouse
                    client-secret: ${GATEHOUSE_CORP_SECRET}
                    claims:
                      groups: groups
                      device-id: device_id
                      device-compliant: device_compliant
                      device-posture-at: device_posture_at
                apps:
                  - id: wiki
                    host: wiki.localhost
                    upstream: %2$s/wiki
                    idp: corp
                    login: browser
                    identity-headers: true
                    policy:
                      allow:
                        groups: { has: engineering }
                  - id: kiosk
                    host: kiosk.localhost
                    upstream: %2$s/kiosk
                    idp: corp
                    login: browser
                    identity-headers: true
                    policy:
                      allow:
                        and:
                          - groups: { has: engineering }
                          - device: { compliant: true, max-posture-age: 15m }
                  - id: chat
                    host: chat.localhost
                    upstream: %2$s/chat
                    idp: corp
                    login: browser
                    identity-headers: true
                    policy:
                      allow: { authenticated_user: true }
                """.formatted(keycloak.issuer(), apps.url());
        try {
            Path file = Files.createTempFile("gatehouse-browser", ".yaml");
            Files.writeString(file, yaml);
            return Map.of("gatehouse.config", file.toString(),
                    "gatehouse.websocket.recheck-interval", "30s",
                    "gatehouse.data-dir", Files.createTempDirectory("gatehouse-browser-data").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
            vertx = null;
        }
    }
}
