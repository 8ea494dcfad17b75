package dev.gatehouse.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the test resources in front of the shared real Keycloak ({@link KeycloakServer}) have in
 * common: Keycloak started (once per JVM), a Vert.x for their upstreams, the realm as the IdP
 * {@code corp} with the claim names its protocol mappers write, the config written to a file and
 * handed to Gatehouse as {@code gatehouse.config}, the upstreams stopped afterwards (Keycloak lives
 * on for the next test class and stops with the JVM). A subclass says which apps and settings.
 */
public abstract class KeycloakResource implements QuarkusTestResourceLifecycleManager {
    private Vertx vertx;

    /**
     * {@link GatehouseTestResource} is declared unrestricted on other test classes, so it also starts
     * for these and also returns a {@code gatehouse.config}. Sequential resources start lowest order
     * first and later properties overwrite earlier ones: starting last makes this config the one
     * Gatehouse gets.
     */
    @Override
    public int order() {
        return 1000;
    }

    /**
     * The {@code idps:} section: the realm as IdP {@code corp}. With {@code browserSignIn}, the
     * client secret too, as production passes it: from the environment variable
     * {@code GATEHOUSE_CORP_SECRET} (failsafe sets it), never in the file.
     */
    protected static String idps(KeycloakServer keycloak, boolean browserSignIn) {
        String secret = browserSignIn ? "\n    client-secret: ${GATEHOUSE_CORP_SECRET}" : "";
        return """
                idps:
                  corp:
                    issuer: %s
                    audience: gatehouse
                    client-id: %s%s
                    claims:
                      groups: groups
                      device-id: device_id
                      device-compliant: device_compliant
                      device-posture-at: device_posture_at
                """.formatted(keycloak.issuer(), KeycloakServer.CLIENT_ID, secret);
    }

    /** Starts what the apps need on {@code vertx}; returns the whole config file (see {@link #idps}). */
    protected abstract String config(KeycloakServer keycloak, Vertx vertx) throws IOException;

    /** Settings besides {@code gatehouse.config}. */
    protected Map<String, String> settings() throws IOException {
        return Map.of();
    }

    @Override
    public Map<String, String> start() {
        KeycloakServer keycloak = KeycloakServer.get();
        vertx = Vertx.vertx();
        try {
            Path file = Files.createTempFile(getClass().getSimpleName(), ".yaml");
            Files.writeString(file, config(keycloak, vertx));
            Map<String, String> settings = new LinkedHashMap<>(settings());
            settings.put("gatehouse.config", file.toString());
            return settings;
        } catch (IOException e) {
            stop();
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
