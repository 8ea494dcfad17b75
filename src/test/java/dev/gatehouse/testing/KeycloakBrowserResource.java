package dev.gatehouse.testing;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
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
public class KeycloakBrowserResource extends KeycloakResource {
    /** The app hosts of the browser tests. */
    public static final List<String> HOSTS = List.of("wiki.localhost", "kiosk.localhost", "chat.localhost",
            "admin.localhost");
    private static BrowserApps apps;

    public static BrowserApps apps() {
        return apps;
    }

    @Override
    protected String config(KeycloakServer keycloak, Vertx vertx) {
        apps = BrowserApps.start(vertx);
        return idps(keycloak, true) + """
                apps:
                  - id: wiki
                    host: wiki.localhost
                    upstream: %1$s/wiki
                    idp: corp
                    login: browser
                    identity-headers: true
                    policy:
                      allow:
                        groups: { has: engineering }
                  - id: kiosk
                    host: kiosk.localhost
                    upstream: %1$s/kiosk
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
                    upstream: %1$s/chat
                    idp: corp
                    login: browser
                    identity-headers: true
                    policy:
                      allow: { authenticated_user: true }
                """.formatted(apps.url());
    }

    @Override
    protected Map<String, String> settings() throws IOException {
        return Map.of("gatehouse.websocket.recheck-interval", "30s",
                "gatehouse.data-dir", Files.createTempDirectory("gatehouse-browser-data").toString());
    }
}
