package dev.gatehouse.testing;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The Gatehouse of {@link KeycloakBrowserResource} (its apps from the config file, read-only in
 * the console; its {@link BrowserApps} as the upstream of the apps the console adds; a fresh data
 * directory, so the history and the audit log start empty) with the admin policy "members of the
 * Keycloak group {@value #ADMIN_GROUP}": ada is one, carol (an engineer) is not. The console is on
 * the default admin host {@code admin.localhost}.
 */
public class ConsoleBrowserResource extends KeycloakBrowserResource {
    /** The Keycloak group whose members the admin policy admits. */
    public static final String ADMIN_GROUP = "admins";

    @Override
    protected Map<String, String> settings() throws IOException {
        Map<String, String> settings = new HashMap<>(super.settings());
        settings.put("gatehouse.admin.policy", "{allow: {groups: {has: " + ADMIN_GROUP + "}}}");
        return settings;
    }
}
