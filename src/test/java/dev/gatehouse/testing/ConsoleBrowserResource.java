package dev.gatehouse.testing;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Gatehouse for a person using the admin console in a browser, signed in at the shared real
 * Keycloak ({@link KeycloakServer}): the console on the default admin host {@code admin.localhost}
 * (why {@code *.localhost}: {@link KeycloakBrowserResource}) with the admin policy "members of the
 * group {@value #ADMIN_GROUP}" (ada is one, carol is not), one app from the config file (read-only
 * in the console) and the {@link BrowserApps} as the upstream of the apps the console adds. The
 * store is the embedded one in a fresh data directory under {@code target/}, so every run starts
 * with an empty history and audit log.
 */
public class ConsoleBrowserResource extends KeycloakResource {
    /** The Keycloak group whose members the admin policy admits. */
    public static final String ADMIN_GROUP = "admins";
    private static BrowserApps apps;

    /** The upstream for the apps the walk adds. */
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
                    upstream: %s/wiki
                    idp: corp
                    login: browser
                    policy:
                      allow:
                        groups: { has: engineering }
                """.formatted(apps.url());
    }

    @Override
    protected Map<String, String> settings() throws IOException {
        Path data = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "gatehouse-console-data-");
        return Map.of("gatehouse.admin.policy", "{allow: {groups: {has: " + ADMIN_GROUP + "}}}",
                "gatehouse.data-dir", data.toString());
    }
}
